"""`sitrep eval case`: its reader and scoring rules, on invented snippets written here (none
is taken from the data set)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.evaluate import format_report
from sitrep.evaluate.case import read_case, score_case


def record(sid: str, incidents: int = 0) -> dict:
    """A record with that many (placeholder) incidents: the scorer only counts them."""
    return {"article_id": sid, "published": None, "incidents": [{}] * incidents, "summary": {}}


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    rows = [("1", "Militants fired mortars at a border post, killing two guards.", "ART_MISS_ATTACK"),
            ("2", 'Hundreds marched through the capital, chanting "no more taxes".', "PEACE_PROTEST"),
            ("3", "Floods swept away dozens of houses after a week of rain.", "NATURAL_DISASTER"),
            ("4", "Les ministres se sont réunis pour discuter du budget de l'année prochaine.", "DIPLO"),
            ("", "a row without an id", "ARREST")]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(["id", "EventSnippet", "SubType"])
    w.writerows(rows)
    path = tmp_path / "case.tsv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_read_case(case_file, tmp_path):
    rows, unreadable = read_case(case_file)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"] and unreadable == 1
    assert rows[1]["text"].endswith('"no more taxes".')
    assert len(read_case(case_file, limit=1)[0]) == 1
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\n1\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="SubType"):
        read_case(bad)


def test_case_scoring_rules(case_file):
    rows, unreadable = read_case(case_file)
    preds = [record("1", 1), record("2"), record("3", 1)]  # 4 refused
    r = score_case(preds, rows, unreadable=unreadable, refused_reasons={"4": "not English"})
    assert (r["snippets"], r["refused"]) == (4, 1)
    assert r["refused_items"] == [{"id": "4", "label": "DIPLO", "reason": "not English"}]
    assert r["acled_yield"] == {"right": 1, "n": 2, "share": 0.5}
    assert r["non_acled_quiet"] == {"right": 1, "n": 2, "share": 0.5}   # the refused one is quiet
    assert r["per_label"]["ART_MISS_ATTACK"] == {"snippets": 1, "with_incident": 1}
    text = format_report(r)
    assert "ACLED-class snippets with an incident" in text and "DIPLO" in text


def test_cli_eval_case(case_file, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    report_path = tmp_path / "r.json"
    assert main(["eval", "case", str(case_file), "--json", str(report_path)], out=out, err=err) == 0
    r = json.loads(report_path.read_text(encoding="utf-8"))
    assert r["snippets"] == 4 and r["unreadable"] == 1
    assert sum(v["snippets"] for v in r["per_label"].values()) == 4
    assert all(i["reason"] != "no record" for i in r["refused_items"])


def test_eval_limit_must_be_positive(case_file):
    with pytest.raises(SystemExit):
        main(["eval", "case", str(case_file), "--limit", "0"], out=io.StringIO(), err=io.StringIO())


def coded(sid: str, *subs: str) -> dict:
    """A record whose incidents carry these ACLED sub-event types, in text order."""
    return {"article_id": sid, "published": None, "summary": {},
            "incidents": [{"sub_event_type": s} for s in subs]}


def test_acled_classification_scores_the_first_incident():
    rows = [{"id": "a", "text": "", "label": "AIR_STRIKE"},
            {"id": "b", "text": "", "label": "AIR_STRIKE"},
            {"id": "c", "text": "", "label": "PEACE_PROTEST"},
            {"id": "d", "text": "", "label": "NATURAL_DISASTER"},
            {"id": "e", "text": "", "label": "ORG_CRIME"}]
    preds = [coded("a", "Air/drone strike", "Armed clash"),   # right: the first act counts
             coded("b", "Armed clash", "Air/drone strike"),   # wrong
             coded("c", "Peaceful protest"),                  # right
             coded("d"),                                      # no event: right outside ACLED
             coded("e", "Arrests")]                           # an event where there is none
    r = score_case(preds, rows)
    air, protest, arrests = r["classes"]["AIR_STRIKE"], r["classes"]["PEACE_PROTEST"], r["classes"]["ARREST"]
    assert (air["support"], air["predicted"], air["true_positive"]) == (2, 1, 1)
    assert air["precision"] == 1.0 and air["recall"] == 0.5 and air["f1"] == pytest.approx(2 / 3)
    assert protest["f1"] == 1.0
    assert (arrests["support"], arrests["predicted"], arrests["f1"]) == (0, 1, 0.0)
    assert len(r["classes"]) == 25
    # weighted by support: AIR_STRIKE 2 x 2/3, PEACE_PROTEST 1 x 1, over 3 ACLED-labelled snippets
    assert r["weighted_f1"] == pytest.approx((2 * 2 / 3 + 1) / 3)
    assert r["accuracy"] == {"right": 3, "n": 5, "share": 0.6}
    assert r["confusion"]["AIR_STRIKE"] == {"AIR_STRIKE": 1, "ARMED_CLASH": 1}
    assert r["confusion"]["NO_EVENT"] == {"NO_EVENT": 1, "ARREST": 1}
    assert [m["id"] for m in r["mismatches"]] == ["b", "e"]
    text = format_report(r)
    assert "weighted F1 0.778" in text and "confusion" in text


def test_a_refused_snippet_is_no_event():
    rows = [{"id": "a", "text": "", "label": "GRENADE"}, {"id": "b", "text": "", "label": "DIPLO"}]
    r = score_case([], rows)
    assert r["accuracy"]["right"] == 1 and r["classes"]["GRENADE"]["recall"] == 0.0
