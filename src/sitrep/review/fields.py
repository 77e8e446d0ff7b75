"""What an analyst may correct, and the check of each value before it is stored.

``check(field, value)`` gives the value in its stored form or raises ValueError with a message
that names the field and what is wrong; the API turns that into a 422, the import into an
error line naming the correction. The ACLED typology is knowledge/event_types.yaml (the
spec's "ACLED typology"): a reviewer names the sub-event type, and its event type and
disorder type follow.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..knowledge.event_types import sub_event_types
from ..records import DATE_PRECISIONS, EVENT_TYPES, PLACE_PRECISIONS, VICTIM_CATEGORIES

# sub_event_type -> (acled_event_type, disorder_type), ACLED's exact spellings (the typology).
ACLED_SUB_EVENTS: dict[str, tuple[str, str]] = {
    name: (s.event_type, s.disorder_type) for name, s in sub_event_types().items()}

FIELDS = ("event_type", "acled", "date", "location", "perpetrator", "claim")
TEXT_MAX = 300         # characters of a name
NOTE_MAX = 5000        # characters of a note


def check(field: str, value: Any) -> Any:
    """``value`` for ``field`` in its stored form; ValueError naming what is wrong."""
    checker = _CHECKS.get(field)
    if checker is None:
        raise ValueError(f"field: unknown field {field!r} (one of {', '.join(FIELDS)})")
    return checker(value)


def check_note(note: Any) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise ValueError("note: must be text")
    if len(note) > NOTE_MAX:
        raise ValueError(f"note: longer than {NOTE_MAX} characters")
    return note.strip() or None


def _text(name: str, value: Any, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"{name}: required")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be text, not {type(value).__name__}")
    if len(value) > TEXT_MAX:
        raise ValueError(f"{name}: longer than {TEXT_MAX} characters")
    return value.strip()


def _event_type(value: Any) -> str:
    if value not in EVENT_TYPES:
        raise ValueError(f"event_type: unknown event type {value!r} (one of {', '.join(EVENT_TYPES)})")
    return value


def _acled(value: Any) -> dict:
    if isinstance(value, str):
        value = {"sub_event_type": value}
    if not isinstance(value, dict):
        raise ValueError("acled: an object with sub_event_type (and optionally acled_event_type, disorder_type)")
    sub = value.get("sub_event_type")
    if sub not in ACLED_SUB_EVENTS:
        raise ValueError(f"acled.sub_event_type: not one of ACLED's sub-event types: {sub!r}")
    event_type, disorder = ACLED_SUB_EVENTS[sub]
    for key, expected in (("acled_event_type", event_type), ("disorder_type", disorder)):
        given = value.get(key)
        if given not in (None, "", expected):
            raise ValueError(f"acled.{key}: {sub!r} is of {expected!r}, not {given!r}")
    return {"disorder_type": disorder, "acled_event_type": event_type, "sub_event_type": sub}


def _day(name: str, value: Any) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def _date(value: Any) -> dict:
    if isinstance(value, str):
        value = {"date": value}
    if not isinstance(value, dict):
        raise ValueError("date: a date (YYYY-MM-DD) or an object with date, date_end, date_precision")
    start = _day("date.date", value.get("date"))
    end = _day("date.date_end", value["date_end"]) if value.get("date_end") else None
    if end is not None and end < start:
        raise ValueError(f"date.date_end: {end} is before date ({start})")
    if end == start:
        end = None
    precision = value.get("date_precision") or ("range" if end else "day")
    if precision not in DATE_PRECISIONS or precision == "unknown":
        raise ValueError(f"date.date_precision: {precision!r} (one of {', '.join(DATE_PRECISIONS[:-1])})")
    return {"date": start, "date_end": end, "date_precision": precision}


def _coordinate(name: str, value: Any, limit: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > limit:
        raise ValueError(f"{name}: a number between -{limit:g} and {limit:g}, not {value!r}")
    return round(float(value), 5)


def _location(value: Any) -> dict:
    if not isinstance(value, dict):
        raise ValueError("location: an object with name, admin1, country, lat, lon, precision")
    country = _text("location.country", value.get("country"), required=False)
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise ValueError(f"location.country: not an ISO 3166 alpha-2 code: {country!r}")
    lat = _coordinate("location.lat", value.get("lat"), 90)
    lon = _coordinate("location.lon", value.get("lon"), 180)
    if (lat is None) != (lon is None):
        raise ValueError("location: give both lat and lon, or neither")
    precision = value.get("precision") or ("point" if lat is not None else "town")
    if precision not in PLACE_PRECISIONS:
        raise ValueError(f"location.precision: {precision!r} (one of {', '.join(PLACE_PRECISIONS)})")
    return {"name": _text("location.name", value.get("name")),
            "admin1": _text("location.admin1", value.get("admin1"), required=False),
            "country": country.upper() if country else None, "lat": lat, "lon": lon, "precision": precision}


def _perpetrator(value: Any) -> list[str]:
    from ..knowledge.actors import ActorDictionary

    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or len(names) > 10:
        raise ValueError("perpetrator: a name, or a list of one to ten names")
    actors = ActorDictionary.load()
    out: list[str] = []
    for i, name in enumerate(names):
        text = _text(f"perpetrator[{i}]", name)
        # A name the dictionary knows is stored as its canonical form; a new one as given.
        canonical = actors.canonical(text, role="actor") or text
        if canonical not in out:
            out.append(canonical)
    return out


def _count(name: str, value: Any) -> dict:
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"best": value}
    if not isinstance(value, dict):
        raise ValueError(f"{name}: a whole number or an object with low, best, high")
    out = {}
    for key in ("low", "best", "high"):
        v = value.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > 10_000_000):
            raise ValueError(f"{name}.{key}: a whole number from 0, not {v!r}")
        out[key] = v
    if all(v is None for v in out.values()):
        raise ValueError(f"{name}: give at least one of low, best, high")
    low, best, high = out["low"], out["best"], out["high"]
    if (low is not None and high is not None and low > high) or \
            (best is not None and ((low is not None and best < low) or (high is not None and best > high))):
        raise ValueError(f"{name}: low <= best <= high does not hold")
    return out


def _claim(value: Any) -> dict:
    if not isinstance(value, dict) or "claim" not in value:
        raise ValueError("claim: an object with claim (which claim) and claimed_by, killed, injured or wrong")
    out: dict[str, Any] = {"claim": value["claim"]}
    if "claimed_by" in value:
        out["claimed_by"] = _text("claim.claimed_by", value["claimed_by"])
    for group in ("killed", "injured"):
        if group in value:
            counts = value[group]
            if not isinstance(counts, dict):
                raise ValueError(f"claim.{group}: an object of victim categories")
            unknown = [k for k in counts if k not in VICTIM_CATEGORIES]
            if unknown:
                raise ValueError(f"claim.{group}: unknown category {unknown[0]!r} (one of {', '.join(VICTIM_CATEGORIES)})")
            out[group] = {k: _count(f"claim.{group}.{k}", counts[k]) for k in VICTIM_CATEGORIES
                          if k in counts and counts[k] is not None}
    if "wrong" in value:
        if not isinstance(value["wrong"], bool):
            raise ValueError("claim.wrong: true or false")
        out["wrong"] = value["wrong"]
    if len(out) == 1:
        raise ValueError("claim: nothing to correct (give claimed_by, killed, injured or wrong)")
    return out


_CHECKS = {"event_type": _event_type, "acled": _acled, "date": _date, "location": _location,
           "perpetrator": _perpetrator, "claim": _claim}

__all__ = ["ACLED_SUB_EVENTS", "FIELDS", "check", "check_note"]
