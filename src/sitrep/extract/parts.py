"""A toll a clause distributes over places ("54 killed, including 9 in X, 8 in Y and 5 in Z").

The spec records the located parts, not the total as well: each part becomes a mention of
its own at its place, with the total's outcome and victim category; the total keeps the
clause's other place (the city, the province), where drop_split_totals finds it split.
"""
from __future__ import annotations

import dataclasses
import re

from ..records import Count
from .counts import Figure, parse_number

# The number of a part and what stands between it and the place it is at: "9 in the
# neighbourhood X", "five of them in the town of Y", "3 in Z".
_NUMBER = r"\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty(?:-[a-z]+)?"
_PART_BEFORE = re.compile(
    rf"(?:^|[\s,;(:])(?P<n>{_NUMBER})\s+(?:(?:of them|people|persons|civilians|others|dead|killed)\s+)?"
    r"(?:were\s+)?(?:in|at)\s+(?P<each>each of\s+)?(?:the\s+)?"
    r"(?:(?:[a-z]+\s+)?(?:neighbou?rhoods?|districts?|quarters?|towns?|villages?|cit(?:y|ies)|areas?|"
    r"suburbs?|camps?|provinces?)\s+(?:of\s+)?)?$",
    re.IGNORECASE)

# Between the places of a list: "X, Y and Z", "X Y and Z" where the commas were lost.
_LISTED = re.compile(r"\s*,?\s*(?:and\s+)?")


def located_parts(text: str, start: int, end: int, places: list, figures: list[Figure]) -> list[tuple]:
    """(place, figures) for each place of the clause that a part of its toll is given for;
    empty unless at least two parts are (one "N in X" is the act's place, not a split)."""
    if not figures:
        return []
    total = figures[0]
    group = [f for f in figures if f.group == total.group]
    parts = []
    each = None  # (n, start, end, where the last place listed after it ends): "1 in each of X, Y and Z"
    for p in places:
        if not (start <= p.start < end) or p.start < total.end:
            continue
        m = _PART_BEFORE.search(text, max(total.end, p.start - 60), p.start)
        if m:
            n = parse_number(m.group("n"))
            s, e = m.start("n"), m.end("n")
            each = (n, s, e, p.end) if m.group("each") else None
        elif each is not None and _LISTED.fullmatch(text, each[3], p.start):
            n, s, e, _ = each
            each = (n, s, e, p.end)
        else:
            each = None
            continue
        if n is None or (total.count.value() is not None and n > total.count.value()):
            continue
        parts.append((p, [dataclasses.replace(f, start=s, end=e, text=text[s:e], count=Count(None, n, None, text[s:e]))
                          for f in group]))
    return parts if len(parts) >= 2 else []
