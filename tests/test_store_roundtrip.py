"""A record goes through the store and comes back equal to what the extractor produced:
incidents and claims in their order, every count, every evidence span, the summary; the
article's own fields kept. On SQLite and PostgreSQL alike."""
import dataclasses

import pytest

from pg import sample_articles, store_url  # noqa: F401
from sitrep.extract.pipeline import EXTRACTOR_VERSION, default_pipeline
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Span, Summary
from sitrep.store import content_hash, open_store


@pytest.fixture(scope="module")
def extracted():
    pairs = list(default_pipeline().pipe(sample_articles()))
    assert all(not isinstance(r, Exception) for _, r in pairs)
    return pairs


def test_records_come_back_equal(store_url, extracted):
    with open_store(store_url) as store:
        for article, record in extracted:
            assert store.add(article, record, EXTRACTOR_VERSION) == "added"
    with open_store(store_url) as store:
        back = {a.content_hash: (a, r) for a, r in store.records()}
        assert len(back) == len(extracted)
        for article, record in extracted:
            stored, rebuilt = back[content_hash(article.text)]
            assert rebuilt == record, article.article_id
            assert rebuilt.to_dict() == record.to_dict()
            assert (stored.text, stored.title, stored.outlet, stored.source, stored.published) == \
                (article.text, article.title, article.outlet, article.source, record.published)
            assert stored.summary == record.summary and stored.extractor_version == EXTRACTOR_VERSION


def test_stored_incidents_keep_order_and_article(store_url, extracted):
    with open_store(store_url) as store:
        for article, record in extracted:
            store.add(article, record, EXTRACTOR_VERSION)
        incidents = store.incidents()
        articles = {a.pk: a for a in store.articles()}
    assert len(incidents) == sum(len(r.incidents) for _, r in extracted) > 20
    assert len({si.pk for si in incidents}) == len(incidents)
    by_id = {r.article_id: r for _, r in extracted}
    for si in incidents:
        art = articles[si.article_pk]
        assert si.article_id == art.article_id and si.outlet == art.outlet
        assert si.published == art.published
        assert by_id[si.article_id].incidents[si.index] == si.incident


def test_every_field_survives_including_edge_values(store_url):
    record = ArticleRecord("edge-1", "2020-02-29", [
        Incident("air_strike", "2020-02-28", "2020-02-29", "range",
                 Location("Saraqib", "Idlib", "SY", 35.8623, 36.8059, "town"),
                 ["Syrian government forces", "Russian forces"], target="a hospital", claims=[
                     Claim("White Helmets",
                           killed={"civilians": Count(None, 12, 15, "12 to 15 civilians"),
                                   "total": Count(12, 12, None, "at least 12")},
                           injured={"children": Count(3, None, None, "several children")},
                           evidence=[Span(0, 10, "Edge case."), Span(11, 30, "Ünïcödé “quotes”")]),
                     Claim("Russian Defence Ministry", denial=True,
                           evidence=[Span(31, 40, "denied it")]),
                 ]),
        Incident("other", None, None, "unknown", Location("", None, None, None, None, "country"),
                 ["unknown"]),
    ], Summary(None, "idlib", "unknown", "shelling", 12, 3, 0, 0))
    article = Article("edge-1", "Edge case. Ünïcödé “quotes” denied it", title=None,
                      published="2020-02-29", outlet=None, source=None)
    with open_store(store_url) as store:
        store.add(article, record, "9.9.9")
        (_, back), = list(store.records())
    assert back == record
    assert list(back.incidents[0].claims[0].killed) == ["civilians", "total"]  # order kept
    assert back.incidents[0].claims[1].denial is True
    assert dataclasses.asdict(back) == dataclasses.asdict(record)


def test_an_article_with_no_incident_is_stored(store_url):
    article = Article("quiet", "Ministers met in Geneva on Monday.", published="2019-03-04")
    record = ArticleRecord("quiet", "2019-03-04", [], Summary(date="2019-03-04"))
    with open_store(store_url) as store:
        assert store.add(article, record, EXTRACTOR_VERSION) == "added"
        (stored, back), = list(store.records())
        assert back == record and stored.summary == record.summary
        assert store.incidents() == []


def test_text_with_nul_is_refused_in_both_databases(store_url):
    article = Article("nul", "An air strike\x00 killed five.")
    with open_store(store_url) as store:
        with pytest.raises(ValueError, match="NUL"):
            store.add(article, ArticleRecord("nul", None), EXTRACTOR_VERSION)
        assert store.counts()["articles"] == 0


def test_incidents_streamed_page_by_page_are_those_read_at_once(store_url, extracted, monkeypatch):
    from sitrep.store import repository
    monkeypatch.setattr(repository, "PAGE", 3)   # a few articles a page: many pages
    with open_store(store_url) as store:
        for article, record in extracted:
            store.add(article, record, EXTRACTOR_VERSION)
        whole = store.incidents()
        streamed = list(store.iter_incidents())
    assert len(whole) > 20 and len({si.article_pk for si in whole}) > 3 * 3
    assert streamed == whole
