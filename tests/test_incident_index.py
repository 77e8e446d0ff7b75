"""The index over the bundled samples, as a user gets it: `sitrep ingest` then `sitrep link`,
then `incident_index.build`. What the index answers must be exactly what `sitrep incidents`
computes in memory (`reconcile_all` + `reconcile.select`): the same incidents, the same
summaries, the same filters. On SQLite and PostgreSQL alike."""
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from clitools import run
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
    assert code == 1 and "mali-fr-2019" in err  # the French sample is refused, the rest stored
    code, out, err = run(["link", "--db", db])
    assert code == 0, err
    return db


@pytest.fixture
def indexed(store_url, sample_db, tmp_path):
    """A store holding the linked samples (SQLite: the file itself; PostgreSQL: its articles
    and records added, then linked as `sitrep link` does), with the index built."""
    if store_url.startswith("postgresql"):
        with open_store(sample_db) as src:
            items = [(Article(a.article_id, a.text, a.title, a.published, a.outlet, a.source), r)
                     for a, r in src.records()]
            version = next(src.articles()).extractor_version
        with open_store(store_url) as st:
            assert set(st.add_many(items, version)) == {"added"}
        code, _, err = run(["link", "--db", store_url])
        assert code == 0, err
        url = store_url
    else:
        url = str(tmp_path / "copy.db")
        shutil.copy(sample_db, url)
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
