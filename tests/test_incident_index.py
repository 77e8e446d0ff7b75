"""The index over the bundled samples, as a user gets it: `sitrep ingest` then `sitrep link`,
then `incident_index.build`. What the index answers must be exactly what `sitrep incidents`
computes in memory (`reconcile_all` + `reconcile.select`): the same incidents, the same
summaries, the same filters. On SQLite and PostgreSQL alike."""
import copy
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from clitools import run
from indexfix import index_tables, refreshed_from_the_log
from pg import sample_articles, store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from sitrep import incident_index
from sitrep.records import Article
from sitrep.reconcile import reconcile_all, select
from sitrep.store import IncidentQuery, open_store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REPRINTERS = ("Reprint Desk", "Mirror Agency")

# (place, actor, since, until, min_killed, disputed) as `sitrep incidents` takes them
FILTERS = [
    {}, {"place": "Deir Ezzor"}, {"place": "Dayr az-Zawr"}, {"place": "Mayadin"}, {"place": "SY"},
    {"place": "iq"}, {"place": "Syria"}, {"place": "Aleppo"}, {"place": "Kharkov"}, {"place": "Gaza"},
    {"place": "Raqa"}, {"place": "Helmand"}, {"place": "nowhere"}, {"place": "Hodeidah"},
    {"actor": "ISIS"}, {"actor": "Assad regime"}, {"actor": "russia"}, {"actor": "forces"},
    {"actor": "Taliban"}, {"actor": "unknown"}, {"actor": "RSF"}, {"actor": "coalition"},
    {"since": "2018-01-01"}, {"until": "2017-06-30"}, {"since": "2017-10-12", "until": "2017-10-13"},
    {"since": "2023-12-09", "until": "2023-12-09"}, {"min_killed": 1}, {"min_killed": 20},
    {"disputed": True},
    {"place": "Syria", "actor": "Syrian government forces", "since": "2017-01-01"},
    {"place": "Deir Ezzor", "min_killed": 10}, {"actor": "forces", "disputed": True},
    {"since": "2016-01-01", "until": "2021-12-31", "min_killed": 5, "place": "SY"},
]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """The samples, and each English one reprinted by another outlet, ingested and linked
    by the command line into a SQLite file."""
    d = tmp_path_factory.mktemp("samples-index")
    reprints = d / "reprints.jsonl"
    with open(reprints, "w", encoding="utf-8") as fh:
        for k, a in enumerate(sample_articles()):
            outlet = REPRINTERS[k % 2]
            fh.write(json.dumps({"id": f"{a.article_id}-reprint", "title": a.title, "outlet": outlet,
                                 "published": a.published,
                                 "text": f"{a.text}\n\nReprinted by {outlet}."}) + "\n")
    db = str(d / "samples.db")
    code, _, err = run(["ingest", str(SAMPLES), str(reprints), "--db", db])
    assert code == 0, err
    code, out, err = run(["link", "--db", db])
    assert code == 0, err
    return db


@pytest.fixture
def indexed(store_url, sample_db, tmp_path):
    """A store holding the linked samples (SQLite: the file itself; PostgreSQL: its articles
    and records added, then linked as `sitrep link` does), with the index built."""
    url = _linked_samples(store_url, sample_db, tmp_path, "copy.db")
    with open_store(url) as st:
        assert incident_index.build(st) > 0
        yield st


def _query(f: dict) -> IncidentQuery:
    exact, substring = incident_index.actor_filter(f["actor"]) if "actor" in f else (None, None)
    return IncidentQuery(since=f.get("since"), until=f.get("until"),
                         place_needles=incident_index.place_needles(f["place"]) if "place" in f else (),
                         actor_exact=exact, actor_substring=substring,
                         min_killed=f.get("min_killed"), disputed=f.get("disputed", False))


def test_the_index_is_what_reconciliation_gives(indexed):
    links = indexed.links()
    reconciled = reconcile_all(links, indexed.incidents())
    # the premise: reprints were linked to their originals, as wire copies
    assert any(len(lk.members) > 1 for lk in links) and any(lk.wire_groups for lk in links)
    total, items = indexed.query_index(IncidentQuery(), limit=500, offset=0, sort="id")
    assert total == len(reconciled) > 30
    assert [i["id"] for i in items] == [r.id for r in reconciled]
    assert items == [incident_index.summary(r) for r in reconciled]
    for r in reconciled:
        assert indexed.index_incident(r.id) == (incident_index.summary(r), r.to_dict())
    members = {r.id: sorted(r.members) for r in reconciled}
    by_pk = {si.pk: si.article_pk for si in indexed.incidents()}
    for r in reconciled[:10]:
        for pk in members[r.id]:
            assert r.id in indexed.incidents_of_article(by_pk[pk])


def test_filters_are_those_of_reconcile_select(indexed):
    reconciled = reconcile_all(indexed.links(), indexed.incidents())
    seen = set()
    for f in FILTERS:
        expected = select(reconciled, **f)
        q = _query(f)
        total, items = indexed.query_index(q, limit=500, offset=0, sort="id")
        assert [i["id"] for i in items] == [r.id for r in expected], f
        assert total == len(expected), f
        assert [p[0] for p in indexed.index_points(q)] == \
            [r.id for r in expected if r.location.lat is not None and r.location.lon is not None], f
        days: Counter = Counter()
        killed: Counter = Counter()
        for r in expected:
            if r.date:
                days[r.date] += 1
                killed[r.date] += r.killed_figure() or 0
        assert indexed.index_timeline(q) == [(d, days[d], killed[d]) for d in sorted(days)], f
        assert [p["id"] for p in indexed.index_payloads(q)] == [r.id for r in expected], f
        seen.add(len(expected))
    assert len(seen) > 8  # the filters do cut the samples in many ways


def test_outlet_statistics(indexed):
    stats = {o.outlet: o for o in indexed.outlet_stats()}
    per_outlet = Counter(a.outlet for a in indexed.articles() if a.outlet)
    assert {o: s.articles for o, s in stats.items()} == dict(per_outlet)
    assert sum(stats[o].wire_copies for o in REPRINTERS) > 0
    for s in stats.values():
        assert 0 <= s.agreeing <= s.figures
        assert len(s.detail["disagreements"]) <= s.figures - s.agreeing
    assert any(stats[o].detail["partners"] for o in REPRINTERS)


def test_refresh_follows_the_store(indexed):
    assert indexed.index_version() == indexed.fingerprint()
    assert incident_index.refresh(indexed) is False
    indexed.save_links([])  # unlinked: every stored incident stands alone
    assert incident_index.refresh(indexed) is True
    total, _ = indexed.query_index(IncidentQuery(), limit=1, offset=0)
    assert total == len(indexed.incidents())
    assert incident_index.refresh(indexed, force=True) is True


# --- adding one new article without a rebuild (incident_index.add_article) -------------------
#
# The index extended by add_article must be exactly the index incident_index.build makes of
# the same database: the same rows, ids, summaries, payloads, members, actor and place values,
# outlet statistics, facets and version. Each test below keeps two databases fed alike: one
# extended article by article, the other rebuilt from scratch after each article.

def _new_incident(event_type, day, place, admin1, country, lat, lon, perpetrators, claims,
                  date_end=None, date_precision=None, place_precision="town"):
    from sitrep.records import Incident, Location
    precision = date_precision or ("range" if date_end else "day" if day else "unknown")
    return Incident(event_type, day, date_end, precision,
                    Location(place, admin1, country, lat, lon, place_precision), list(perpetrators), None, claims)


def _new_claim(by, killed=None, injured=None, civilians=None, denial=False):
    from sitrep.records import Claim, Count, Span
    dead = {"total": Count(best=killed, text=f"{killed} people")} if killed is not None else {}
    if civilians is not None:
        dead["civilians"] = Count(best=civilians, text=f"{civilians} civilians")
    hurt = {"total": Count(best=injured, text=f"{injured} wounded")} if injured is not None else {}
    return Claim(by, dead, hurt, denial, [Span(0, 4, "Text")])


# (article_id, outlet, published, incidents): the articles added one by one
NEW_ARTICLES = [
    # several incidents, from an outlet the samples have; a new actor, a new country, and a
    # range longer than any stored one (the date filter's lower bound moves)
    ("new-several", "sitrep sample wire", "2019-03-02", [
        _new_incident("air_strike", "2019-03-01", "Saraqib", "Idlib", "SY", 35.86, 36.80,
                      ["Russian forces"], [_new_claim("Syrian Observatory for Human Rights", 12, civilians=9),
                                           _new_claim("reporter", 10, injured=20)]),
        _new_incident("shelling", "2019-01-10", "Tripoli", "Tripoli", "LY", 32.89, 13.19,
                      ["Libyan National Army"], [_new_claim("Tripoli health ministry", 3)],
                      date_end="2019-03-01"),
        _new_incident("explosion", "2019-03-01", "Aleppo", "Aleppo", "SY", 36.20, 37.13,
                      ["unknown"], [_new_claim("SANA", 2, denial=False)]),
    ]),
    # no incident at all, from a new outlet
    ("new-empty", "Quiet Gazette", "2019-03-03", []),
    # a new outlet, a known place and actor, and a party's denial
    ("new-outlet", "Fresh Outlet", "2020-07-01", [
        _new_incident("air_strike", "2020-06-30", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                      ["US-led coalition"], [_new_claim("Syrian Observatory for Human Rights", 7),
                                             _new_claim("US-led coalition", denial=True)]),
    ]),
    # an outlet the samples have (a reprinter), two perpetrators
    ("new-known-outlet", "Reprint Desk", "2021-08-06", [
        _new_incident("suicide_bombing", "2021-08-05", "Kabul", "Kabul", "AF", 34.55, 69.21,
                      ["Islamic State", "Taliban"], [_new_claim("reporter", 60, injured=140)]),
    ]),
    # incidents without coordinates, without a date, without a country; no outlet
    ("new-vague", None, "2022-01-05", [
        _new_incident("armed_clash", None, "Somewhere", None, None, None, None, ["unknown"], [],
                      place_precision="unknown"),
        _new_incident("other", "2021-12", "Lashkar Gah", "Helmand", "AF", None, None, ["Taliban"],
                      [_new_claim("reporter", 1)], date_precision="month"),
        _new_incident("abduction", None, "near the border", None, None, None, None, ["unknown"],
                      [_new_claim("local residents", injured=2)], place_precision="unknown"),
    ]),
    # the first article again, published later by another outlet (not linked: it stands alone)
    ("new-again", "Fresh Outlet", "2019-03-04", [
        _new_incident("air_strike", "2019-03-01", "Saraqib", "Idlib", "SY", 35.86, 36.80,
                      ["Russian forces"], [_new_claim("Syrian Observatory for Human Rights", 14)]),
    ]),
]


def _new_article(aid, outlet, published, incidents):
    from sitrep.records import ArticleRecord
    text = f"Text of {aid}, published {published} by {outlet}."
    return Article(aid, text, f"Title of {aid}", published, outlet, "test"), ArticleRecord(aid, published, incidents)


def _observed(store) -> dict:
    """Everything the index answers."""
    from sitrep.store import Store
    everything = IncidentQuery()
    out: dict = {"version": store.index_version(), "fingerprint": store.fingerprint()}
    for sort in Store.INDEX_SORTS:
        out[f"list {sort}"] = store.query_index(everything, limit=100_000, offset=0, sort=sort)
        out[f"page {sort}"] = [store.query_index(everything, limit=7, offset=o, sort=sort) for o in (0, 5, 30)]
    ids = [i["id"] for i in out["list id"][1]]
    out["incidents"] = {i: store.index_incident(i) for i in ids}
    out["payloads"] = list(store.index_payloads(everything))
    out["points"] = store.index_points(everything)
    out["timeline"] = store.index_timeline(everything)
    out["facets"] = store.index_facets()
    out["outlets"] = store.outlet_stats()
    out["outlet"] = {o.outlet: store.outlet(o.outlet) for o in out["outlets"]}
    out["articles"] = {pk: store.incidents_of_article(pk) for pk in store.article_labels()}
    for n, f in enumerate(FILTERS):
        q = _query(f)
        out[f"filter {n}"] = (store.query_index(q, limit=500, offset=0, sort="id"), store.index_points(q),
                              store.index_timeline(q))
    for types in (("air_strike",), ("shelling", "other"), ("abduction",)):
        out[f"types {types}"] = store.query_index(IncidentQuery(event_types=types), limit=500, offset=0)
    for country in ("SY", "LY", "AF"):
        out[f"country {country}"] = store.query_index(IncidentQuery(country=country), limit=500, offset=0)
    for since in ("2019-02-01", "2019-03-01", "2021-12-15"):
        out[f"since {since}"] = store.query_index(IncidentQuery(since=since), limit=500, offset=0)
    return out


def _second_url(store_url, tmp_path, request):
    """Another empty database of the same kind as ``store_url``."""
    if not store_url.startswith("postgresql"):
        return str(tmp_path / "twin.db")
    import uuid

    import psycopg
    from pg import _with_search_path, server_url
    admin = server_url()
    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    request.addfinalizer(drop)
    return _with_search_path(admin, schema)


def _linked_samples(url, sample_db, tmp_path, name):
    """What the ``indexed`` fixture holds, at ``url`` (SQLite: a copy of the file): the url."""
    if url.startswith("postgresql"):
        with open_store(sample_db) as src:
            items = [(Article(a.article_id, a.text, a.title, a.published, a.outlet, a.source), r)
                     for a, r in src.records()]
            version = next(src.articles()).extractor_version
        with open_store(url) as st:
            assert set(st.add_many(items, version)) == {"added"}
        code, _, err = run(["link", "--db", url])
        assert code == 0, err
        return url
    path = str(tmp_path / name)
    shutil.copy(sample_db, path)
    return path


@pytest.fixture
def twins(store_url, sample_db, tmp_path, request):
    """(extended, rebuilt): two stores holding the linked samples, both indexed."""
    a = _linked_samples(store_url, sample_db, tmp_path, "extended.db")
    b = _linked_samples(_second_url(store_url, tmp_path, request), sample_db, tmp_path, "rebuilt.db")
    with open_store(a) as extended, open_store(b) as rebuilt:
        incident_index.build(extended)
        incident_index.build(rebuilt)
        yield extended, rebuilt


def _add(store, article, record, version="test-1"):
    """Store an article as POST /api/articles does: (outcome, pk, fingerprint before)."""
    from sitrep.store import content_hash
    before = store.fingerprint()
    outcome = store.add(article, record, version)
    return outcome, store.article_pk(content_hash(article.text)), before


def _assert_same_index(extended, rebuilt):
    """The two indexes alike; each current. (Their versions differ only where the two
    databases were linked apart: the time of the links is part of the fingerprint.)"""
    for st in (extended, rebuilt):
        assert st.index_version() == st.fingerprint()
    got, want = index_tables(extended), index_tables(rebuilt)
    for tables in (got, want):
        tables["meta"] = [row for row in tables["meta"] if row[0] != "index_version"]
    assert got == want
    got, want = _observed(extended), _observed(rebuilt)
    for seen in (got, want):
        del seen["version"], seen["fingerprint"]
    assert got.keys() == want.keys()
    for key in want:
        assert got[key] == want[key], key


def test_adding_articles_one_by_one_is_a_rebuild(twins):
    extended, rebuilt = twins
    _assert_same_index(extended, rebuilt)
    assert extended.links()  # the premise: linked incidents, and lone ones numbered after them
    for aid, outlet, published, incidents in NEW_ARTICLES:
        article, record = _new_article(aid, outlet, published, incidents)
        outcome, pk, before = _add(extended, article, record)
        assert (outcome, before == extended.index_version()) == ("added", True)
        assert incident_index.add_article(extended, pk, before) is True, aid
        assert _add(rebuilt, article, record)[:2] == ("added", pk)
        incident_index.build(rebuilt)
        _assert_same_index(extended, rebuilt)
        assert len(extended.incidents_of_article(pk)) == len(incidents), aid
    # what the articles brought: a country, an outlet, a longer span, an undated incident
    facets = extended.index_facets()
    assert any(c["code"] == "LY" for c in facets["countries"])
    assert any(o.outlet == "Fresh Outlet" and o.articles == 2 for o in extended.outlet_stats())
    assert any(o.outlet == "Quiet Gazette" and o.articles == 1 for o in extended.outlet_stats())
    assert extended.query_index(IncidentQuery(since="2019-03-01", country="LY"), limit=5, offset=0)[0] == 1


def test_another_process_s_articles_extend_the_index(twins, monkeypatch):
    """Articles stored through another connection (another process's `sitrep ingest`) after
    the index was built: ``refresh`` extends it by them (``catch_up``), no rebuild, and the
    index is the one a rebuild makes."""
    extended, rebuilt = twins
    builds = []
    real_build = incident_index.build
    monkeypatch.setattr(incident_index, "build", lambda store: builds.append(1) or real_build(store))
    url = extended.db.target
    for batch in (NEW_ARTICLES[:1], NEW_ARTICLES[1:4], NEW_ARTICLES[4:]):
        items = [_new_article(*a) for a in batch]
        with open_store(url) as other:
            assert set(other.add_many(items, "test-1")) == {"added"}
        assert extended.index_version() != extended.fingerprint()
        assert incident_index.refresh(extended) is True and builds == []
        assert set(rebuilt.add_many(items, "test-1")) == {"added"}
        real_build(rebuilt)
        _assert_same_index(extended, rebuilt)
    # anything but new articles (here: links saved) is not for catch_up: update takes it
    for st in twins:
        links = st.links()[1:]
        with open_store(st.db.target) as other:
            other.save_links(links)
    assert incident_index.catch_up(extended) is False
    assert incident_index.refresh(extended) is True and builds == []
    real_build(rebuilt)
    _assert_same_index(extended, rebuilt)


def test_adding_without_links_numbers_by_incident_key(twins):
    extended, rebuilt = twins
    for st in twins:  # unlinked: each incident stands alone, its id its own key
        st.save_links([])
        incident_index.build(st)
    for aid, outlet, published, incidents in NEW_ARTICLES[:3]:
        article, record = _new_article(aid, outlet, published, incidents)
        outcome, pk, before = _add(extended, article, record)
        assert incident_index.add_article(extended, pk, before) is True
        _add(rebuilt, article, record)
        incident_index.build(rebuilt)
        _assert_same_index(extended, rebuilt)
    assert extended.incidents_of_article(pk) == [si.pk for si in extended.incidents() if si.article_pk == pk]


def test_adding_keeps_the_top_actors_exact(store_url):
    """The facets list the 50 most named perpetrators only; an actor beyond them that a new
    article names enough times takes its place, as a rebuild would."""
    from sitrep.records import ArticleRecord
    from sitrep.store import repository
    assert repository.TOP_ACTORS == 50
    with open_store(store_url) as st:
        for n in range(60):  # actor k is named by 1 + (59 - k) // 6 incidents
            k = 59 - n
            incidents = [_new_incident("shelling", f"2020-01-{1 + k % 28:02d}", "Aleppo", "Aleppo", "SY", 36.2,
                                       37.1, [f"Actor {k:02d}"], [_new_claim("reporter", k)])
                         for _ in range(1 + (59 - k) // 6)]
            st.add(Article(f"a{k}", f"Text {k}", published="2020-02-01", outlet=f"Outlet {k % 3}"),
                   ArticleRecord(f"a{k}", "2020-02-01", incidents), "test-1")
        incident_index.build(st)
        names = [a["name"] for a in st.index_facets()["actors"]]
        assert len(names) == 50 and "Actor 55" not in names and "Actor 59" not in names
        for k, times in ((59, 1), (55, 2), (59, 1), (12, 1), (59, 1)):
            article, record = _new_article(f"more-{k}-{len(names)}", "Outlet 1", "2020-03-01", [
                _new_incident("shelling", "2020-02-20", "Homs", "Homs", "SY", 34.7, 36.7, [f"Actor {k:02d}"],
                              [_new_claim("reporter", 1)]) for _ in range(times)])
            names.append(k)
            outcome, pk, before = _add(st, article, record)
            assert incident_index.add_article(st, pk, before) is True
            tables, seen = index_tables(st), _observed(st)
            incident_index.build(st)
            assert index_tables(st) == tables and _observed(st) == seen
        listed = [a["name"] for a in st.index_facets()["actors"]]
        assert "Actor 59" in listed and "Actor 55" in listed  # each rose into the top 50


def test_what_add_article_refuses_is_left_to_a_rebuild(indexed):
    """Not the one new article after a current index: add_article changes nothing and says so."""
    st = indexed
    version = st.index_version()
    # the same text by a newer extractor: "replaced" (its incidents written anew; their
    # member rows in the index go with them, by the foreign keys)
    first = next(st.articles())
    record = next(r for a, r in st.records() if a.pk == first.pk)
    again = Article(first.article_id, first.text, first.title, first.published, first.outlet, first.source)
    outcome, pk, before = _add(st, again, record, version="99.0")
    assert (outcome, pk) == ("replaced", first.pk)
    tables = index_tables(st)
    assert incident_index.add_article(st, pk, before) is False
    assert index_tables(st) == tables and st.index_version() == version != st.fingerprint()
    # the index stale before the article was stored
    article, record = _new_article(*NEW_ARTICLES[0])
    outcome, pk, before = _add(st, article, record)
    assert outcome == "added" and before != version
    assert incident_index.add_article(st, pk, before) is False
    assert index_tables(st) == tables
    incident_index.build(st)
    # another write between the fingerprint and the article, or after the article
    for other_first in (True, False):
        article, record = _new_article(*NEW_ARTICLES[2 if other_first else 3])
        other, other_record = _new_article(f"other-{other_first}", "Other", "2020-01-01", NEW_ARTICLES[3][3])
        before = st.fingerprint()
        if other_first:
            st.add(other, other_record, "test-1")
        outcome, pk, _ = _add(st, article, record)
        if not other_first:
            st.add(other, other_record, "test-1")
        tables = index_tables(st)
        assert outcome == "added" and incident_index.add_article(st, pk, before) is False
        assert index_tables(st) == tables
        incident_index.build(st)
    # "unchanged": nothing new
    outcome, pk, before = _add(st, article, record)
    assert outcome == "unchanged" and incident_index.add_article(st, pk, before) is False
    # an article that is not the last one stored, or no article at all
    assert incident_index.add_article(st, first.pk, st.fingerprint()) is False
    assert incident_index.add_article(st, 10 ** 9, st.fingerprint()) is False
    assert st.index_version() == st.fingerprint()


def test_the_service_extends_or_rebuilds(indexed, monkeypatch):
    """Service.index_after_add: the incremental path when it applies, else a full rebuild."""
    from sitrep.serve.service import Service
    builds = []
    real_build = incident_index.build
    monkeypatch.setattr(incident_index, "build", lambda store: builds.append(1) or real_build(store))
    svc = Service(indexed.db.target)
    try:
        st = svc.store()
        article, record = _new_article(*NEW_ARTICLES[0])
        outcome, pk, before = _add(st, article, record)
        assert svc.index_after_add(st, outcome, pk, before) is True and builds == []
        assert st.index_version() == st.fingerprint() and len(st.incidents_of_article(pk)) == 3
        # replaced: updated where it changed (incident_index.update), not rebuilt
        again = Article(article.article_id, article.text, article.title, article.published, "Renamed", "test")
        outcome, pk2, before = _add(st, again, record, version="99.0")
        assert outcome == "replaced" and pk2 == pk
        assert svc.index_after_add(st, outcome, pk2, before) is False and builds == []
        assert st.index_version() == st.fingerprint() and len(st.incidents_of_article(pk)) == 3
        assert st.outlet("Renamed").articles == 1
        # stale before, by another new article only: both taken in by catch_up, not rebuilt
        st.add(*_new_article("elsewhere", "Other", "2020-01-01", []), "test-1")
        article, record = _new_article(*NEW_ARTICLES[2])
        outcome, pk, before = _add(st, article, record)
        assert svc.index_after_add(st, outcome, pk, before) is False and builds == []
        assert st.index_version() == st.fingerprint() and st.incidents_of_article(pk)
        # unchanged with nothing changed: neither
        outcome, pk, before = _add(st, article, record)
        assert outcome == "unchanged"
        assert svc.index_after_add(st, outcome, pk, before) is False and builds == []
        # an error on the incremental paths: rebuilt all the same
        monkeypatch.setattr(incident_index, "add_articles", lambda *a: 1 / 0)
        monkeypatch.setattr(incident_index, "update", lambda *a: 1 / 0)
        article, record = _new_article(*NEW_ARTICLES[3])
        outcome, pk, before = _add(st, article, record)
        assert svc.index_after_add(st, outcome, pk, before) is False and builds == [1]
        assert st.index_version() == st.fingerprint() and st.incidents_of_article(pk)
    finally:
        svc.close()


DOUMA_AGAIN = ("DAMASCUS, April 9, 2018 - Rescue workers said on Monday that a chemical attack on the "
               "town of Douma in Eastern Ghouta killed at least 48 people on Saturday, the Syrian "
               "American Medical Society said.")


def test_post_article_lists_its_incidents_at_once(sample_db, tmp_path, monkeypatch):
    """POST /api/articles through the HTTP API: the index extended, not rebuilt, and what it
    stored listed by GET /api/incidents; the same as a rebuild gives."""
    from fastapi.testclient import TestClient

    from sitrep.serve import create_app
    db = str(tmp_path / "api.db")
    shutil.copy(sample_db, db)
    builds = []
    real_build = incident_index.build
    with TestClient(create_app(db, token=None, require_token=False)) as c:
        before = c.get("/api/health").json()
        monkeypatch.setattr(incident_index, "build", lambda store: builds.append(1) or real_build(store))
        r = c.post("/api/articles", json={"text": DOUMA_AGAIN, "published": "2018-04-09", "outlet": "New Wire"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "added" and body["incidents"] and builds == []
        after = c.get("/api/health").json()
        assert after["incidents"] == before["incidents"] + len(body["record"]["incidents"])
        assert after["index_version"] != before["index_version"]
        listed = c.get("/api/incidents", params={"limit": 500, "sort": "id"}).json()
        assert listed["total"] == after["incidents"]
        mine = [it for it in listed["items"] if it["id"] in body["incidents"]]
        assert len(mine) == len(body["incidents"]) and all(set(it["outlets"]) <= {"New Wire"} for it in mine)
        assert any(o["outlet"] == "New Wire" for o in c.get("/api/outlets").json()["items"])
        shown = c.get(f"/api/incidents/{body['incidents'][0]}").json()
        served = (listed, c.get("/api/facets").json(), c.get("/api/points").json(),
                  c.get("/api/timeline").json(), c.get("/api/outlets").json(), shown)
    with open_store(db) as st:
        assert st.index_version() == st.fingerprint()
        tables = index_tables(st)
        real_build(st)
        assert index_tables(st) == tables
    with TestClient(create_app(db, token=None, require_token=False)) as c:
        assert served == (c.get("/api/incidents", params={"limit": 500, "sort": "id"}).json(),
                          c.get("/api/facets").json(), c.get("/api/points").json(),
                          c.get("/api/timeline").json(), c.get("/api/outlets").json(),
                          c.get(f"/api/incidents/{body['incidents'][0]}").json())


# --- updating where the store changed (incident_index.update) ----------------------------------
#
# A replaced article, a relink, another process's links: the index updated in place must be
# the index a rebuild makes of the same database, as above.

def _refreshed_without_build(st, monkeypatch):
    """refresh(st) with build forbidden: the update must apply."""
    monkeypatch.setattr(incident_index, "build", lambda store: pytest.fail("rebuilt"))
    try:
        assert incident_index.refresh(st) is True
    finally:
        monkeypatch.undo()


def _replace(st, article_pk, outlet=None):
    """The article ``article_pk`` stored again by a newer extractor (its incidents written
    anew), perhaps under another outlet: what ``Store.add`` answered."""
    stored = st.article(article_pk)
    record = next(r for a, r in st.records() if a.pk == article_pk)
    again = Article(stored.article_id, stored.text, stored.title, stored.published, outlet or stored.outlet,
                    stored.source)
    return st.add(again, record, "99.0")


def _lone_articles(twins) -> None:
    """Three new articles stored and indexed in both: their incidents stand alone."""
    items = [_new_article(*a) for a in NEW_ARTICLES[:3]]
    for st in twins:
        assert set(st.add_many(items, "test-1")) == {"added"}
        incident_index.build(st)


def test_a_replaced_article_updates_the_index(twins, monkeypatch):
    extended, rebuilt = twins
    _lone_articles(twins)
    linked = {m for link in extended.links() for m in link.members}
    by_article: dict = {}
    for si in extended.incidents():
        by_article.setdefault(si.article_pk, []).append(si.pk)
    lone = next(a for a, pks in sorted(by_article.items()) if not linked.intersection(pks))
    held = next(a for a, pks in sorted(by_article.items()) if linked.intersection(pks))
    newest = max(by_article)   # SQLite gives its incidents their keys back
    for article_pk, outlet in ((lone, None), (held, "Renamed Outlet"), (newest, None)):
        for st in twins:
            assert _replace(st, article_pk, outlet) == "replaced"
        _refreshed_without_build(extended, monkeypatch)
        incident_index.build(rebuilt)
        _assert_same_index(extended, rebuilt)
    assert extended.outlet("Renamed Outlet").articles == 1


def test_a_relink_updates_the_index(twins, monkeypatch):
    """New articles, one of them another report of an indexed act, then linked again (as
    POST /api/link does): the index updated where the links changed."""
    from sitrep.link import link_incidents
    from sitrep.store import content_hash
    extended, rebuilt = twins
    first = next(iter(extended.links()))
    si = extended.stored_incidents([min(first.members)])[0]
    again = _new_article("again", "Late Courier", si.published, [si.incident])
    items = [again] + [_new_article(*a) for a in NEW_ARTICLES[:2]]
    for st in twins:
        assert set(st.add_many(items, "test-1")) == {"added"}
        st.save_links(link_incidents(st.incidents(), {a.pk: a for a in st.articles()}))
    pk = extended.article_pk(content_hash(again[0].text))
    mine = [s.pk for s in extended.incidents() if s.article_pk == pk]
    assert any(set(mine) & set(link.members) for link in extended.links())  # the premise: it linked
    _refreshed_without_build(extended, monkeypatch)
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)
    # and unlinked again, everything standing alone
    for st in twins:
        st.save_links([])
    _refreshed_without_build(extended, monkeypatch)
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)


def test_the_update_keeps_corrections_or_leaves_them_to_a_rebuild(twins, monkeypatch):
    from sitrep.review import correction
    extended, rebuilt = twins
    _lone_articles(twins)
    links = extended.links()
    keys = extended.incident_keys()
    by_article: dict = {}
    for si in extended.incidents():
        by_article.setdefault(si.article_pk, []).append(si.pk)
    linked = {m for link in links for m in link.members}
    lone = [a for a, pks in sorted(by_article.items()) if not linked.intersection(pks)]
    # a field set on a linked incident that the replacement below leaves as it is
    target = [keys[m] for m in links[0].members]
    made = correction("set", target, author="analyst", field="event_type", old="air_strike", new="shelling",
                      uid="c1")
    for st in twins:
        st.add_corrections([copy.copy(made)])
        incident_index.build(st)
        assert _replace(st, lone[0]) == "replaced"
    _refreshed_without_build(extended, monkeypatch)
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)
    assert extended.index_incident(min(links[0].members))[1]["event_type"] == "shelling"
    # a correction naming the replaced article's incident: it may move, so a rebuild decides
    version = extended.index_version()
    made = correction("review", [keys[by_article[lone[1]][0]]], author="analyst", uid="c2")
    for st in twins:
        st.add_corrections([copy.copy(made)])
        incident_index.build(st)
        assert _replace(st, lone[1]) == "replaced"
    assert version != extended.index_version()
    assert incident_index.update(extended) is False
    assert incident_index.refresh(extended) is True
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)


# The same through the incremental linker (`sitrep link`, POST /api/link): the index updated
# from the store's change log, reading only what the relink and the replacements touched,
# must still be the rebuild's, and the links those of a full link.

def _links(st):
    return sorted((lk.id, tuple(lk.members), tuple(map(tuple, lk.wire_groups))) for lk in st.links())


def _relinked(twins, monkeypatch):
    """The extended twin relinked incrementally and its index updated from the log; the
    other linked in full and rebuilt: the same links, the same index."""
    from sitrep.link.incremental import link_store
    extended, rebuilt = twins
    run_ = link_store(extended)
    assert run_.incremental and run_.articles_changed
    refreshed_from_the_log(extended, monkeypatch)
    link_store(rebuilt, full=True)
    incident_index.build(rebuilt)
    assert _links(extended) == _links(rebuilt)
    _assert_same_index(extended, rebuilt)
    return run_


def _record_of(st, article_pk):
    return next(r for a, r in st.records() if a.pk == article_pk)


def test_a_relink_after_a_new_or_replaced_article_updates_the_index_from_the_log(twins, monkeypatch):
    from sitrep.records import ArticleRecord
    extended, rebuilt = twins
    # a new report of a linked act, and a new article that links with nothing
    first = extended.links()[0]
    si = extended.stored_incidents([min(first.members)])[0]
    items = [_new_article("again", "Late Courier", si.published, [si.incident]), _new_article(*NEW_ARTICLES[0])]
    for st in twins:
        assert set(st.add_many(items, "test-1")) == {"added"}
    assert incident_index.catch_up(extended)            # as POST /api/articles leaves it
    run_ = _relinked(twins, monkeypatch)
    assert run_.links_replaced and run_.links_written   # the premise: the act's link grew
    # a linked article replaced under another outlet; then one replaced by a record without
    # incidents (what it reported is gone from the index and the links)
    linked = {m for link in extended.links() for m in link.members}
    by_article: dict = {}
    for s in extended.incidents():
        by_article.setdefault(s.article_pk, []).append(s.pk)
    held = [a for a, pks in sorted(by_article.items()) if linked.intersection(pks)]
    for st in twins:
        assert _replace(st, held[0], "Renamed Outlet") == "replaced"
    _relinked(twins, monkeypatch)
    assert extended.outlet("Renamed Outlet").articles == 1
    for st in twins:
        a = st.article(held[1])
        emptied = ArticleRecord(a.article_id, a.published, [], _record_of(st, held[1]).summary)
        assert st.add(Article(a.article_id, a.text, a.title, a.published, a.outlet, a.source), emptied,
                      "99.1") == "replaced"
    _relinked(twins, monkeypatch)
    assert not extended.incidents_of_articles([held[1]])
    # a replacement not relinked yet: the log has it too (its links are one member short)
    for st in twins:
        assert _replace(st, held[2]) == "replaced"
    refreshed_from_the_log(extended, monkeypatch)
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)
    _relinked(twins, monkeypatch)


def test_outlet_partners_cut_short_are_summed_again(twins, monkeypatch):
    """An outlet's statistics move by what the incidents that went and came gave it, except
    where its stored partners were cut to the first DETAIL_MAX: those are summed again."""
    from sitrep.link.incremental import link_store
    extended, rebuilt = twins
    monkeypatch.setattr(incident_index, "DETAIL_MAX", 1)
    summed = []
    real = extended.outlet_figures
    monkeypatch.setattr(extended, "outlet_figures", lambda o, most: summed.append(o) or real(o, most))
    for st in twins:
        incident_index.build(st)
    first = extended.links()[0]
    si = extended.stored_incidents([min(first.members)])[0]
    for st in twins:
        assert st.add(*_new_article("again", "Late Courier", si.published, [si.incident]), "test-1") == "added"
        assert link_store(st).incremental
    assert incident_index.update(extended)
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)
    assert summed   # the premise: some outlet had more partners than it kept


def test_where_the_log_cannot_say_every_grouping_is_compared(twins, monkeypatch):
    """Links saved whole, or an index whose version is older than what the log still holds:
    the update compares every grouping, and the result is the rebuild's all the same."""
    from sitrep.link import link_incidents
    from sitrep.link.incremental import link_store
    extended, rebuilt = twins
    compared = []
    real = incident_index._compared
    monkeypatch.setattr(incident_index, "_compared", lambda st: compared.append(1) or real(st))
    for st in twins:
        assert set(st.add_many([_new_article(*a) for a in NEW_ARTICLES[:2]], "test-1")) == {"added"}
        st.save_links(link_incidents(st.incidents(), {a.pk: a for a in st.articles()}))
    _refreshed_without_build(extended, monkeypatch)   # (which undoes the patches)
    assert compared == [1]
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)
    # an index written from an older reading (a build that read before another's update):
    # the log no longer reaches back to its version
    for st in twins:
        assert not link_store(st).incremental            # links saved by other means: a full link
    _refreshed_without_build(extended, monkeypatch)
    older = extended.index_version()
    for st in twins:
        assert _replace(st, st.incidents()[0].article_pk) == "replaced"
        assert link_store(st).incremental
    refreshed_from_the_log(extended, monkeypatch)
    for st in twins:
        assert _replace(st, st.incidents()[-1].article_pk) == "replaced"
    compared.clear()
    with extended.db.transaction():
        extended.db.set_meta("index_version", older)
    monkeypatch.setattr(incident_index, "_compared", lambda st: compared.append(1) or real(st))
    _refreshed_without_build(extended, monkeypatch)   # (which undoes the patches)
    assert compared == [1]
    incident_index.build(rebuilt)
    _assert_same_index(extended, rebuilt)


def test_the_server_takes_in_another_process_s_writes_without_a_rebuild(indexed, monkeypatch):
    """``Service.fresh`` (every request, at most every CHECK_SECONDS) after another
    connection stored articles, then saved links: the index current each time, never rebuilt."""
    from sitrep.link import link_incidents
    from sitrep.serve import service as service_mod
    monkeypatch.setattr(service_mod, "CHECK_SECONDS", 0.0)
    monkeypatch.setattr(incident_index, "build", lambda store: pytest.fail("rebuilt"))
    svc = service_mod.Service(indexed.db.target)
    try:
        st = svc.fresh()
        with open_store(indexed.db.target) as other:
            assert set(other.add_many([_new_article(*a) for a in NEW_ARTICLES[:2]], "test-1")) == {"added"}
        st = svc.fresh()
        assert st.index_version() == st.fingerprint()
        assert st.index_facets()["total"] == st.query_index(IncidentQuery(), limit=1, offset=0)[0]
        with open_store(indexed.db.target) as other:
            other.save_links(link_incidents(other.incidents(), {a.pk: a for a in other.articles()})[:-1])
        st = svc.fresh()
        assert st.index_version() == st.fingerprint()
    finally:
        svc.close()
