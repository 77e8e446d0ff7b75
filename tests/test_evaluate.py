"""The evaluation scorers: incident matching against gold files, summaries against FA-KES.

Expected figures are worked out by hand from the fixtures in tests/fixtures/evaluate/
(see the "notes" of each gold file for what its prediction gets wrong).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.evaluate import (disagreements, format_report, load_predictions, score_fakes,
                             score_gold)
from sitrep.evaluate.matching import dates_admissible, match_incidents
from sitrep.evaluate.fields import place_right
from sitrep.evaluate.places import same_place
from sitrep.records import Claim, Count, Incident, Location

FIXTURES = Path(__file__).parent / "fixtures" / "evaluate"
GOLD = FIXTURES / "gold"
SHARED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold"


def gold_as_predictions(gold_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.gold.json"))]


@pytest.fixture(scope="module")
def report() -> dict:
    return score_gold(load_predictions(FIXTURES / "predictions.json"), GOLD)


def inc(date: str | None, name: str, *, date_end: str | None = None, event: str = "air_strike",
        admin1: str | None = None, precision: str = "town", lat: float | None = None,
        lon: float | None = None, perp: tuple[str, ...] = ("unknown",),
        killed: int | None = None) -> Incident:
    claims = [Claim("reporter", killed={"total": Count(best=killed)} if killed else {})]
    return Incident(event, date, date_end, "range" if date_end else "day",
                    Location(name, admin1, "SY", lat, lon, precision), list(perp), None, claims)


# --- gold: the hand-made fixture -------------------------------------------------------

def test_incident_precision_recall_f1(report):
    # gold 3+3+2+2, predicted 3+4+2+0 (fx-zz is not in the gold set), matched 3+2+1+0
    assert report["incidents"] == pytest.approx(
        {"gold": 10, "predicted": 9, "matched": 6,
         "precision": 6 / 9, "recall": 6 / 10, "f1": 12 / 19})


def test_field_accuracies_on_matched_incidents(report):
    wrong = {"event_type": 0, "sub_event_type": 0,  # neither side codes ACLED here
             "date": 2,              # fx-b a day late; fx-c range given as its last day
             "admin1": 0,            # Deir Ezzor / Deir ez-Zor share a key
             "place": 0,             # the strict rule admits only the same place
             "perpetrator": 1,       # fx-b: an extra perpetrator at Atarib
             "killed_total": 1,      # fx-b: 25 for 23
             "killed_civilians": 1,  # fx-c: the monitor's 10 civilians not read
             "killed_children": 0, "injured_total": 0}
    assert {k: v["right"] for k, v in report["fields"].items()} == {k: 6 - n for k, n in wrong.items()}
    assert all(v["matched"] == 6 for v in report["fields"].values())
    assert report["fields"]["date"]["accuracy"] == pytest.approx(4 / 6)


def test_claimant_precision_recall_f1(report):
    # shared 4 (fx-a) + 1 + 1 (fx-b) + 1 (fx-c); gold 4+2+2; predicted 4+4+1
    assert report["claimants"] == pytest.approx(
        {"gold": 8, "predicted": 9, "shared": 7,
         "precision": 7 / 9, "recall": 7 / 8, "f1": 14 / 17})


def test_per_article_table_and_unscored_articles(report):
    rows = {a["article_id"]: (a["gold"], a["predicted"], a["matched"], a["has_prediction"])
            for a in report["per_article"]}
    assert rows == {"fx-a": (3, 3, 3, True), "fx-b": (3, 4, 2, True),
                    "fx-c": (2, 2, 1, True), "fx-d": (2, 0, 0, False)}
    assert report["missing_predictions"] == ["fx-d"]
    assert report["extra_predictions"] == ["fx-zz"]


def mismatches(report: dict, article: str) -> list[tuple]:
    return [(m["field"], m["gold"], m["predicted"]) for m in report["mismatches"]
            if m["article_id"] == article]


def test_transliterated_place_and_perfect_article_have_no_mismatch(report):
    assert mismatches(report, "fx-a") == []


def test_one_day_off_matches_three_days_off_does_not(report):
    found = mismatches(report, "fx-b")
    assert ("date", "2016-05-25", "2016-05-26") in found
    assert ("killed_total", [23], [25]) in found
    assert ("incident", "explosion 2016-05-20 Azaz", None) in found
    assert ("incident", None, "explosion 2016-05-23 Azaz") in found
    assert ("incident", None, "shelling 2016-05-25 Hama") in found


def test_neighbourhood_does_not_match_gold_at_admin1_precision(report):
    found = mismatches(report, "fx-c")
    assert ("incident", "territory_change 2017-03-01 Homs", None) in found
    assert ("incident", None, "armed_clash 2017-03-01 Khalidiya") in found
    assert not any(f in ("admin1", "place") for f, _, _ in found)


def test_missing_article_lists_its_incidents_as_missed(report):
    assert mismatches(report, "fx-d") == [
        ("incident", "abduction 2015-01-10 Douma", None),
        ("incident", "shelling 2015-01-10 Damascus", None)]


def test_gold_scored_against_itself_is_perfect():
    assert_all_perfect(score_gold(gold_as_predictions(GOLD), GOLD))


def test_report_is_json_and_renders(report):
    assert json.loads(json.dumps(report)) == report
    text = format_report(report)
    assert "incidents    10          9        6      0.667   0.600  0.632" in text
    assert "fx-d" in text and "MISSING" in text
    assert "Errors by class" in text
    # fx-c: the province-level gain predicted at a quarter; fx-d: no record at all
    assert report["errors"]["counts"]["place_too_fine"] == 1
    assert report["errors"]["counts"]["no_record"] == 2


def test_empty_gold_dir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        score_gold([], tmp_path)


# --- gold: the matching rules one by one ------------------------------------------------

@pytest.mark.parametrize("gold, pred, ok", [
    (inc("2017-10-06", "x"), inc("2017-10-07", "x"), True),
    (inc("2017-10-06", "x"), inc("2017-10-08", "x"), False),
    (inc(None, "x"), inc(None, "x"), True),
    (inc(None, "x"), inc("2017-10-06", "x"), False),
    (inc("2017-03-01", "x", date_end="2017-03-02"), inc("2017-03-03", "x"), True),
    (inc("2017-03-01", "x", date_end="2017-03-02"), inc("2017-03-04", "x"), False),
    (inc("2017-03-05", "x"), inc("2017-02-28", "x", date_end="2017-03-04"), True),
    (inc("2017-03", "x"), inc("2017-03-31", "x"), True),
])
def test_dates_admissible(gold, pred, ok):
    assert dates_admissible(gold, pred) is ok


def town(name: str, admin1: str | None = None, lat: float | None = None,
         lon: float | None = None, precision: str = "town", country: str = "SY") -> Location:
    return Location(name, admin1, country, lat, lon, precision)


@pytest.mark.parametrize("gold, pred, ok", [
    (town("Deir ez-Zor"), town("Deir Ezzor"), True),                     # one name_key
    (town("A", lat=35.0, lon=40.0), town("B", lat=35.036, lon=40.0), True),  # ~4 km apart
    (town("A", lat=35.0, lon=40.0), town("B", lat=35.06, lon=40.0), False),  # ~6.7 km
    (town("Daraa"), town("Deir ez-Zor"), False),
    (town("Damascus"), town("Rural Damascus"), False),                  # no containment
    # a town in the gold, its province predicted: no credit, even of the same name
    (town("Idlib", "Idlib"), town("Idlib", "Idlib", precision="admin1"), False),
    (town("Khan Shaykhun", "Idlib"), town("Idlib", "Idlib", precision="admin1"), False),
    # the province in the gold, a town predicted: no credit either
    (town("Idlib", "Idlib", precision="admin1"), town("Khan Shaykhun", "Idlib"), False),
    # both at province precision in the same province, whatever they are called
    (town("Homs", "Homs", precision="admin1"), town("Homs Governorate", "Homs", precision="admin1"), True),
    (town("Hama", "Hama", precision="admin1"), town("Homs", "Homs", precision="admin1"), False),
    (town("Syria", precision="country"), town("Syrian Arab Republic", precision="country"), True),
    (town("Syria", precision="country"), town("Aleppo", "Aleppo"), False),
    # one name in two provinces is two places
    (town("Qasr", "Homs"), town("Qasr", "Daraa"), False),
    (town("Qasr", "Homs"), town("Qasr", None), True),
])
def test_strict_same_place(gold, pred, ok):
    assert same_place(gold, pred) is ok


def test_gold_place_is_placed_through_the_gazetteer():
    # The gold has no coordinates: its town is found in the gazetteer, so a predicted point
    # 3 km from the town's centre is the gold's place and one 20 km away is not.
    from sitrep.evaluate.places import points
    (lat, lon), *_ = points(town("Khan Shaykhun", "Idlib"))
    assert same_place(town("Khan Shaykhun", "Idlib"), town("X", "Idlib", lat + 0.027, lon))
    assert not same_place(town("Khan Shaykhun", "Idlib"), town("X", "Idlib", lat + 0.18, lon))


def test_alias_is_the_same_place():
    # GeoNames lists alternate names of one entry; two spellings that do not share a
    # name_key still meet there. Find such a pair in the gazetteer rather than naming one.
    from sitrep.evaluate.places import _index, key
    ix = _index()
    names: dict[int, list[str]] = {}
    for sk, ids in ix.by_spelling.items():
        for i in (ids,) if isinstance(ids, int) else ids:
            if ix.country[i] == "SY" and ix.kind[i] == 0 and ix.admin1[i] == "Aleppo":
                names.setdefault(i, []).append(sk)
    a, b = next(v[:2] for v in names.values() if len(v) > 1 and key(v[0]) != key(v[1])
                and len({j for s in v[:2] for j in ix.ids(ix.by_spelling, s)}) == 1)
    assert same_place(town(a, "Aleppo"), town(b, "Aleppo"))
    assert not same_place(town(a, "Aleppo"), town(b + "x", "Aleppo"))


def test_place_field_is_the_strict_rule():
    gold = inc("2017-01-01", "A", lat=35.0, lon=40.0)
    assert place_right(gold, inc("2017-01-01", "B", lat=35.036, lon=40.0))     # ~4 km
    assert not place_right(gold, inc("2017-01-01", "B", lat=35.06, lon=40.0))  # ~6.7 km


def test_assignment_follows_event_type_and_toll():
    gold = [inc("2017-10-06", "Mayadeen", event="air_strike", killed=80),
            inc("2017-10-06", "Mayadeen", event="armed_clash")]
    pred = [inc("2017-10-06", "Al-Mayadin", event="armed_clash"),
            inc("2017-10-06", "Mayadin", event="air_strike", killed=80)]
    assert match_incidents(gold, pred) == [(0, 1), (1, 0)]


def test_assignment_prefers_more_pairs_to_better_pairs():
    # g0-p0 agree on everything; g0-p1 and g1-p0 agree only on the place, but two pairs
    # beat one. g1-p1 are two days apart.
    homs = dict(admin1="Homs", precision="point")
    gold = [inc("2017-03-02", "Waer", event="shelling", perp=("A",), killed=10, **homs),
            inc("2017-03-03", "Waer", event="abduction", perp=("C",), **homs)]
    pred = [inc("2017-03-02", "Waer", event="shelling", perp=("A",), killed=10, **homs),
            inc("2017-03-01", "Waer", event="abduction", perp=("B",), **homs)]
    assert match_incidents(gold, pred) == [(0, 1), (1, 0)]


# --- FA-KES -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fakes_predictions() -> list[dict]:
    return load_predictions(FIXTURES / "fakes-predictions.jsonl")


def test_fakes_per_field_accuracy(fakes_predictions):
    r = score_fakes(fakes_predictions, FIXTURES / "fakes.csv")
    assert (r["rows"], r["scored"], r["missing"], r["unmatched_predictions"]) == (5, 4, 1, 1)
    assert r["missing_ids"] == ["105"]
    right = {k: v["right"] for k, v in r["fields"].items()}
    assert right == {"location": 3, "actor": 3, "cause_of_death": 2, "nb_civilians": 1,
                     "nb_children": 4, "nb_women": 4, "nb_noncivilians": 3}
    assert all(v["n"] == 4 for v in r["fields"].values())
    assert r["fields"]["cause_of_death"]["accuracy"] == 0.5


def test_fakes_within_ten_percent(fakes_predictions):
    # civilians: 11 vs 10 and 18 vs 20 (exactly 10%) are near, 0 vs 0 exact, 0 vs 5 not;
    # non-civilians: 40 vs 45 is 11% off.
    fields = score_fakes(fakes_predictions, FIXTURES / "fakes.csv")["fields"]
    assert fields["nb_civilians"]["within_10pct"] == 3
    assert fields["nb_civilians"]["accuracy_within_10pct"] == 0.75
    assert fields["nb_noncivilians"]["within_10pct"] == 3
    assert fields["nb_children"]["accuracy_within_10pct"] == 1.0
    assert "within_10pct" not in fields["actor"]


def test_fakes_confusions(fakes_predictions):
    c = score_fakes(fakes_predictions, FIXTURES / "fakes.csv")["confusions"]
    assert c["cause_of_death"] == [["explosion", "shelling", 1], ["execution", "shooting", 1]]
    assert c["location"] == [["raqqa", "deir ezzor", 1]]
    assert c["nb_children"] == []


def test_fakes_disagreements(fakes_predictions):
    rows = disagreements(fakes_predictions, FIXTURES / "fakes.csv", "nb_civilians")
    assert [(r["unit_id"], r["crowd"], r["predicted"]) for r in rows] == [
        ("101", 10, 11), ("102", 20, 18), ("104", 5, 0)]
    assert rows[0]["title"] == "Air strikes hit Aleppo\u2019s east"  # cp1252 0x92 decoded
    assert len(disagreements(fakes_predictions, FIXTURES / "fakes.csv", "nb_civilians", n=2)) == 2
    with pytest.raises(ValueError):
        disagreements(fakes_predictions, FIXTURES / "fakes.csv", "label")


def test_fakes_report_renders(fakes_predictions):
    text = format_report(score_fakes(fakes_predictions, FIXTURES / "fakes.csv"))
    assert "nb_civilians     4      1     0.250       0.750" in text
    assert "rows 5, scored 4, missing 1" in text
    with pytest.raises(ValueError):
        format_report({"kind": "other"})


# --- reading predictions ----------------------------------------------------------------

def test_load_predictions_formats(tmp_path):
    records = [{"article_id": "a", "incidents": []}, {"article_id": "b", "incidents": []}]
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    listed = tmp_path / "p.json"
    listed.write_text(json.dumps(records, indent=1), encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(json.dumps(records[0], indent=2), encoding="utf-8")
    assert load_predictions(jsonl) == records
    assert load_predictions(listed) == records
    assert load_predictions(single) == records[:1]


def test_load_predictions_rejects_bad_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article_id": "a"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_predictions(bad)


# --- the shared gold set ----------------------------------------------------------------

def assert_all_perfect(r: dict) -> None:
    assert r["missing_predictions"] == [] and r["mismatches"] == []
    assert r["errors"] == {"counts": {}, "items": []}
    for k in ("precision", "recall", "f1"):
        assert r["incidents"][k] == 1.0
        assert r["claimants"][k] == 1.0
    assert all(v["accuracy"] == 1.0 for v in r["fields"].values())


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="shared gold files not present")
def test_shared_gold_scored_against_itself_is_perfect():
    assert_all_perfect(score_gold(gold_as_predictions(SHARED_GOLD), SHARED_GOLD))
    # Incidents that share a day and a town must still pair up when the order changes.
    shuffled = gold_as_predictions(SHARED_GOLD)
    for record in shuffled:
        record["incidents"].reverse()
    assert_all_perfect(score_gold(shuffled, SHARED_GOLD))
