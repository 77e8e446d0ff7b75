"""The development bars as regression floors: extraction scored on the data in ../shared.

Each bar the extractor meets is asserted with a small margin (MARGIN) under it; where it
does not meet the bar yet, the figure it measures is the floor, so that a change that loses
quality fails here. The README's table gives the bars and the measured values.
"""
import io
import json
from pathlib import Path

import pytest

from sitrep.cli import Tally, extract_records
from sitrep.evaluate import score_fakes, score_gold

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = SHARED / "gold"
FAKES = SHARED / "fakes-dev.csv"
SATP = SHARED / "satp-dev.jsonl"
CASE = SHARED / "case2021-dev.tsv"
SAMPLES_GOLD = Path(__file__).resolve().parent / "fixtures" / "samples-gold"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MARGIN = 0.03
# As measured at the close of this round (README, "Quality"); each floor is the figure less MARGIN.
GOLD_F1, CLAIMANT_F1 = 0.818, 0.805
KILLED_TOTAL, ADMIN1, DATE, PERPETRATOR, EVENT_TYPE = 0.918, 0.959, 0.868, 0.860, 0.918
SATP_KILLED, SATP_KILLED_WHERE, SATP_INJURED, SATP_STATE, SATP_LOCATED = 0.926, 0.813, 0.959, 0.953, 0.925
SATP_ANYONE_F1 = 0.920
# Issue 10's bars on the CASE dev snippets: weighted F1 0.75 over ACLED's 25 classes and
# accuracy 0.70 over all 30 labels (README, "Quality"); the floors are what the extractor
# measures, less MARGIN. SUB_EVENT_TYPE: ACLED sub-event type right on matched gold.
CASE_WEIGHTED_F1, CASE_ACCURACY, SUB_EVENT_TYPE = 0.786, 0.773, 0.893


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


# Issue 9's bars on the 53 dev gold articles (strict place matching) are incident F1 0.80,
# killed total 0.88, claimant F1 0.80, perpetrator 0.85; the extractor reaches each (README,
# "Quality"). These floors are what it measures now, less MARGIN, so that a change that loses
# quality fails here.
GOLD_FLOORS = {
    ("incidents", "f1"): GOLD_F1,
    ("claimants", "f1"): CLAIMANT_F1,
}
FIELD_FLOORS = {
    "killed_total": KILLED_TOTAL, "admin1": ADMIN1, "date": DATE, "perpetrator": PERPETRATOR,
    "sub_event_type": SUB_EVENT_TYPE,
    "event_type": EVENT_TYPE,
}


@pytest.mark.slow
def test_gold_floors(gold_report):
    for (section, key), floor in GOLD_FLOORS.items():
        assert gold_report[section][key] >= floor - MARGIN, (section, key, gold_report[section][key])
    for field, floor in FIELD_FLOORS.items():
        acc = gold_report["fields"][field]["accuracy"]
        assert acc >= floor - MARGIN, (field, acc)


def _lowercased(tmp_path: Path) -> list[Path]:
    paths = []
    for p in sorted(GOLD.glob("*.article.json")):
        art = json.loads(p.read_text(encoding="utf-8"))
        art["text"] = art["text"].lower()
        if art.get("title"):
            art["title"] = art["title"].lower()
        out = tmp_path / p.name
        out.write_text(json.dumps(art), encoding="utf-8")
        paths.append(out)
    return paths


@pytest.mark.slow
def test_lowercase_gold_within_bar_of_cased(gold_report, tmp_path):
    """The issue's bar: the dev gold lowercased scores an incident F1 within 0.05 of the
    cased text's (and the margin)."""
    lower = score_gold(_extract(_lowercased(tmp_path)), GOLD)
    assert lower["incidents"]["f1"] >= gold_report["incidents"]["f1"] - 0.05 - MARGIN, (
        lower["incidents"]["f1"], gold_report["incidents"]["f1"])


# Issue 9's SATP bars: killed exact 0.90 overall and 0.80 where anyone died, anyone killed F1
# 0.90, injured exact 0.90, state right 0.95 where located, located 0.85 (read over the acts of
# sitrep's own typology: README, "Decisions"). Floors as measured now, less MARGIN; none refused.
SATP_FLOORS = {
    "killed_exact": SATP_KILLED, "killed_exact_where_killed": SATP_KILLED_WHERE,
    "injured_exact": SATP_INJURED, "state_where_located": SATP_STATE,
    "located_violent_act": SATP_LOCATED,
}


def _scored_texts(path: Path, read, score) -> dict:
    """A data set of short texts (SATP, CASE) extracted as `sitrep eval` does, and scored."""
    if not path.is_file():
        pytest.skip(f"{path} is not beside the checkout")
    from sitrep.commands.eval_texts import extract_texts

    items, _ = read(path)
    records, reasons, _ = extract_texts(items, io.StringIO())
    return score(records, items, refused_reasons=reasons)


@pytest.mark.slow
def test_satp_floors():
    from sitrep.evaluate import read_satp, score_satp

    report = _scored_texts(SATP, read_satp, score_satp)
    assert report["refused"] == 0, report["refused_items"][:5]
    for name, floor in SATP_FLOORS.items():
        acc = report["figures"][name]["accuracy"]
        assert acc >= floor - MARGIN, (name, acc)
    assert report["anyone_killed"]["f1"] >= SATP_ANYONE_F1 - MARGIN


@pytest.mark.slow
def test_case_snippets_none_refused_and_acled_classification_floors():
    """Every CASE dev snippet is English: none may be refused as not English. The ACLED
    sub-event classification holds its floors."""
    from sitrep.evaluate import read_case, score_case

    report = _scored_texts(CASE, read_case, score_case)
    assert report["refused"] == 0, report["refused_items"]
    assert report["weighted_f1"] >= CASE_WEIGHTED_F1 - MARGIN
    assert report["accuracy"]["share"] >= CASE_ACCURACY - MARGIN


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
