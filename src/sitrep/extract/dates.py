"""Temporal expressions resolved against the publication date.

``find_dates`` returns every date-like expression of a text with the day (or span, month,
year) it names, following spec/incidents.md: "on Friday" in an article published Saturday
2017-10-07 is 2017-10-06; a weekday that is the publication's own weekday is the publication
day; otherwise the most recent such day before publication, never a future one.

Rules that the spec leaves open, as chosen here:

* "overnight" and "last night" are the night before the report: publication - 1.
* The current week follows the Middle East work week, which starts on Sunday (the region
  most of the sources report from). "this week" runs from its Sunday to publication,
  "earlier this week" to the day before publication; a Sunday report's week is the one it
  closes, from the Monday six days before;
  "at the beginning of the week" / "early this week" are the Sunday and Monday, cut at the
  publication day (a Wednesday article gets Sunday..Monday; a Sunday article gets Sunday
  alone). "last week" is the previous Monday..Sunday.
* "since <day>" is a range from that day to publication; "since <month or year>" keeps the
  month or year precision and has no end.
* A month or day without a year takes the most recent one not after publication.
* Out of scope: dates relative to another date ("a day after", "the day before", "two days
  later"), weekends, times of day ("at 5 pm") and durations without a position ("for two
  years", "week-long"); numbers are years only after a preposition ("in 2015", "since 2014").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from typing import Callable

from dateutil.relativedelta import relativedelta, weekday as Weekday

__all__ = ["DateMention", "find_dates"]


@dataclass
class DateMention:
    start: int  # article offsets
    end: int
    text: str
    date: str | None  # ISO start day (or first day of the month / year)
    date_end: str | None  # ISO end day for ranges, else None
    precision: str  # "day" | "range" | "month" | "year"
    kind: str  # "relative" | "absolute" | "span"
    days_before_publication: int | None  # publication minus the (start) date


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"a": 1, "an": 1, "twenty-four": 24, "forty-eight": 48, "seventy-two": 72,
                      "thirty": 30})

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_PART = r"(?:\s+(?:morning|afternoon|evening|night|dawn))?"
_NUM = r"(?:\d+|[a-z]+(?:-[a-z]+)?)"

# Case matters for months ("May 31" but not "may"), so month rules are case-sensitive and
# spell their own capitalised words; the others ignore case.
_I = re.IGNORECASE


@dataclass
class _Rule:
    rx: re.Pattern[str]
    resolve: Callable[[re.Match[str], Date | None], tuple | None]
    priority: int
    needs: tuple[str, ...] = ()  # lowercase words one of which the text must hold (speed)


def _iso(d: Date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _on_or_before(ref: Date, weekday: int) -> Date:
    return ref + relativedelta(weekday=Weekday(weekday)(-1))


def _wd(name: str) -> int:
    return _WEEKDAYS.index(name.lower())


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _num(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return _NUMBER_WORDS.get(w)


def _safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


# --- resolvers: (date, date_end, precision, kind) or None to reject ----------------------

def _r_day_month(m: re.Match[str], pub: Date | None) -> tuple | None:
    mon = _month(m.group("mon"))
    day = int(re.match(r"\d+", m.group("day")).group(0))  # type: ignore[union-attr]
    if m.group("year"):
        d = _safe_date(int(m.group("year")), mon, day)
        if d is None:
            return None
        return d, None, "day", "absolute"
    if _safe_date(2000, mon, day) is None:
        return None
    if pub is None:
        return None, None, "day", "absolute"
    d = _safe_date(pub.year, mon, day) or _safe_date(pub.year - 1, mon, day)
    if d is None or d > pub:
        d = _safe_date(pub.year - 1, mon, day)
    if d is None:
        return None
    return d, None, "day", "absolute"


def _r_iso(m: re.Match[str], pub: Date | None) -> tuple | None:
    d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return (d, None, "day", "absolute") if d else None


def _r_month(m: re.Match[str], pub: Date | None) -> tuple | None:
    mon = _month(m.group("mon"))
    prep = (m.group("prep") or "").lower()
    kind = "span" if prep == "since" else "absolute"
    if m.group("year"):
        return Date(int(m.group("year")), mon, 1), None, "month", kind
    if not prep:
        return None  # a bare month name may be a verb or a name ("May", "March")
    if pub is None:
        return None, None, "month", kind
    y = pub.year if mon <= pub.month else pub.year - 1
    if prep == "last" and mon == pub.month:
        y -= 1
    return Date(y, mon, 1), None, "month", kind


def _r_year(m: re.Match[str], pub: Date | None) -> tuple | None:
    kind = "span" if m.group("prep").lower() == "since" else "absolute"
    return Date(int(m.group("year")), 1, 1), None, "year", kind


def _r_weekday(m: re.Match[str], pub: Date | None) -> tuple | None:
    prep = (m.group("prep") or "").lower()
    if prep in ("next", "coming"):
        return None  # the future is not an act's date
    if pub is None:
        return None, None, "day", "span" if prep == "since" else "relative"
    wd = _wd(m.group("wd"))
    d = _on_or_before(pub, wd)
    if prep == "last" and d == pub:
        d -= timedelta(days=7)
    if prep == "since":
        return d, pub, "range", "span"
    return d, None, "day", "relative"


def _r_weekday_range(m: re.Match[str], pub: Date | None) -> tuple | None:
    if pub is None:
        return None, None, "range", "relative"
    end = _on_or_before(pub, _wd(m.group("wd2")))
    start = _on_or_before(end, _wd(m.group("wd1")))
    if start == end:
        return None
    return start, end, "range", "relative"


def _offset_day(days: int, kind: str = "relative") -> Callable[[re.Match[str], Date | None], tuple]:
    def resolve(m: re.Match[str], pub: Date | None) -> tuple:
        if pub is None:
            return None, None, "day", kind
        return pub - timedelta(days=days), None, "day", kind
    return resolve


def _r_since_yesterday(m: re.Match[str], pub: Date | None) -> tuple:
    if pub is None:
        return None, None, "range", "span"
    return pub - timedelta(days=1), pub, "range", "span"


def _r_last_week(m: re.Match[str], pub: Date | None) -> tuple:
    if pub is None:
        return None, None, "range", "relative"
    monday = pub - timedelta(days=pub.weekday() + 7)
    return monday, monday + timedelta(days=6), "range", "relative"


def _r_this_week(m: re.Match[str], pub: Date | None) -> tuple:
    if pub is None:
        return None, None, "range", "relative"
    # "earlier this week" is over by the report; "this week" may include its day
    end = pub - timedelta(days=1) if m.group(0).lower().startswith("earlier") else pub
    start = _on_or_before(pub, 6)
    if start == pub:
        # a Sunday report's week is the one it closes, in either reckoning
        start = pub - timedelta(days=6)
    return start, end, "range", "relative"


def _r_week_start(m: re.Match[str], pub: Date | None) -> tuple:
    if pub is None:
        return None, None, "range", "relative"
    sunday = _on_or_before(pub, 6)
    end = min(sunday + timedelta(days=1), pub)
    if end == sunday:
        return sunday, None, "day", "relative"
    return sunday, end, "range", "relative"


def _r_month_rel(m: re.Match[str], pub: Date | None) -> tuple:
    if pub is None:
        return None, None, "month", "relative"
    back = 1 if m.group("which").lower() == "last" else 0
    return pub - relativedelta(months=back, day=1), None, "month", "relative"


def _r_year_rel(m: re.Match[str], pub: Date | None) -> tuple:
    if pub is None:
        return None, None, "year", "relative"
    y = pub.year - 1 if m.group("which").lower() == "last" else pub.year
    return Date(y, 1, 1), None, "year", "relative"


def _r_past(m: re.Match[str], pub: Date | None) -> tuple | None:
    if not m.group("n") and m.group("unit").lower() == "hours":
        return None  # "during the last hours": the report's own day, no span of days
    n = _num(m.group("n")) if m.group("n") else 1
    if n is None or n <= 0:
        return None
    if pub is None:
        return None, None, "range", "span"
    unit = m.group("unit").lower().rstrip("s")
    if unit == "hour":
        start = pub - timedelta(days=math.ceil(n / 24))
    elif unit == "day":
        start = pub - timedelta(days=n)
    elif unit == "week":
        start = pub - timedelta(days=7 * n)
    else:  # the same day so many months or years before (the month's last when it has none)
        start = pub - relativedelta(**{unit + "s": n})
    return start, pub, "range", "span"


def _r_ago(m: re.Match[str], pub: Date | None) -> tuple | None:
    n = _num(m.group("n"))
    if n is None or n <= 0:
        return None
    unit = m.group("unit").lower().rstrip("s")
    precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
    if pub is None:
        return None, None, precision, "relative"
    if unit == "day":
        return pub - timedelta(days=n), None, "day", "relative"
    if unit == "week":
        return pub - timedelta(days=7 * n), None, "day", "relative"
    if unit == "month":
        return pub - relativedelta(months=n, day=1), None, "month", "relative"
    return Date(pub.year - n, 1, 1), None, "year", "relative"


_WD_KEYS = ("day",)  # every weekday name ends in "day"
_MONTH_KEYS = tuple(sorted({m[:3] for m in _MONTHS}))
_PREP_MONTH = (r"(?:(?P<prep>[Ii]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Bb]y|[Ff]rom|[Oo]f|[Ll]ast|[Tt]his|"
               r"[Ee]arly|[Ll]ate|[Mm]id|[Bb]efore|[Aa]fter)(?:\s+|-))?"
               r"(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+|early\s+|late\s+|mid-?)?")
_YESTERDAY = (r"\b(?:(?:at\s+)?dawn\s+|early\s+|late\s+|earlier\s+)?yesterday"
              r"(?:\s+(?:morning|afternoon|evening|night|at\s+dawn))?\b")
_TODAY = (r"\b(?:(?:at\s+)?dawn\s+|earlier\s+|early\s+|later\s+)?today\b|"
          r"\bthis\s+(?:morning|afternoon|evening)\b|\btonight\b")
_WEEK_START = (r"\b(?:(?:at|in)\s+the\s+)?(?:beginning|start)\s+of\s+(?:the|this)\s+week\b|"
               r"\bearly\s+this\s+week\b")
_PAST = (rf"\b(?:over|in|during|within|for|through(?:out)?)\s+the\s+(?:past|last|previous)\s+"
         rf"(?:(?P<n>{_NUM})\s+)?(?P<unit>hours|days|weeks|months|years|day|week|month|year)\b")
_RULES: list[_Rule] = [
    _Rule(re.compile(rf"\b(?:{_WD},?\s+)?(?P<mon>{_MON})\s+(?P<day>{_DAY})\b"
                     rf"(?!\s*(?:%|percent))(?:,?\s+(?P<year>{_YEAR})\b)?"),
          _r_day_month, 1, _MONTH_KEYS),
    _Rule(re.compile(rf"\b(?:{_WD},?\s+)?(?:the\s+)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})"
                     rf"(?![a-z])(?:,?\s+(?P<year>{_YEAR})\b)?"),
          _r_day_month, 1, _MONTH_KEYS),
    _Rule(re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _r_iso, 1, ("-",)),
    _Rule(re.compile(rf"\b{_PREP_MONTH}(?P<mon>{_MON})(?![a-z])(?:,?\s+(?P<year>{_YEAR})\b)?"),
          _r_month, 3, _MONTH_KEYS),
    _Rule(re.compile(rf"\b(?P<prep>in|since|during|until|by|from|of|before|after|the)\s+"
                     rf"(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+|early\s+|late\s+|mid-?)?"
                     rf"(?P<year>{_YEAR})\b(?![-/]\d|\s*(?:%|people|persons|civilians))", _I),
          _r_year, 4, ("19", "20")),
    _Rule(re.compile(rf"\b(?:(?P<prep>on|between|from)\s+)?(?P<wd1>{_WD})(?:'s|\u2019s|s)?{_PART}\s+"
                     rf"(?:and|to|through|until|-)\s+(?P<wd2>{_WD}){_PART}\b", _I),
          _r_weekday_range, 1, _WD_KEYS),
    _Rule(re.compile(rf"\b(?:(?P<prep>on|last|this|past|since|next|coming|until|from|by)\s+)?"
                     rf"(?:(?:early|late)\s+|overnight\s+(?:on\s+)?|at\s+dawn\s+(?:on\s+)?)?"
                     rf"(?P<wd>{_WD})(?:'s|\u2019s|s)?{_PART}\b", _I),
          _r_weekday, 2, _WD_KEYS),
    _Rule(re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b", _I),
          _offset_day(2), 1, ("yesterday",)),
    _Rule(re.compile(r"\bsince\s+yesterday\b", _I), _r_since_yesterday, 1, ("yesterday",)),
    _Rule(re.compile(_YESTERDAY, _I), _offset_day(1), 2, ("yesterday",)),
    _Rule(re.compile(r"\blast\s+night\b|\bovernight\b", _I), _offset_day(1), 3, ("night",)),
    _Rule(re.compile(_TODAY, _I), _offset_day(0), 2, ("today", "this", "tonight")),
    _Rule(re.compile(r"\b(?:(?:early|late)\s+)?last\s+week\b", _I), _r_last_week, 2, ("week",)),
    _Rule(re.compile(_WEEK_START, _I), _r_week_start, 1, ("week",)),
    _Rule(re.compile(r"\b(?:earlier\s+|later\s+)?this\s+week\b", _I), _r_this_week, 2, ("week",)),
    _Rule(re.compile(r"\b(?:(?:early|late|earlier)\s+)?(?P<which>last|this)\s+month\b", _I),
          _r_month_rel, 2, ("month",)),
    _Rule(re.compile(r"\b(?:(?:early|late|earlier)\s+)?(?P<which>last|this)\s+year\b", _I),
          _r_year_rel, 2, ("year",)),
    _Rule(re.compile(_PAST, _I), _r_past, 1, ("past", "last", "previous")),
    _Rule(re.compile(rf"\b(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", _I),
          _r_ago, 1, ("ago",)),
]


def find_dates(text: str, published: str | None, offset: int = 0) -> list[DateMention]:
    """Every temporal expression in ``text``, in order, resolved against ``published``."""
    try:
        pub = Date.fromisoformat(published[:10]) if published else None
    except ValueError:
        pub = None  # an unreadable publication date resolves nothing relative
    found: list[tuple[int, int, int, tuple]] = []
    low = text.lower()
    for rule in _RULES:
        if rule.needs:  # a loop, not any(): it runs for every rule of every clause
            for k in rule.needs:
                if k in low:
                    break
            else:
                continue  # the text holds none of the words the rule needs
        for m in rule.rx.finditer(text):
            got = rule.resolve(m, pub)
            if got is not None:
                found.append((m.start(), m.end(), rule.priority, got))
    # The longest expression wins where two overlap ("Friday 29 Jul 2016" over "Friday").
    found.sort(key=lambda x: (x[0], -(x[1] - x[0]), x[2]))
    out: list[DateMention] = []
    last_end = -1
    for start, end, _, (d, d_end, precision, kind) in found:
        if start < last_end:
            continue
        last_end = end
        before = (pub - d).days if (pub is not None and d is not None) else None
        out.append(DateMention(offset + start, offset + end, text[start:end], _iso(d), _iso(d_end),
                               precision, kind, before))
    return out
