"""Event-type triggers: the words that say what kind of violent act a clause reports."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass
class Trigger:
    start: int
    end: int
    text: str
    event_type: str
    rank: int


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern, dict[str, tuple[str, int]]]:
    data = yaml.safe_load(resources.files("sitrep.knowledge").joinpath("events.yaml").read_text())
    groups: list[str] = []
    names: dict[str, tuple[str, int]] = {}
    for i, (etype, spec) in enumerate(data["event_types"].items()):
        # Longest phrases first inside each alternation so "car bomb" beats "bomb".
        phrases = sorted(spec["phrases"], key=len, reverse=True)
        group = f"g{i}"
        names[group] = (etype, int(spec.get("rank", 0)))
        groups.append(f"(?P<{group}>{'|'.join(phrases)})")
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w])", re.IGNORECASE)
    return pattern, names


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    pattern, names = _lexicon()
    out = []
    for m in pattern.finditer(text):
        group = m.lastgroup
        etype, rank = names[group]
        out.append(Trigger(m.start() + offset, m.end() + offset, m.group(0), etype, rank))
    return out


def dominant_type(triggers: list[Trigger]) -> str | None:
    """The most specific event type signalled: higher rank wins."""
    if not triggers:
        return None
    return max(triggers, key=lambda t: t.rank).event_type
