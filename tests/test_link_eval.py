"""`sitrep eval links` on a small fixture, its scoring rules, and `sitrep link --db`."""
import io
import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.commands.link import score_pairs

FIX = Path(__file__).parent / "fixtures" / "links"


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "links.json"
    code, out, err = run(["eval", "links", str(FIX / "pairs.jsonl"), str(FIX / "articles.jsonl"),
                          "--json", str(path)])
    assert code == 0, err
    return out, json.loads(path.read_text())


def test_eval_links_scores_the_fixture(report):
    out, r = report
    assert "same incident, all pairs" in out and "wire copy" in out
    by_pair = {(p["a"], p["b"]): p for p in r["pairs"]}
    assert by_pair["hasakeh-afp", "hasakeh-reprint"]["pred_same"]
    assert by_pair["hasakeh-afp", "hasakeh-reprint"]["pred_wire"]
    assert by_pair["hasakeh-afp", "hasakeh-rewrite"]["pred_same"]          # same act, other words
    assert not by_pair["hasakeh-afp", "hasakeh-rewrite"]["pred_wire"]      # ... not a copy
    assert not by_pair["hasakeh-afp", "douma-shelling"]["pred_same"]
    assert not by_pair["hasakeh-reprint", "ariha-strike"]["pred_same"]
    assert r["missing"] == ["missing-article"]
    assert r["all_pairs"]["pairs"] == 5 and r["sure_pairs"]["pairs"] == 4
    assert r["all_pairs"]["tp"] == 2 and r["all_pairs"]["fn"] == 1 and r["all_pairs"]["fp"] == 0
    assert r["wire"] == {"pairs": 5, "gold": 1, "tp": 1, "fp": 0, "fn": 0,
                         "precision": 1.0, "recall": 1.0, "f1": 1.0}


def pair(a, b, label="same", wire=False, unsure=False):
    return {"a": a, "b": b, "label": label, "wire_copy": wire, "unsure": unsure, "why": ""}


def test_unsure_pairs_count_in_all_pairs_and_not_in_sure_pairs():
    pairs = [pair("1", "2"), pair("1", "3", unsure=True), pair("2", "3", "different", unsure=True),
             pair("3", "4", "different", wire=False), pair("4", "5", wire=True)]
    same = {("1", "2"): True, ("1", "3"): False, ("2", "3"): True, ("3", "4"): False, ("4", "5"): True}
    wire = {("1", "2"): True, ("1", "3"): False, ("2", "3"): False, ("3", "4"): False, ("4", "5"): True}
    r = score_pairs(pairs, same, wire)
    assert (r["all_pairs"]["tp"], r["all_pairs"]["fp"], r["all_pairs"]["fn"]) == (2, 1, 1)
    assert (r["sure_pairs"]["tp"], r["sure_pairs"]["fp"], r["sure_pairs"]["fn"]) == (2, 0, 0)
    assert r["sure_pairs"]["f1"] == 1.0
    assert (r["wire"]["tp"], r["wire"]["fp"], r["wire"]["fn"]) == (1, 1, 0)
    assert r["wire"]["precision"] == 0.5 and r["wire"]["recall"] == 1.0


def test_eval_links_needs_articles(tmp_path):
    code, _, err = run(["eval", "links", str(FIX / "pairs.jsonl")])
    assert code == 2 and "needs the articles" in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": "1"}\n')
    code, _, err = run(["eval", "links", str(bad), str(FIX / "articles.jsonl")])
    assert code == 2 and "not a pair" in err


def test_sitrep_link_stores_links_and_wire_groups(tmp_path):
    from sitrep.store import open_store

    db = str(tmp_path / "t.db")
    assert run(["ingest", "--db", db, str(FIX / "articles.jsonl")])[0] == 0
    code, out, err = run(["link", "--db", db])
    assert code == 0, err
    assert "1 linked incidents" in out and "1 wire groups" in out
    store = open_store(db)
    try:
        links = store.links()
        ids = {a.pk: a.article_id for a in store.articles()}
        article_of = {si.pk: ids[si.article_pk] for si in store.incidents()}
    finally:
        store.close()
    assert len(links) == 1
    assert {article_of[m] for m in links[0].members} == {"hasakeh-afp", "hasakeh-reprint", "hasakeh-rewrite"}
    assert [[ids[a] for a in g] for g in links[0].wire_groups] == [["hasakeh-afp", "hasakeh-reprint"]]
    # running it again replaces the links, it does not add to them
    assert run(["link", "--db", db])[0] == 0
    store = open_store(db)
    try:
        assert len(store.links()) == 1
    finally:
        store.close()


def test_sitrep_link_shows_progress_only_when_asked_off_a_terminal(tmp_path):
    db = str(tmp_path / "t.db")
    assert run(["ingest", "--db", db, str(FIX / "articles.jsonl")])[0] == 0
    code, out, err = run(["link", "--db", db])
    assert code == 0 and err == ""
    code, out2, err = run(["link", "--db", db, "--full", "--progress"])   # the first was full too
    assert code == 0 and out2 == out
    assert "linking" in err and "writing reconciled incidents" in err and "/2 [" in err   # on standard error only
