"""Idempotency: the same article twice adds nothing; the same text from another input is the
same article; a newer extractor version replaces an article's records and never duplicates
them. On SQLite and PostgreSQL alike."""
import csv
import io

import pytest

from pg import dump, sample_articles, store_url, write_copies  # noqa: F401
from sitrep.extract.pipeline import EXTRACTOR_VERSION, default_pipeline
from sitrep.records import Article, ArticleRecord, Summary
from sitrep.store import (LinkedIncident, Verification, content_hash, ingest_paths,
                          open_store)


@pytest.fixture(scope="module")
def extracted():
    return [(a, r) for a, r in default_pipeline().pipe(sample_articles())]


def test_same_article_twice_is_unchanged_and_adds_no_rows(store_url, extracted):
    with open_store(store_url) as store:
        for a, r in extracted:
            assert store.add(a, r, EXTRACTOR_VERSION) == "added"
        before = dump(store_url)
        for a, r in extracted:
            assert store.add(a, r, EXTRACTOR_VERSION) == "unchanged"
    assert dump(store_url) == before


def test_identity_is_the_text_not_the_id(store_url, extracted):
    article, record = extracted[0]
    with open_store(store_url) as store:
        assert store.add(article, record, EXTRACTOR_VERSION) == "added"
        # the same text, read again from another file under another id, spaced differently
        again = Article("other-file-id", "  " + article.text.replace(" ", "  \n") + "\n",
                        source="elsewhere.txt")
        assert content_hash(again.text) == content_hash(article.text)
        assert store.add(again, record, EXTRACTOR_VERSION) == "unchanged"
        # two FA-KES rows that share a unit_id with different texts are two articles
        a1 = Article("9001", "Shelling killed three civilians in Douma on Friday.")
        a2 = Article("9001", "An air strike killed five fighters in Raqqa on Tuesday.")
        assert store.add(a1, ArticleRecord("9001", None), EXTRACTOR_VERSION) == "added"
        assert store.add(a2, ArticleRecord("9001", None), EXTRACTOR_VERSION) == "added"
        assert sorted(a.article_id for a in store.articles()).count("9001") == 2


def test_newer_extractor_version_replaces_without_duplicates(store_url, extracted):
    with open_store(store_url) as store:
        for a, r in extracted:
            store.add(a, r, "0.9.0")
        pks = {a.content_hash: a.pk for a in store.articles()}
        store.save_verifications([Verification(pk, "x", 0.5) for pk in pks.values()])
        first = store.counts()
        for a, r in extracted:
            assert store.add(a, r, EXTRACTOR_VERSION) == "replaced"
        assert store.counts() == {**first, "verifications": 0}  # stale verifications dropped
        assert {a.content_hash: a.pk for a in store.articles()} == pks  # keys kept
        assert {a.extractor_version for a in store.articles()} == {EXTRACTOR_VERSION}
        for a, r in extracted:  # and again: now unchanged
            assert store.add(a, r, EXTRACTOR_VERSION) == "unchanged"
        back = {s.content_hash: rec for s, rec in store.records()}
        for a, r in extracted:
            assert back[content_hash(a.text)] == r


def test_replacement_writes_the_new_record_in_place_of_the_old(store_url, extracted):
    article, record = next((a, r) for a, r in extracted if len(r.incidents) >= 2)
    with open_store(store_url) as store:
        store.add(article, record, "1.0.0")
        fewer = ArticleRecord(record.article_id, record.published, record.incidents[1:2],
                              Summary(date=record.published, location="homs"))
        assert store.add(article, fewer, "1.1.0") == "replaced"
        (_, back), = list(store.records())
        assert back == fewer
        assert store.counts()["incidents"] == 1
        assert store.counts()["claims"] == len(record.incidents[1].claims)
        # an older extractor never overwrites what a newer one wrote
        assert store.add(article, record, "1.0.0") == "unchanged"
        (_, back), = list(store.records())
        assert back == fewer


def test_links_of_replaced_incidents_do_not_dangle(store_url, extracted):
    article, record = next((a, r) for a, r in extracted if r.incidents)
    with open_store(store_url) as store:
        store.add(article, record, "1.0.0")
        pks = [si.pk for si in store.incidents()]
        store.save_links([LinkedIncident(1, pks, [[store.incidents()[0].article_pk]])])
        store.add(article, record, "2.0.0")
        new = {si.pk for si in store.incidents()}
        for link in store.links():
            assert set(link.members) <= new


def test_ingesting_a_batch_twice_adds_nothing_and_does_not_extract_again(store_url, tmp_path):
    path = tmp_path / "batch.jsonl"
    n = write_copies(path, 2)
    err = io.StringIO()
    with open_store(store_url) as store:
        t1 = ingest_paths(store, [str(path)], progress=False, err=err)
        assert (t1.read, t1.extracted, t1.failed, t1.added) == (n, n, 0, n)
        before = dump(store_url)
        t2 = ingest_paths(store, [str(path)], progress=False, err=err)
        assert (t2.read, t2.extracted, t2.failed, t2.added, t2.unchanged, t2.replaced) == (n, 0, 0, 0, n, 0)
    assert dump(store_url) == before


def test_fakes_rows_sharing_a_unit_id_are_both_stored(store_url, tmp_path):
    path = tmp_path / "fakes.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_id", "article_title", "article_content", "source", "date"])
        w.writerow(["77", "Douma", "Shelling killed three civilians in Douma on Friday said SANA", "sana", "4/7/18"])
        w.writerow(["77", "Raqqa", "An air strike killed five fighters in Raqqa on Tuesday", "afp", "8/23/17"])
        w.writerow(["78", "Douma", "Shelling killed three civilians in Douma on Friday said SANA", "sana", "4/7/18"])
    with open_store(store_url) as store:
        t = ingest_paths(store, [str(path)], progress=False, err=io.StringIO())
        assert (t.added, t.unchanged, t.duplicates) == (2, 0, 1)  # row 78 repeats row 77's text
        assert sorted(a.article_id for a in store.articles()) == ["77", "77"]
