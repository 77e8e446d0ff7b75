"""Per-field correctness of a predicted incident against its matched gold incident.

The rules themselves are stated in ``sitrep.evaluate.gold``'s docstring; this module only
implements them, so that the matcher and the scorer judge a field the same way.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from sitrep.records import Incident

from .places import admin1_key, same_place


def parse_day(s: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day a date string can mean ("2017-10" is the whole month).

    The spec writes full ISO days, but month and year precision invite "YYYY-MM" and "YYYY";
    anything unreadable counts as no date rather than aborting a whole evaluation.
    """
    if not s:
        return None
    s = s.strip()
    try:
        if len(s) == 4:
            y = int(s)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if len(s) == 7:
            first = dt.date(int(s[:4]), int(s[5:7]), 1)
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        d = dt.date.fromisoformat(s[:10])
        return d, d
    except ValueError:
        return None


def perpetrators(inc: Incident) -> frozenset[str]:
    return frozenset(p.strip().lower() for p in inc.perpetrator)


def claimants(inc: Incident) -> frozenset[str]:
    return frozenset(c.claimed_by.strip().lower() for c in inc.claims)


def count_values(inc: Incident, kind: str, category: str) -> frozenset[int]:
    """Every figure the incident's claims give for one count (best, else low, else high)."""
    out: set[int] = set()
    for claim in inc.claims:
        count = (claim.killed if kind == "killed" else claim.injured).get(category)
        value = count.value() if count is not None else None
        if value is not None:
            out.add(value)
    return frozenset(out)


def _counts_agree(kind: str, category: str) -> Callable[[Incident, Incident], bool]:
    def check(gold: Incident, pred: Incident) -> bool:
        g, p = count_values(gold, kind, category), count_values(pred, kind, category)
        # Claims may differ in number and source; one shared figure means the
        # extractor read the count the gold reads.
        return bool(g & p) or (not g and not p)
    return check


def date_right(gold: Incident, pred: Incident) -> bool:
    if gold.date != pred.date:
        return False
    return gold.date_end is None or gold.date_end == pred.date_end


def place_right(gold: Incident, pred: Incident) -> bool:
    return same_place(gold.location, pred.location)


FIELD_CHECKS: dict[str, Callable[[Incident, Incident], bool]] = {
    "event_type": lambda g, p: g.event_type == p.event_type,
    "sub_event_type": lambda g, p: g.sub_event_type == p.sub_event_type,
    "date": date_right,
    "admin1": lambda g, p: (admin1_key(g.location.admin1, g.location.country)
                            == admin1_key(p.location.admin1, g.location.country)),
    "place": place_right,
    "perpetrator": lambda g, p: perpetrators(g) == perpetrators(p),
    "killed_total": _counts_agree("killed", "total"),
    "killed_civilians": _counts_agree("killed", "civilians"),
    "killed_children": _counts_agree("killed", "children"),
    "injured_total": _counts_agree("injured", "total"),
}


def _show_date(inc: Incident) -> str | None:
    if inc.date_end and inc.date_end != inc.date:
        return f"{inc.date}..{inc.date_end}"
    return inc.date


def _show_place(inc: Incident) -> str:
    loc = inc.location
    if loc.lat is not None and loc.lon is not None:
        return f"{loc.name} ({loc.lat:.3f}, {loc.lon:.3f})"
    return loc.name


# What a mismatch shows for each field: plain JSON-able values, sorted where sets.
FIELD_VALUES: dict[str, Callable[[Incident], Any]] = {
    "event_type": lambda i: i.event_type,
    "sub_event_type": lambda i: i.sub_event_type,
    "date": _show_date,
    "admin1": lambda i: i.location.admin1,
    "place": _show_place,
    "perpetrator": lambda i: sorted(perpetrators(i)),
    "killed_total": lambda i: sorted(count_values(i, "killed", "total")),
    "killed_civilians": lambda i: sorted(count_values(i, "killed", "civilians")),
    "killed_children": lambda i: sorted(count_values(i, "killed", "children")),
    "injured_total": lambda i: sorted(count_values(i, "injured", "total")),
    "claimants": lambda i: sorted(claimants(i)),
}


def describe(inc: Incident) -> str:
    """One line naming an incident in a mismatch list."""
    return f"{inc.event_type} {_show_date(inc) or 'undated'} {inc.location.name or '?'}"
