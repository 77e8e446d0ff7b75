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
