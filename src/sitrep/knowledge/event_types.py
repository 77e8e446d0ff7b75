"""sitrep's event types and ACLED's sub-event types, loaded from ``event_types.yaml``.

Every stage reads the types from here: the extractor their words, the records their names,
linkage how well two types fit, reconciliation which is more specific, the exports their
codes, the page their labels and colours. ``acled_coding`` turns what the extractor knows of
an act (sitrep's type, the sub-event words its tellings use, who acted against whom, who
died) into ACLED's disorder type, event type and sub-event type, by the rules of ACLED's
codebook that the spec's "ACLED typology" section states.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

from .compiled import load_yaml


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    rank: int
    specificity: int
    colour: str
    acled: str | None
    fakes_cause: str
    plover_event: str | None
    plover_mode: str | None
    ucdp: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class SubEventType:
    name: str
    event_type: str  # ACLED's
    disorder_type: str
    case: str
    sitrep: str
    plover_event: str | None
    plover_mode: str | None
    rank: int
    phrases: tuple[str, ...]     # words that report an act of the type
    qualifiers: tuple[str, ...] = ()  # words that only refine an act other words report
    objects: tuple[str, ...] = ()  # word classes whose words in its clause are its objects


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return load_yaml(resources.files("sitrep.knowledge").joinpath("event_types.yaml").read_text(), "event_types.yaml")


@functools.lru_cache(maxsize=1)
def event_types() -> dict[str, EventType]:
    """sitrep's types in the spec's order."""
    out = {}
    for name, d in _data()["types"].items():
        plover = d.get("plover") or {}
        out[name] = EventType(name, d["label"], int(d["rank"]), int(d["specificity"]), d["colour"],
                              d.get("acled"), d.get("fakes_cause") or "unknown", plover.get("event"),
                              plover.get("mode"), d.get("ucdp") or "victims",
                              tuple(expand(p) for p in d.get("phrases") or ()))
    return out


@functools.lru_cache(maxsize=1)
def sub_event_types() -> dict[str, SubEventType]:
    """ACLED's 25 sub-event types, under ACLED's spellings."""
    out = {}
    types = _data()["types"]
    for name, d in _data()["acled"].items():
        plover = d.get("plover") or types[d["sitrep"]].get("plover") or {}
        out[name] = SubEventType(name, d["event_type"], d["disorder_type"], d["case"], d["sitrep"],
                                 plover.get("event"), plover.get("mode"), int(d.get("rank", 0)),
                                 tuple(expand(p) for p in d.get("phrases") or ()),
                                 tuple(expand(p) for p in d.get("qualifiers") or ()),
                                 tuple(d.get("objects") or ()))
    return out


@functools.lru_cache(maxsize=1)
def related_pairs() -> tuple[tuple[str, str, float], ...]:
    """(type, a type other reports of its acts use, how well they fit), in the file's order."""
    return tuple((name, other, float(fit)) for name, d in _data()["types"].items()
                 for other, fit in (d.get("related") or {}).items())


@functools.lru_cache(maxsize=1)
def related() -> dict[frozenset, float]:
    """How well two types fit as reports of one act (record linkage)."""
    return {frozenset((a, b)): fit for a, b, fit in related_pairs()}


def by_case_label() -> dict[str, str]:
    """CASE 2021's labels to ACLED's sub-event types."""
    return {s.case: s.name for s in sub_event_types().values()}


@functools.lru_cache(maxsize=None)
def word_class(name: str) -> str:
    """A word class of the file as one regular-expression alternation, longest first."""
    words = sorted(_data()["classes"][name], key=len, reverse=True)
    return "(?:" + "|".join(words) + ")"


def expand(phrase: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: word_class(m.group(1)), phrase)


@functools.lru_cache(maxsize=None)
def class_words(name: str) -> re.Pattern:
    """A word class as a pattern that a whole phrase must match."""
    return re.compile(word_class(name), re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def mishap_words() -> re.Pattern:
    """Words of deaths and blasts by nature, disease or accident."""
    words = sorted(_data().get("mishaps") or (), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w])", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _state_words() -> re.Pattern:
    return re.compile(r"\b" + word_class("state_forces") + r"\b", re.IGNORECASE)


# --- ACLED's coding ------------------------------------------------------------------------

STATE_KINDS = frozenset({"state", "coalition", "external"})
PROTEST = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters",
           "Violent demonstration", "Mob violence")
# Acts done without a fight that a clash's words may surround
UNARMED_ACTS = ("Looting/property destruction", "Arrests", "Disrupted weapons use",
                "Headquarters or base established", "Change to group/activity")
# Words of the violent types that only refine their default sub-event type
REFINES = {"explosion": ("Grenade",)}


def is_state(actor: str | None, kind: str | None = None) -> bool:
    """Whether an actor is a state's forces: by the actor dictionary's kind, else by the words
    that name state forces ("the army", "police", "security forces")."""
    if kind is not None and kind != "unknown":
        return kind in STATE_KINDS
    return bool(actor) and bool(_state_words().search(actor))


def acled_coding(event_type: str, cues: Iterable[str] = (), qualifiers: Iterable[str] = (), *,
                 perpetrator: str | None = None,
                 perpetrator_kind: str | None = None, target_kind: str | None = None,
                 civilians_killed: int = 0, combatants_killed: int = 0,
                 killed: int = 0, injured: int = 0) -> tuple[str, str, str]:
    """(disorder_type, ACLED event_type, sub_event_type) of an act.

    ``cues`` are the sub-event types the words of the act's tellings report, in text order;
    ``qualifiers`` those their words only refine (tear gas refines a protest, and is no
    protest without one).
    Rules, as ACLED's codebook gives them: the means of remote violence decide its sub-event
    type; force against a demonstration is coded by how much force (intervention, excessive
    force) and a demonstration's own violence as a riot; a change of control is the
    government's or a non-state actor's by who took the place, and non-violent where the
    words say so; shooting at an armed side that kills only combatants is a battle, at
    civilians an attack; an act of no violent type takes the sub-event type its words signal
    most (by rank), and with civilians killed and no such words, an attack."""
    cues = list(dict.fromkeys(c for c in cues if c in sub_event_types()))
    refined = cues + [q for q in dict.fromkeys(qualifiers) if q in sub_event_types() and q not in cues]
    state = is_state(perpetrator, perpetrator_kind)
    # a demonstration is one where words report one; its qualifiers then say what kind
    protest = [c for c in refined if c in PROTEST] if any(c in PROTEST for c in cues) else []
    etype = event_types().get(event_type)
    if etype is None:
        raise ValueError(f"unknown event type {event_type!r}")
    sub: str
    if "Sexual violence" in cues and event_type in ("other", "abduction", "shooting_or_execution", "armed_clash"):
        sub = "Sexual violence"
    elif protest and event_type in ("other", "shooting_or_execution", "armed_clash"):
        sub = _protest(protest + [c for c in refined if c == "Arrests"], killed=killed, injured=injured,
                       shot=event_type == "shooting_or_execution", clash=event_type == "armed_clash")
    elif event_type in ("territory_change", "armed_clash") and not killed and \
            "Non-violent transfer of territory" in refined:
        sub = "Non-violent transfer of territory"  # "entered the town without resistance"
    elif event_type == "territory_change":
        sub = "Government regains territory" if state else "Non-state actor overtakes territory"
    elif event_type == "shooting_or_execution":
        armed_target = target_kind is not None and target_kind not in ("civilians", "unknown")
        sub = "Armed clash" if armed_target and combatants_killed and not civilians_killed else "Attack"
    elif event_type == "armed_clash" and not killed and any(c in UNARMED_ACTS for c in cues):
        # "looted and burned homes in an attack", "troops entered the village and arrested
        # ten": no one killed, the act the words report is what was done
        sub = max((c for c in cues if c in UNARMED_ACTS), key=lambda c: sub_event_types()[c].rank)
    elif event_type == "armed_clash":
        # ACLED's battles need two armed sides: an armed group's attack on a place that kills
        # civilians and no fighter, with no armed side named against it, is an attack
        unopposed = target_kind in (None, "unknown") and civilians_killed and not combatants_killed
        sub = "Attack" if target_kind == "civilians" or (unopposed and not state) else "Armed clash"
    elif event_type != "other":
        finer = [c for c in refined if c in REFINES.get(event_type, ())]
        sub = finer[0] if finer else etype.acled
    else:
        own = [c for c in cues if c not in PROTEST]
        if own:
            sub = max(own, key=lambda c: sub_event_types()[c].rank)
        elif civilians_killed or killed:
            sub = "Attack"
        else:
            sub = "Other"
    s = sub_event_types()[sub]
    return s.disorder_type, s.event_type, s.name


def _protest(cues: list[str], *, killed: int, injured: int, shot: bool, clash: bool) -> str:
    """A demonstration's sub-event type: a mob's violence, then force that kills, wounds or
    shoots, then the demonstrators' own violence (a clash with the police is theirs), then
    force that disperses or arrests, else peaceful."""
    if "Mob violence" in cues:
        return "Mob violence"
    if "Excessive force against protesters" in cues or shot or \
            ((killed or injured) and "Protest with intervention" in cues and not clash):
        return "Excessive force against protesters"
    if "Violent demonstration" in cues or clash:
        return "Violent demonstration"
    if "Protest with intervention" in cues or "Arrests" in cues:
        return "Protest with intervention"
    return "Peaceful protest"


def sitrep_type_of(sub_event_type: str, event_type: str) -> str:
    """sitrep's type of an act once its ACLED sub-event type is known (the spec's table: a
    demonstration or riot is ``other`` unless people were shot, a non-violent transfer of
    territory ``territory_change``, an act words left untyped that is an abduction
    ``abduction``)."""
    s = sub_event_types()[sub_event_type]
    if sub_event_type in PROTEST:
        # a demonstration or a riot is no violent kind of sitrep's, unless people were shot
        return event_type if event_type == "shooting_or_execution" else "other"
    if sub_event_type == "Non-violent transfer of territory":
        return "territory_change"
    if event_type != "other":
        return event_type
    return s.sitrep if s.sitrep in ("abduction", "territory_change") else event_type
