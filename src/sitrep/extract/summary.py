"""The FA-KES-compatible article summary, from the article's main incident.

The main incident is the first one the article reports with a death toll (the lead's act),
else its first incident. Its counts follow the FA-KES annotators: victims whose status the
text does not give count as civilians; fighters count as non-civilians. Among the main
incident's claims, the figure comes from an independent monitor or rescue service first,
then the article's own voice, then any other source, in text order within each rank,
because the FA-KES crowd coded the figure an article leads with, and articles lead with
monitors.
"""
from __future__ import annotations

import re
from collections import Counter

from ..knowledge.event_types import event_types
from ..records import Claim, Count, Incident, Summary

# FA-KES's cause of death of each event type (knowledge/event_types.yaml)
CAUSE_OF_EVENT = {name: t.fakes_cause for name, t in event_types().items()}
# Fighting reported without its means was coded "unknown" by the FA-KES crowd; the words of
# the clause that gives the toll say which means killed.
_GUNS = re.compile(r"\b(?:shot|shoot\w*|gunfire|gunmen|sniper\w*|machine[- ]?guns?|bullets?|rifles?)\b", re.IGNORECASE)
_FIRES = re.compile(r"\b(?:shell\w*|artillery|mortars?|rockets?|missiles?|air ?strikes?|raids?|"
                    r"war ?planes?|jets?|bombard\w*|barrel bombs?|projectiles?)\b", re.IGNORECASE)
# Claimants whose figures a monitor would take first.
_INDEPENDENT = ("Syrian Observatory for Human Rights", "White Helmets", "United Nations", "WHO",
                "Syrian Network for Human Rights", "Violations Documentation Center",
                "Doctors Without Borders", "Airwars")
_PARTY_HINTS = ("amaq", "ministry", "army", "military", "forces", "coalition", "pentagon",
                "sana", "state media", "hezbollah", "brigade", "front")


def main_incident(incidents: list[Incident], title: str = "", title_type: str | None = None) -> Incident | None:
    """The act the article leads with: among those with a toll, the one its headline names
    (by place, then by kind), else the first; without tolls, the first violent act (the
    summary codes deaths: an arrest or a protest leads only where nothing violent is told),
    else the first act."""
    with_toll = [inc for inc in incidents if any(c.killed for c in inc.claims)]
    if not with_toll:
        violent = [inc for inc in incidents if inc.event_type != "other"]
        return (violent or incidents or [None])[0]
    lowered = title.lower()

    def named(inc: Incident) -> int:
        score = 0
        loc = inc.location
        if loc.name and loc.name.lower() in lowered:
            score += 2
        elif loc.admin1 and loc.admin1.lower() in lowered:
            score += 1
        if title_type and inc.event_type == title_type:
            score += 1
        return score

    return max(with_toll, key=lambda inc: (named(inc), -with_toll.index(inc)))


def _claim_rank(claim: Claim) -> int:
    if claim.claimed_by in _INDEPENDENT:
        return 0
    if claim.claimed_by == "reporter":
        return 1
    lowered = claim.claimed_by.lower()
    return 3 if any(h in lowered for h in _PARTY_HINTS) else 2


def _value(count) -> int:
    if count is None:
        return 0
    v = count.best if count.best is not None else count.low
    return v or 0


def _cause(main: Incident, execution_words: bool) -> str:
    if main.event_type == "shooting_or_execution":
        return "execution" if execution_words else "shooting"
    if main.event_type in ("armed_clash", "territory_change"):
        words = " ".join(e.text for c in main.claims for e in c.evidence)
        if _FIRES.search(words):
            return "shelling"
        return "shooting" if _GUNS.search(words) else "unknown"
    return CAUSE_OF_EVENT.get(main.event_type, "unknown")


def _actor(main: Incident, incidents: list[Incident], article_actors: list[str], fakes_actor,
           title_actors: list[str] = ()) -> str:
    """The main act's perpetrator; else the one the headline names (headlines lead with the
    main act); for an air strike whose flyer the text leaves open, the air force the article
    names most (as the FA-KES annotators read a whole article)."""
    for p in list(main.perpetrator) + list(title_actors):
        if fakes_actor(p) != "unknown":
            return fakes_actor(p)
    if main.event_type != "air_strike":
        return "unknown"
    # an air strike whose flyer the sentence does not name: the air force the article names
    counts = Counter(fakes_actor(a) for a in article_actors)
    counts.pop("unknown", None)
    return counts.most_common(1)[0][0] if counts else "unknown"


def _most_named(places: list[str]) -> str:
    """The governorate an article names most (ties: the first named)."""
    counts = Counter(p for p in places if p)
    if not counts:
        return ""
    top = max(counts.values())
    return next(p for p in places if p and counts[p] == top)


def headline_total(totals: list[Incident], main: Incident | None, title: str) -> Incident | None:
    """The total the headline gives and the article splits into located parts, one of them
    the main incident ("Airstrikes kill 36 in Aleppo province": 23 in a village, 12 in a
    quarter): the summary carries it (spec ruling 10)."""
    if main is None or not title:
        return None
    numbers = {int(n) for n in re.findall(r"\b\d{1,5}\b", title)}
    for t in totals:
        same_act = t.event_type == main.event_type and t.location.country == main.location.country and \
            (t.location.precision == "country" or t.location.admin1 == main.location.admin1)
        if same_act and any((c.killed.get("total") or Count()).value() in numbers for c in t.claims
                            if not c.denial):
            return t
    return None


def summarise(incidents: list[Incident], published: str | None, fakes_location, fakes_actor,
              main: Incident | None = None,
              execution_words: bool = False, article_actors: list[str] = (),
              title_actors: list[str] = (), article_places: list[str] = (),
              total: Incident | None = None) -> Summary:
    main = main or main_incident(incidents)
    if main is None:
        return Summary(date=published)
    claims = sorted((c for c in main.claims if c.killed and not c.denial), key=_claim_rank)
    nb_civ = nb_child = nb_women = nb_non = 0
    if claims:
        k = claims[0].killed
        totals = sorted((c for c in total.claims if c.killed and not c.denial), key=_claim_rank) if total else []
        if totals:
            # the headline's total, with the main part's kinds of victim where it names none
            k = {**{c: v for c, v in k.items() if c not in ("total", "civilians")}, **totals[0].killed}
        nb_child = _value(k.get("children"))
        nb_women = _value(k.get("women"))
        nb_non = _value(k.get("combatants"))
        if "civilians" in k:
            nb_civ = _value(k["civilians"])
        elif "total" in k and "combatants" not in k:
            nb_civ = _value(k["total"])
        elif "total" in k:
            nb_civ = max(0, _value(k["total"]) - nb_non)
        # children and women are civilians even where the text gives no civilian figure
        nb_civ = max(nb_civ, nb_child, nb_women)
    actor = _actor(main, incidents, list(article_actors), fakes_actor, list(title_actors))
    cause = _cause(main, execution_words)
    return Summary(
        date=main.date or published,
        location=fakes_location(main.location) or _most_named(article_places),
        actor=actor,
        cause_of_death=cause,
        nb_civilians=nb_civ,
        nb_children=nb_child,
        nb_women=nb_women,
        nb_noncivilians=nb_non,
    )
