"""An incremental relink (sitrep.link.incremental) leaves the links a full link leaves: after
new articles, replaced ones (one of them left without incidents), a new report that merges
two acts' clusters and a replaced one that splits a cluster; the index, updated after each
relink from the store's change log, is the one a full rebuild makes; and `sitrep link` is
incremental by default, `--full` links anew."""
import dataclasses
import datetime as dt
import importlib.util
import random
from pathlib import Path

import pytest

from indexfix import index_tables, rebuilt_tables, refreshed_from_the_log
from linkfix import MANBIJ, incident
from sitrep import incident_index
from sitrep.cli import main
from sitrep.link.incremental import link_store
from sitrep.records import Article, ArticleRecord
from sitrep.store import content_hash, open_store

ROOT = Path(__file__).resolve().parents[1]


def links_of(store):
    return sorted((lk.id, tuple(lk.members), tuple(map(tuple, lk.wire_groups))) for lk in store.links())


def relink_equals_full(store):
    """Relink incrementally, then in full: the same links (ids, members, wire groups)."""
    run = link_store(store)
    assert run.incremental
    incremental = links_of(store)
    link_store(store, full=True)
    assert links_of(store) == incremental
    return run, incremental


def relink_equals_rebuild(store, tmp_path, monkeypatch):
    """Relink incrementally and update the index from the change log; a copy of the store
    linked in full and its index rebuilt: the same links, the same index. The store itself
    stays incremental (its next relink and update build on this one)."""
    run = link_store(store)
    assert run.incremental
    refreshed_from_the_log(store, monkeypatch)
    copy = tmp_path / "full.db"
    copy.unlink(missing_ok=True)
    want = rebuilt_tables(store, copy)
    with open_store(str(copy)) as full:
        link_store(full, full=True)
        assert links_of(full) == links_of(store)
    got = index_tables(store)
    for tables in (got, want):   # the versions: the time of the links differs
        tables["meta"] = [row for row in tables["meta"] if row[0] != "index_version"]
    assert got == want
    return run


def synthetic_db(path, n):
    spec = importlib.util.spec_from_file_location("bench_synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_db(str(path), n, seed=5)
    return path


@pytest.mark.parametrize("incidents, changes", [
    (300, 6), pytest.param(1500, 30, marks=pytest.mark.slow)])
def test_new_and_replaced_articles_relink_as_a_full_link(tmp_path, monkeypatch, incidents, changes):
    db = synthetic_db(tmp_path / "w.db", incidents)
    rng = random.Random(11)
    with open_store(str(db)) as store:
        assert not link_store(store).incremental          # no last link: a full one
        incident_index.refresh(store)
        changed = 0
        for k in range(changes):
            pks = store.incident_pks()
            si = store.stored_incidents([rng.choice(pks)])[0]
            if k % 2 == 0:   # a new report of a stored act (and, every other time, of a second)
                incidents = [si.incident]
                if k % 4 == 0:
                    incidents.append(store.stored_incidents([rng.choice(pks)])[0].incident)
                new = Article(f"new-{k}", f"{si.incident.event_type} reported again ({k})", None,
                              si.published, "Late Courier", "test")
                assert store.add(new, ArticleRecord(new.article_id, si.published, incidents), "99.0") == "added"
            else:            # an article stored again by a newer extractor, its first act moved
                a = store.article(si.article_pk)
                incidents = [x.incident for x in store.stored_incidents(store.incidents_of_articles([a.pk]))]
                first = incidents[0]
                if first.date:
                    day = dt.date.fromisoformat(first.date[:10]) + dt.timedelta(days=rng.choice([-3, 2, 5]))
                    incidents[0] = dataclasses.replace(first, date=day.isoformat())
                if k % 4 == 3:   # or left without incidents: what it reported goes
                    incidents = []
                assert store.add(Article(a.article_id, a.text, a.title, a.published, a.outlet, a.source),
                                 ArticleRecord(a.article_id, a.published, incidents), f"99.{k}") == "replaced"
            run = relink_equals_rebuild(store, tmp_path, monkeypatch)
            assert run.articles_changed == 1
            changed += run.links_replaced + run.links_written
        assert changed   # the relinks did change links


def _add(store, aid, text, inc, published="2016-08-11", outlet="Outlet", version="1.0"):
    return store.add(Article(aid, text, None, published, outlet, "test"),
                     ArticleRecord(aid, published, [inc]), version)


# Two reports each of two acts in one town on two days that do not link with each other
# (other days, opposing perpetrators, far-apart tolls, other words), and a vague third
# report (both days, no perpetrator, no toll) that fits both.
STRIKE_A = "Coalition aircraft bombed the grain silo in Manbij, killing 40 people."
STRIKE_B = "Government helicopters dropped barrels on the bakery queue in Manbij, killing 3."
VAGUE = "An air strike hit Manbij this week, residents said."


def vague():
    return incident(MANBIJ, "2016-08-10", date_end="2016-08-11", date_precision="range", evidence=VAGUE)


def _two_acts(store):
    a = incident(MANBIJ, killed=40, perp=["US-led coalition"], evidence=STRIKE_A)
    b = incident(MANBIJ, "2016-08-11", killed=3, perp=["Syrian government forces"], evidence=STRIKE_B)
    _add(store, "a1", STRIKE_A + " Report one.", a, outlet="One")
    _add(store, "a2", STRIKE_A + " Report two.", a, outlet="Two")
    _add(store, "b1", STRIKE_B + " Report three.", b, outlet="Three")
    _add(store, "b2", STRIKE_B + " Report four.", b, outlet="Four")


def test_a_new_report_merges_two_clusters_and_its_replacement_splits_them(tmp_path):
    with open_store(str(tmp_path / "m.db")) as store:
        _two_acts(store)
        link_store(store, full=True)
        assert [len(m) for _, m, _ in links_of(store)] == [2, 2]
        _add(store, "c", VAGUE, vague(), outlet="Five")
        run, links = relink_equals_full(store)
        assert [len(m) for _, m, _ in links] == [5]          # merged through the vague report
        assert run.links_replaced == 2 and run.links_written == 1
        # the vague report replaced by one of another day: the two acts part again
        moved = incident(MANBIJ, date="2016-08-20", evidence=VAGUE)
        assert _add(store, "c", VAGUE, moved, outlet="Five", version="2.0") == "replaced"
        run, links = relink_equals_full(store)
        assert [len(m) for _, m, _ in links] == [2, 2]
        assert run.links_replaced == 1 and run.links_written == 2


def test_a_replacement_logged_without_its_links_counts_every_link(tmp_path):
    """The replacement log names the links a replaced article's incidents were in, so that a
    relink counts only those; a row logged before it did (links NULL) has every link counted."""
    for unrecorded in (False, True):
        with open_store(str(tmp_path / f"r{unrecorded}.db")) as store:
            _two_acts(store)
            link_store(store, full=True)
            a2 = store.article_pk(content_hash(STRIKE_A + " Report two."))
            held = {lk.id for lk in store.links_holding(store.incidents_of_articles([a2]), short=False)}
            moved = incident(MANBIJ, "2016-08-25", killed=40, perp=["US-led coalition"], evidence=STRIKE_A)
            assert _add(store, "a2", STRIKE_A + " Report two.", moved, outlet="Two", version="2.0") == "replaced"
            logged = store.db.query("SELECT links FROM link_state_replaced")
            assert logged == [(" ".join(map(str, sorted(held))),)] and held
            if unrecorded:
                store.db.execute("UPDATE link_state_replaced SET links = NULL")
            run, links = relink_equals_full(store)
            assert [len(m) for _, m, _ in links] == [2] and run.links_replaced == 1


def test_links_saved_by_other_means_make_the_next_link_a_full_one(tmp_path):
    with open_store(str(tmp_path / "o.db")) as store:
        _two_acts(store)
        link_store(store, full=True)
        store.save_links(store.links())        # e.g. sitrep eval, an older server
        _add(store, "c", VAGUE, vague(), outlet="Five")
        assert not link_store(store).incremental
        assert link_store(store).incremental   # and the one after it incremental again
        assert link_store(store).articles_changed == 0


def test_sitrep_link_is_incremental_by_default_and_full_on_request(tmp_path, capsys):
    db = str(tmp_path / "c.db")
    with open_store(db) as store:
        _two_acts(store)
    assert main(["link", "--db", db]) == 0
    assert "(full link)" in capsys.readouterr().out          # no last link yet
    with open_store(db) as store:
        _add(store, "c", VAGUE, vague(), outlet="Five")
    assert main(["link", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1 linked incidents joining 5 incidents" in out and "incremental: 1 articles changed" in out
    assert main(["link", "--db", db, "--full"]) == 0
    assert "1 linked incidents joining 5 incidents" in capsys.readouterr().out
