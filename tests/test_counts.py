"""Casualty counts: numbers, the spec's qualifier table, and the figure finder.

Every sentence here is written for this file; the gold check at the end reads the shared
annotations beside the checkout and skips when they are absent.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.extract.counts import Figure, find_figures, parse_count, parse_number
from sitrep.extract import victims

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "gold"


# --- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("words, value", [
    ("14", 14), ("1,400", 1400), ("1400", 1400), ("3,000", 3000), ("150000", 150000),
    ("fourteen", 14), ("twenty-one", 21), ("ninety-nine", 99), ("a dozen", 12),
    ("two hundred", 200), ("one hundred and twenty", 120), ("hundred", 100),
    ("three thousand", 3000), ("2 million", 2_000_000), ("one", 1), ("1 000", 1000),
])
def test_parse_number(words: str, value: int) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize("words", ["", "people", "several", "dozens", "1.7", "five six", "a"])
def test_parse_number_rejects(words: str) -> None:
    assert parse_number(words) is None


# --- the spec's Count table, row by row ------------------------------------------------------

@pytest.mark.parametrize("phrase, low, best, high", [
    ("14", None, 14, None),
    ("fourteen", None, 14, None),
    ("some 40", None, 40, None),
    ("about 40", None, 40, None),
    ("around 40", None, 40, None),
    ("approximately 40", None, 40, None),
    ("roughly 40", None, 40, None),
    ("at least 58", 58, 58, None),
    ("more than 60", 60, 60, None),
    ("over 60", 60, 60, None),
    ("60-plus", 60, 60, None),
    ("no fewer than 60", 60, 60, None),
    ("up to 80", None, 80, 80),
    ("as many as 80", None, 80, 80),
    ("nearly 20", None, 20, 20),
    ("almost 20", None, 20, 20),
    ("close to 20", None, 20, 20),
    ("between 10 and 15", 10, 10, 15),
    ("10 to 15", 10, 10, 15),
    ("10-15", 10, 10, 15),
    ("a dozen", None, 12, None),
    ("several", 3, None, None),
    ("dozens", 24, None, None),
    ("scores", 40, None, None),
    ("hundreds", 200, None, None),
    ("a child", None, 1, None),
    ("a woman", None, 1, None),
    ("one of its commanders", None, 1, None),
    ("at least 1,400", 1400, 1400, None),
    ("more than twenty", 20, 20, None),
])
def test_parse_count_table(phrase: str, low: int | None, best: int | None, high: int | None) -> None:
    c = parse_count(phrase)
    assert c is not None
    assert (c.low, c.best, c.high) == (low, best, high)
    assert c.text == phrase


@pytest.mark.parametrize("phrase", ["people", "the town", "", "a town"])
def test_parse_count_rejects(phrase: str) -> None:
    assert parse_count(phrase) is None


# --- the figure finder -----------------------------------------------------------------------

def figs(sentence: str, offset: int = 0) -> list[tuple]:
    """(outcome, category, low, best, high, text) of each figure, for compact assertions."""
    return [(f.outcome, f.category, f.count.low, f.count.best, f.count.high, f.text)
            for f in find_figures(sentence, offset)]


def by_cat(sentence: str) -> dict[tuple[str, str], Figure]:
    return {(f.outcome, f.category): f for f in find_figures(sentence)}


def test_verb_before_civilians_gives_civilians_and_total() -> None:
    s = "Government jets killed 17 civilians in the town on Monday a monitor said."
    assert figs(s) == [("killed", "civilians", None, 17, None, "17 civilians"),
                       ("killed", "total", None, 17, None, "17 civilians")]
    f = find_figures(s)
    assert f[0].group == f[1].group and f[0].noun == "civilians"


def test_passive_and_qualifier() -> None:
    assert figs("At least 31 rebels were killed near the dam.") == [
        ("killed", "combatants", 31, 31, None, "At least 31"),
        ("killed", "total", 31, 31, None, "At least 31")]


def test_including_children_shares_the_group() -> None:
    got = find_figures("Shelling killed 42 civilians including 8 children in the old quarter.")
    cats = {(f.category, f.count.best) for f in got}
    assert cats == {("civilians", 42), ("total", 42), ("children", 8)}
    assert len({f.group for f in got}) == 1


def test_people_including_children_gives_no_civilians() -> None:
    got = by_cat("Twelve people including five children died when the shell hit the school.")
    assert set(got) == {("killed", "total"), ("killed", "children")}
    assert got["killed", "total"].count.best == 12 and got["killed", "children"].count.best == 5


def test_dying_including() -> None:
    got = by_cat("The raid left the village in ruins and resulted in 48 civilians dying including 9 children")
    assert got["killed", "civilians"].count.best == 48
    assert got["killed", "children"].count.best == 9
    assert got["killed", "children"].group == got["killed", "civilians"].group


def test_killing_and_injuring_others() -> None:
    s = "Rockets hit the square killing two people including a woman and injuring seven others."
    assert figs(s) == [("killed", "total", None, 2, None, "two people"),
                       ("killed", "women", None, 1, None, "a woman"),
                       ("injured", "total", None, 7, None, "seven others")]
    f = find_figures(s)
    assert f[0].group == f[1].group != f[2].group


def test_a_new_verb_ends_the_including_list() -> None:
    got = figs("Ten civilians were killed including a child and 37 others were injured.")
    assert ("killed", "children", None, 1, None, "a child") in got
    assert ("injured", "civilians", None, 37, None, "37 others") in got
    assert not any(g[0] == "killed" and g[3] == 37 for g in got)


def test_a_part_without_category_does_not_replace_the_total() -> None:
    got = figs("Nine civilians including a journalist were killed in the shelling.")
    assert got == [("killed", "civilians", None, 9, None, "Nine civilians"),
                   ("killed", "total", None, 9, None, "Nine civilians")]


def test_others_take_the_category_before() -> None:
    got = figs("The brigade said it killed 14 Nusra Front militants and wounded 9 others.")
    assert ("killed", "combatants", None, 14, None, "14") in got
    assert ("injured", "combatants", None, 9, None, "9 others") in got
    assert ("injured", "total", None, 9, None, "9 others") in got


def test_children_among_people() -> None:
    got = by_cat("At least 15 children were among 27 people killed in the market bombing.")
    assert (got["killed", "children"].count.low, got["killed", "children"].count.best) == (15, 15)
    assert got["killed", "total"].count.best == 27
    assert ("killed", "civilians") not in got
    assert got["killed", "children"].group == got["killed", "total"].group


def test_toll_of_killed_and_wounded() -> None:
    assert figs("The governor gave a toll of 12 killed and 40 wounded.") == [
        ("killed", "total", None, 12, None, "12 killed"),
        ("injured", "total", None, 40, None, "40 wounded")]


def test_compound_of_one_category_is_summed() -> None:
    s = "The monitor said at least 30 Islamic State fighters and 12 Kurdish militia fighters had been killed."
    got = figs(s)
    text = "at least 30 Islamic State fighters and 12 Kurdish militia fighters"
    assert got == [("killed", "combatants", 42, 42, None, text), ("killed", "total", 42, 42, None, text)]


def test_compound_of_two_categories_is_not_summed() -> None:
    got = figs("Three soldiers and two civilians were killed at the checkpoint.")
    assert ("killed", "combatants", None, 3, None, "Three soldiers") in got
    assert ("killed", "civilians", None, 2, None, "two civilians") in got
    assert not any(g[3] == 5 for g in got)


def test_lost_troops_and_militia() -> None:
    got = by_cat("The government lost more than 25 troops and militia in the assault.")
    assert (got["killed", "combatants"].count.low, got["killed", "combatants"].count.best) == (25, 25)
    assert got["killed", "total"].text == "more than 25"


def test_death_toll_reached() -> None:
    got = figs("The death toll from the car bomb near the market climbed to at least 63 people the ministry said.")
    assert got == [("killed", "total", 63, 63, None, "at least 63")]


def test_bodies_are_dead_without_a_verb() -> None:
    assert figs("Rescuers said they pulled out at least 19 bodies from the rubble.") == [
        ("killed", "total", 19, 19, None, "at least 19")]


def test_destroyed_fighters_count_but_destroyed_vehicles_do_not() -> None:
    got = figs("The ministry said up to 50 (IS) militants were destroyed near the river.")
    assert ("killed", "combatants", None, 50, 50, "up to 50") in got
    assert ("killed", "total", None, 50, 50, "up to 50") in got
    assert figs("The jets destroyed 20 vehicles near the river.") == []


@pytest.mark.parametrize("sentence, outcome, low, best, high", [
    ("More than 20 people suffered suffocation after the shelling.", "injured", 20, 20, None),
    ("Doctors said 14 people were treated for breathing problems.", "injured", None, 14, None),
    ("Rescuers said 33 people were affected by the gas.", "injured", None, 33, None),
    ("Scores more were wounded some seriously.", "injured", 40, None, None),
    ("Dozens of people were killed in the raids.", "killed", 24, None, None),
    ("Hundreds were hurt in the blast.", "injured", 200, None, None),
    ("Between 10 and 15 people were killed.", "killed", 10, 10, 15),
    ("10 to 15 people died in the fire.", "killed", 10, 10, 15),
    ("Nearly 20 people lost their lives.", "killed", None, 20, 20),
    ("No fewer than 58 people were killed.", "killed", 58, 58, None),
    ("A further six died in the hospital.", "killed", None, 6, None),
    ("The car bomb left 9 people dead.", "killed", None, 9, None),
    ("The strike claimed the lives of at least 11 people.", "killed", 11, 11, None),
    ("Another 1,400 people were killed.", "killed", None, 1400, None),
    ("The fighting cost more than 70 lives.", "killed", 70, 70, None),
])
def test_total_figures(sentence: str, outcome: str, low, best, high) -> None:
    got = [f for f in find_figures(sentence) if f.category == "total"]
    assert [(f.outcome, f.count.low, f.count.best, f.count.high) for f in got] == [(outcome, low, best, high)]


def test_several_soldiers_wounded() -> None:
    got = by_cat("Several soldiers were wounded in the ambush.")
    assert got["injured", "combatants"].count.low == 3 and got["injured", "total"].count.low == 3


def test_one_commander() -> None:
    got = figs("Troops ambushed the convoy killing one of its commanders.")
    assert got == [("killed", "combatants", None, 1, None, "one of its commanders"),
                   ("killed", "total", None, 1, None, "one of its commanders")]


def test_a_child_alone_makes_no_total() -> None:
    got = figs("A child was killed and three people were wounded.")
    assert got == [("killed", "children", None, 1, None, "A child"),
                   ("injured", "total", None, 3, None, "three people")]


def test_six_were_children() -> None:
    assert figs("Of those killed six were children.") == [("killed", "children", None, 6, None, "six")]


def test_the_bomber_is_not_a_victim() -> None:
    got = figs("A suicide bomber killed at least 16 people at the gate.")
    assert got == [("killed", "total", 16, 16, None, "at least 16")]


@pytest.mark.parametrize("sentence", [
    "Nearly 40 air strikes hit the district on Sunday.",
    "Fighters seized 15 oil tankers on the road.",
    "The fund pledged $2.5 million for the wounded.",
    "The zone covers 1,200 square km north of the city.",
    "Delegates from 14 nations met in Geneva.",
    "About 3000 people were evacuated from the town.",
    "Some 500 fighters were brought in to reinforce the front.",
    "1500 residents were granted safe passage out of the city.",
    "Some 300 families were displaced by the fighting.",
    "The dead were children between seven and ten years old.",
    "In 2015 the group seized the town.",
    "12 members of the brigade were killed or wounded in the shelling.",
    "Eight people were missing after the raid.",
    "Some 20 people were unaccounted for.",
    "Militants arrested 30 people in the square.",
    "Forty soldiers were captured near the base.",
    "The blast caused 45 casualties.",
    "The meeting will take place at 5 pm on 12 May.",
    "He spent 5 years in prison where 3 hours a day were lost.",
])
def test_not_figures(sentence: str) -> None:
    assert figs(sentence) == []


def test_dates_are_not_counts() -> None:
    got = figs("Air strikes on March 3 killed nine people in the town.")
    assert got == [("killed", "total", None, 9, None, "nine people")]


@pytest.mark.parametrize("sentence", [
    "More than 400000 people have been killed since 2011.",
    "The war has killed hundreds of thousands of people.",
    "Some 90 civilians have been killed since the offensive began three weeks ago.",
    "Strikes killed 120 people over the past two months.",
    "So far this year 230 civilians have died in the province.",
    "The conflict has claimed the lives of more than 1000 people.",
])
def test_cumulative_tolls_are_flagged(sentence: str) -> None:
    got = find_figures(sentence)
    assert got and all(f.cumulative for f in got)


def test_recent_span_is_not_cumulative() -> None:
    got = find_figures("Strikes killed 12 people over the past 24 hours.")
    assert got and not any(f.cumulative for f in got)


def test_offsets_are_article_offsets() -> None:
    s = "Overnight strikes killed 25 civilians."
    got = find_figures(s, offset=100)
    assert got[0].start == 100 + s.index("25 civilians")
    assert got[0].end == got[0].start + len("25 civilians")
    assert got[0].text == "25 civilians"


# --- gold -----------------------------------------------------------------------------------

def _figures_with_parse(text: str) -> list:
    """What the extractor reads from one evidence span: the figure grammar, and the parse
    where the grammar finds nothing or the victims are listed."""
    figures = find_figures(text, 0)
    if victims.needs_parse(text, figures):
        doc = victims.parse(text)
        if doc is not None:
            figures = victims.combine(figures, victims.figures_from_parse(doc, 0, len(text), 0))
    return figures


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared gold annotations not present")
def test_gold_counts_reproduced() -> None:
    hit = total = 0
    missed = []
    for path in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for inc in gold.get("incidents", []):
            for claim in inc["claims"]:
                found = {(f.outcome, f.category, f.count.low, f.count.best, f.count.high)
                         for ev in claim["evidence"] for f in _figures_with_parse(ev["text"])
                         if not f.cumulative}
                for outcome in ("killed", "injured"):
                    for cat, c in claim[outcome].items():
                        total += 1
                        key = (outcome, cat, c["low"], c["best"], c["high"])
                        if key in found:
                            hit += 1
                        else:
                            missed.append((path.name, key, c["text"]))
    print(f"gold counts reproduced: {hit}/{total}")
    for m in missed:
        print("  missed", *m)
    assert total > 0
    # measured 218/261 (0.835) on the 53 dev articles with the parse; the misses need the
    # clause before, or annotators counted "people" as civilians
    assert hit / total >= 0.81


def test_hyphenated_number_words_start_a_figure() -> None:
    """Issue 9, class 7: "forty-three" as written, at the head of a sentence or after a verb."""
    got = find_figures("Forty-three people were killed and twenty-one others wounded.")
    assert {(f.outcome, f.category, f.count.best) for f in got} >= {("killed", "total", 43), ("injured", "total", 21)}


def test_a_partitive_subset_after_a_comma() -> None:
    """Issue 9, class 7: "30 people, ten of them women" gives the women as part of the 30."""
    got = {(f.category, f.count.best, f.text) for f in find_figures("The strike killed 30 people, ten of them women.")
           if f.outcome == "killed"}
    assert ("total", 30, "30 people") in got and ("women", 10, "ten") in got


def test_a_partitive_with_no_noun_of_its_own_is_part_of_the_group_before() -> None:
    """Issue 9, class 7: "four guards, one of them an officer, were killed" is four dead, not one."""
    for s in ("Four guards, one of them an officer, were killed in the blast at the checkpoint.",
              "Four guards (one of them an officer) were killed in the blast at the checkpoint."):
        got = {(f.category, f.count.best) for f in find_figures(s) if f.outcome == "killed"}
        assert ("total", 4) in got and ("total", 1) not in got, s


def test_a_parenthesised_aside_does_not_break_a_noun_phrase_or_its_verb() -> None:
    """A short form or an outlet's aside in parentheses ("Forces (XYZ) killed", "18 Shabaab
    (an al-Qaeda affiliate) fighters"): read as if it were not there; its offsets stay the text's."""
    s = "Share 3 41 Allied Democratic Forces (ADF) killed 18 Shabaab (an al-Qaeda affiliate) fighters."
    got = [(f.outcome, f.category, f.count.best, s[f.start:f.end]) for f in find_figures(s)]
    assert ("killed", "total", 41, "41") not in got and ("killed", "total", 18, "18") in got
    # an aside that counts is read
    got = find_figures("Nine villagers (among them three boys) were shot dead.")
    assert {(f.category, f.count.best) for f in got} >= {("total", 9), ("children", 3)}


def test_people_who_fell_victim_were_killed() -> None:
    got = find_figures("Twelve civilians fell victim to the shelling of the market.")
    assert ("killed", "total", 12) in {(f.outcome, f.category, f.count.best) for f in got}


def test_victims_protected_by_their_work_are_civilians_unless_a_part_of_a_larger_toll() -> None:
    """Issue 9, class 7: "five aid workers were killed" states five civilians (medics,
    rescuers, journalists: protected by their work); "nine people including a nurse" says
    nothing of the other eight, so it gives no civilian count."""
    got = {(f.category, f.count.best) for f in find_figures("Five aid workers were killed in the ambush.")}
    assert ("civilians", 5) in got
    got = {(f.category, f.count.best) for f in find_figures("Two journalists and a paramedic were killed.")}
    assert ("civilians", 3) in got
    got = {(f.category, f.count.best) for f in find_figures("The blast killed nine people including a nurse.")}
    assert got == {("total", 9)}
    got = {(f.category, f.count.best) for f in find_figures("Three workers were killed in the blast.")}
    assert got == {("total", 3)}


def test_the_subject_of_a_killing_verb_with_its_own_object_is_no_victim() -> None:
    """Issue 9, class 7: "a bomber from the group blew himself up ..., killing 9" aside, "a
    sniper from X shot dead two people": the sniper did the shooting; two died."""
    got = {(f.category, f.count.best) for f in find_figures(
        "A sniper from the rebel brigade shot dead two people near the market.") if f.outcome == "killed"}
    assert got == {("total", 2)}
    got = {(f.category, f.count.best) for f in find_figures(
        "Forty fighters from three countries were killed in the fighting.") if f.outcome == "killed"}
    assert ("combatants", 40) in got
