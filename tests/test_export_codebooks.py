"""The exports pass their codebooks: each rule of tests/codebooks.py, on the bundled samples
(samples/ and demo/, ingested and linked as `make demo` does) and on a database built from
../shared/data/fakes-dev.csv (405 FA-KES articles), exported by `sitrep export` as a user runs it."""
import csv
import io
import json
from pathlib import Path

import pytest

import codebooks
from clitools import run

ROOT = Path(__file__).resolve().parents[1]
FAKES_DEV = ROOT.parent / "shared" / "data" / "fakes-dev.csv"


def _build(tmp_path_factory, name, inputs) -> str:
    db = str(tmp_path_factory.mktemp(name) / f"{name}.db")
    code, _, err = run(["ingest", *map(str, inputs), "--db", db])
    assert code in (0, 1), err          # the French sample is refused, the rest stored
    code, _, err = run(["link", "--db", db])
    assert code == 0, err
    return db


def _exports(db) -> dict:
    out = {}
    for fmt in ("acled", "ucdp", "plover", "jsonl"):
        code, text, err = run(["export", "--db", db, "--format", fmt])
        assert code == 0, err
        if fmt in ("acled", "ucdp"):
            out[fmt] = list(csv.DictReader(io.StringIO(text)))
        else:
            out[fmt] = [json.loads(line) for line in text.splitlines()]
    out["incidents"] = {d["id"]: d for d in out["jsonl"]}
    return out


@pytest.fixture(scope="session")
def samples_export(tmp_path_factory):
    return _exports(_build(tmp_path_factory, "samples", [ROOT / "samples", ROOT / "demo"]))


@pytest.fixture(scope="session")
def fakes_export(tmp_path_factory):
    if not FAKES_DEV.exists():
        pytest.skip(f"{FAKES_DEV} is not here")
    return _exports(_build(tmp_path_factory, "fakes", [FAKES_DEV]))


DATASETS = [pytest.param("samples_export", id="samples"),
            pytest.param("fakes_export", id="fakes-dev", marks=pytest.mark.slow)]

# (format, rule): every rule of tests/codebooks.py that reads one export alone
RULES = [("acled", codebooks.acled_battles_have_two_sides),
         ("acled", codebooks.acled_civilian_targeting_marks_violence_against_civilians),
         ("acled", codebooks.acled_geo_precision_needs_coordinates),
         ("acled", codebooks.acled_timestamp),
         ("acled", codebooks.acled_typology),
         ("acled", codebooks.acled_interaction_follows_the_actors),
         ("ucdp", codebooks.ucdp_violence_only_between_identified_sides),
         ("ucdp", codebooks.ucdp_date_prec_matches_the_dates),
         ("ucdp", codebooks.ucdp_where_prec_matches_the_coordinates),
         ("plover", codebooks.plover_fields),
         ("plover", codebooks.plover_military_context_means_state_forces)]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("fmt,rule", RULES, ids=[rule.__name__ for _, rule in RULES])
def test_codebook_rule(fmt, rule, dataset, request):
    export = request.getfixturevalue(dataset)
    assert export[fmt], "nothing exported"
    assert rule(export[fmt]) == []


@pytest.mark.parametrize("dataset", DATASETS)
def test_acled_second_perpetrator_is_assoc_actor_1(dataset, request):
    export = request.getfixturevalue(dataset)
    assert codebooks.acled_second_perpetrator_is_associated(export["acled"], export["incidents"]) == []


@pytest.mark.slow
def test_the_fakes_export_exercises_the_rules(fakes_export):
    """The rules above are not passed vacuously: FA-KES has battles, violence against
    civilians, unidentified sides, blank coordinates and several perpetrators."""
    acled = fakes_export["acled"]
    kinds = {r["event_type"] for r in acled}
    assert {"Explosions/Remote violence", "Violence against civilians"} <= kinds
    assert any(r["actor1"] == "Unidentified Armed Group (Syria)" for r in acled)
    assert any(r["assoc_actor_1"] for r in acled)
    ucdp = fakes_export["ucdp"]
    assert any(r["type_of_violence"] == "" for r in ucdp) and any(r["type_of_violence"] for r in ucdp)
    assert any(e["context"] == [] for e in fakes_export["plover"])
