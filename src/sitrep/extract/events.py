"""Event words: the words that say what kind of act a clause reports.

Two kinds, both from knowledge/event_types.yaml: triggers type the act in sitrep's
typology (the violent kinds), cues name ACLED sub-event types (a protest, an arrest, a
grenade) that refine a violent act or are the act themselves.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..knowledge.caseless import fold, lower_literals
from ..knowledge.event_types import class_words, event_types, sub_event_types
from ..knowledge.gazetteer import no_collection
from .first_chars import dispatched


@dataclass
class Trigger:
    start: int
    end: int
    text: str
    event_type: str
    rank: int


@dataclass
class Cue:
    start: int
    end: int
    text: str
    sub_event_type: str
    rank: int
    qualifier: bool = False  # the words refine an act, report none alone


def _alternation(entries: list[tuple]) -> tuple[re.Pattern, dict[str, tuple]]:
    kinds: list[tuple[str, list[str]]] = []
    values: dict[str, tuple] = {}
    # At one position the higher-ranked kind's words are tried first ("bombing raid" is an
    # air raid before it is a bombing); inside a kind, longer phrases first ("car bomb" beats
    # "bomb").
    # (a qualifier is tried after the words that report an act: "riots" before "throwing")
    for i, (name, rank, phrases, *extra) in enumerate(sorted(entries, key=lambda e: (-e[1], *e[3:]))):
        if not phrases:
            continue
        group = f"g{i}"
        values[group] = (name, rank, *extra)
        # matched over folded text (knowledge.caseless): compiled as the lower-case twin
        # alone, since the case-insensitive original was never matched, only compiled
        kinds.append((group, [lower_literals(p) for p in sorted(phrases, key=len, reverse=True)]))
    source, groups = dispatched(kinds)
    with no_collection():  # hundreds of thousands of parser objects: no sweeps among them
        pattern = re.compile(r"(?<![\w-])(?:" + source + r")(?![\w])")
    return pattern, {part: values[group] for part, group in groups.items()}


@functools.lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern, dict[str, tuple[str, int]]]:
    return _alternation([(t.name, t.rank, t.phrases) for t in event_types().values()])


@functools.lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern, dict[str, tuple[str, int]]]:
    return _alternation([(s.name, s.rank, s.phrases, False) for s in sub_event_types().values()] +
                        [(s.name, s.rank, s.qualifiers, True) for s in sub_event_types().values()])


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    pattern, names = _triggers()
    out = []
    for m in pattern.finditer(fold(text)):
        etype, rank = names[m.lastgroup]
        out.append(Trigger(m.start() + offset, m.end() + offset, text[m.start():m.end()], etype, rank))
    return out


def find_cues(text: str, offset: int = 0) -> list[Cue]:
    pattern, names = _cues()
    out = []
    for m in pattern.finditer(fold(text)):
        sub, rank, qualifier = names[m.lastgroup]
        out.append(Cue(m.start() + offset, m.end() + offset, text[m.start():m.end()], sub, rank, qualifier))
    return out


def outvoted(triggers: list[Trigger], cues: list[Cue]) -> list[Trigger]:
    """The triggers that no longer phrase of another kind contains ("seized" inside "seized
    twelve rifles" is a seizure of weapons, not of a town; "hostages" inside "released the
    hostages" an agreement's term, not an abduction), and that are no object of an act its
    clause reports ("seized rifles, rockets and IEDs": no shelling, no blast)."""
    subs = sub_event_types()
    objects = _objects(cues)
    return [t for t in triggers
            if not any(c.start <= t.start and t.end <= c.end and c.end - c.start > t.end - t.start
                       and subs[c.sub_event_type].sitrep != t.event_type for c in cues)
            and not _is_object(t.text, objects)]


def _objects(cues: list[Cue], other_than: str | None = None) -> set[str]:
    """The word classes whose words are the objects of the acts the cues report (of the acts
    of another sub-event type than ``other_than``)."""
    subs = sub_event_types()
    return {o for c in cues if not c.qualifier and c.sub_event_type != other_than
            for o in subs[c.sub_event_type].objects}


def _is_object(words: str, objects: set[str]) -> bool:
    return any(class_words(o).fullmatch(words) for o in objects)


def not_objects(cues: list[Cue]) -> list[Cue]:
    """The cues that are no object of another act the clause reports ("seized rifles and
    grenades": a seizure, no grenade attack)."""
    return [c for c in cues if not _is_object(c.text, _objects(cues, other_than=c.sub_event_type))]


def dominant_type(triggers: list[Trigger]) -> str | None:
    """The most specific event type signalled: higher rank wins."""
    if not triggers:
        return None
    return max(triggers, key=lambda t: t.rank).event_type
