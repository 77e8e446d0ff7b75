"""The review work on the command line: `sitrep incidents --review-status`, `sitrep export
--reviewed-only` (and the exports reading reviewed values), `sitrep corrections
list/export/import` and `sitrep eval corrections`."""
import csv
import io
import json

import pytest

from clitools import run
from reviewfix import fill
from sitrep import review
from sitrep.store import open_store


def _target(st, place):
    r = next(r for r in review.reconciled(st).incidents if r.location.name == place)
    keys = st.incident_keys(r.members)
    return [keys[pk] for pk in r.members], r


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "a.db")
    with open_store(path) as st:
        fill(st)
        target, r = _target(st, "Kafr Batna")
        st.add_corrections([
            review.correction("set", target, author="ana", field="acled", new={"sub_event_type": "Shelling/artillery/missile attack"}),
            review.correction("set", target, author="ana", field="event_type", new="shelling", old=r.event_type),
            review.correction("set", target, author="ben", field="date", new="2019-03-03",
                              old={"date": r.date, "date_end": r.date_end, "date_precision": r.date_precision}),
            review.correction("set", target, author="ben", field="date", new="2019-03-04",
                              old={"date": "2019-03-03", "date_end": None, "date_precision": "day"}),
        ])
        st.add_corrections([review.correction("review", _target(st, "Jisr al-Shughur")[0], author="ana")])
        st.add_corrections([review.correction("note", ["f" * 64 + ":0"], author="ana", note="an article since deleted")])
    return path


def test_incidents_filter_by_review_status_and_exports_use_reviewed_values(db):
    code, out, err = run(["incidents", "--db", db, "--review-status", "corrected", "--format", "json"])
    assert code == 0, err
    got = json.loads(out)
    assert [r["event_type"] for r in got] == ["shelling"] and got[0]["review"]["corrected"] == ["acled", "date", "event_type"]
    assert "1 correction whose incident is gone" in err
    code, out, err = run(["incidents", "--db", db, "--review-status", "unreviewed"])
    assert code == 0 and "0 incidents, 0 disputed" in err
    code, out, err = run(["export", "--db", db, "--reviewed-only", "--format", "acled"])
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["sub_event_type"] for r in rows} == {"Shelling/artillery/missile attack"} and len(rows) == 2
    code, out, _ = run(["export", "--db", db, "--format", "jsonl"])
    assert len(out.splitlines()) == 2
    code, out, _ = run(["incidents", "--db", db, "--format", "csv"])
    rows = {r["place"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["Kafr Batna"]["review_status"], rows["Kafr Batna"]["corrected"]) == ("corrected", "acled; date; event_type")
    assert (rows["Jisr al-Shughur"]["review_status"], rows["Jisr al-Shughur"]["corrected"]) == ("reviewed", "")
    code, out, _ = run(["export", "--db", db, "--format", "geojson"])
    assert sorted(f["properties"]["review_status"] for f in json.loads(out)["features"]) == ["corrected", "reviewed"]


def test_corrections_move_between_databases(db, tmp_path):
    dump = tmp_path / "corrections.jsonl"
    code, _, err = run(["corrections", "export", "--db", db, "-o", str(dump)])
    assert code == 0 and "6 corrections exported" in err
    other = str(tmp_path / "b.db")
    with open_store(other) as st:
        fill(st, "1.1")
    lines = dump.read_text().splitlines()
    dump.write_text("\n".join(lines[:2] + ["{not json", json.dumps({"uid": "x", "action": "set"})] + lines[2:]) + "\n")
    code, _, err = run(["corrections", "import", str(dump), "--db", other])
    assert code == 1
    assert f"{dump}:3:" in err and f"{dump}:4:" in err and "6 corrections imported, 0 already held, 2 errors" in err
    code, _, err = run(["corrections", "import", str(dump), "--db", other])
    assert "0 corrections imported, 6 already held" in err
    _, first, _ = run(["incidents", "--db", db, "--format", "json"])
    _, second, _ = run(["incidents", "--db", other, "--format", "json"])
    strip = lambda rs: [(r["event_type"], r["date"], r["review"]["status"]) for r in json.loads(rs)]  # noqa: E731
    assert strip(first) == strip(second)
    code, out, err = run(["corrections", "list", "--db", other, "--orphans"])
    assert code == 0 and "an article since deleted" in out and "1 corrections, 1 orphaned" in err


def test_eval_corrections_reports_per_field_how_often_reviewers_changed_the_machine(db, tmp_path):
    report = tmp_path / "acc.json"
    code, out, err = run(["eval", "corrections", "--db", db, "--json", str(report)])
    assert code == 0, err
    assert "2 reviewed incidents" in out
    fields = json.loads(report.read_text())["fields"]
    assert fields["event_type"] == {"changed": 1, "accuracy": 0.5}
    assert fields["date"] == {"changed": 0, "accuracy": 1.0}   # set, then set back
    assert fields["acled"]["changed"] == 1 and fields["location"]["changed"] == 0


def test_eval_without_a_path_says_so():
    code, _, err = run(["eval", "gold"])
    assert code == 2 and "the path is required" in err
