"""The values of the incident filters, checked once for `sitrep incidents`, `sitrep export`
and the HTTP API (``sitrep.serve.filters``).

Each function takes what a user typed and returns it in the form the filters compare, or
raises ValueError with a message naming the bad value (the command line reports it as a
usage error, the API as a 422 naming the parameter).
"""
from __future__ import annotations

from typing import Iterable

from .knowledge.event_types import sub_event_types as typology
from .records import EVENT_TYPES


def country_code(value: str | None) -> str | None:
    """An ISO 3166 alpha-2 code, upper-cased; None when blank."""
    code = (value or "").strip()
    if not code:
        return None
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise ValueError(f"not an ISO 3166 alpha-2 code: {value!r}")
    return code.upper()


def event_types(values: Iterable[str]) -> tuple[str, ...]:
    """sitrep's event types, each once, in the order given."""
    types = tuple(dict.fromkeys(t.strip() for t in values if t and t.strip()))
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise ValueError(f"unknown event type {unknown[0]!r} (one of {', '.join(EVENT_TYPES)})")
    return types


def sub_event_types(values: Iterable[str]) -> tuple[str, ...]:
    """ACLED's sub-event types in ACLED's spelling, whatever the case typed ("air/drone strike")."""
    known = {name.lower(): name for name in typology()}
    out: list[str] = []
    for raw in values:
        text = (raw or "").strip()
        if not text:
            continue
        name = known.get(text.lower())
        if name is None:
            raise ValueError(f"unknown ACLED sub-event type {raw!r} (one of "
                             f"{', '.join(typology())})")
        if name not in out:
            out.append(name)
    return tuple(out)


__all__ = ["country_code", "event_types", "sub_event_types"]
