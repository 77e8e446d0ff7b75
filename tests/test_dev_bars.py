"""The development bars as regression floors: extraction scored on the data in ../shared.

Each bar of the issue is asserted with a small margin (MARGIN) under it, so that a change
that loses quality fails here; the README's table gives the measured values.
"""
from pathlib import Path

import pytest

from sitrep.cli import Tally, extract_records
from sitrep.evaluate import score_fakes, score_gold

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = SHARED / "gold"
FAKES = SHARED / "fakes-dev.csv"
SAMPLES_GOLD = Path(__file__).resolve().parent / "fixtures" / "samples-gold"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MARGIN = 0.03


def _extract(paths):
    return [r.to_dict() for r in extract_records([str(p) for p in paths], published=None, outlet=None,
                                                 max_bytes=50_000_000, tally=Tally(), progress=False)]


@pytest.fixture(scope="module")
def gold_report():
    if not GOLD.is_dir():
        pytest.skip("../shared/data/gold is not beside the checkout")
    return score_gold(_extract(sorted(GOLD.glob("*.article.json"))), GOLD)


def test_seed_article_comes_out_as_its_gold(gold_report):
    per = {a["article_id"]: a for a in gold_report["per_article"]}
    seed = per["seed-0001"]
    assert seed["gold"] == 5 and seed["predicted"] == 5 and seed["matched"] == 5
    wrong = [m for m in gold_report["mismatches"] if m["article_id"] == "seed-0001"]
    assert wrong == [], wrong


GOLD_FLOORS = {  # the bars
    ("incidents", "f1"): 0.80,
    ("claimants", "f1"): 0.75,
}
FIELD_FLOORS = {
    "killed_total": 0.85, "admin1": 0.90, "date": 0.85, "perpetrator": 0.80, "event_type": 0.80,
}


@pytest.mark.slow
def test_gold_floors(gold_report):
    for (section, key), floor in GOLD_FLOORS.items():
        assert gold_report[section][key] >= floor - MARGIN, (section, key, gold_report[section][key])
    for field, floor in FIELD_FLOORS.items():
        acc = gold_report["fields"][field]["accuracy"]
        assert acc >= floor - MARGIN, (field, acc)


@pytest.mark.slow
def test_fakes_summary_bars():
    if not FAKES.is_file():
        pytest.skip("../shared/data/fakes-dev.csv is not beside the checkout")
    report = score_fakes(_extract([FAKES]), FAKES)
    fields = report["fields"]
    assert report["scored"] == 405
    # the bars, each with the small margin
    assert fields["location"]["accuracy"] >= 0.85 - 0.01
    assert fields["cause_of_death"]["accuracy"] >= 0.75 - 0.01
    assert fields["actor"]["accuracy"] >= 0.70 - 0.01
    assert fields["nb_civilians"]["accuracy"] >= 0.60


@pytest.mark.slow
def test_bundled_samples_against_our_annotations():
    report = score_gold(_extract([SAMPLES]), SAMPLES_GOLD)
    assert report["incidents"]["f1"] >= 0.77 - MARGIN
    assert report["fields"]["killed_total"]["accuracy"] >= 0.76 - MARGIN
