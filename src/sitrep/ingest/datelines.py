"""Publication dates: the dateline printed at the head of an article, and metadata dates.

A dateline is the article's own statement of its date. It is looked for only at the head
(after a repeated title, an outlet or agency name, a place dateline such as "AMMAN") and
after page-furniture cues ("Published", "Last updated at") near the start, so that a date
told inside the story ("On 12 March 2011 protests began") is never taken for it.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


_LEXICON = Path(__file__).with_name("datelines.yaml")
CUE_WINDOW = 300  # cues and agency bylines further in are part of the story
LOOSE_WINDOW = 80  # how far past the head a dateline may sit behind a byline strip
_YEARS = range(1970, 2100)
_PREPOSITIONS = frozenset(
    "on since in until till from by before after of between and to during at than through "
    "as early late last next".split()
)


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    date_patterns: tuple[re.Pattern[str], ...]
    cue: re.Pattern[str]
    agency: re.Pattern[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    from ..knowledge.compiled import load_yaml
    data = load_yaml(_LEXICON.read_text(encoding="utf-8"), "datelines.yaml")
    months = {name: int(num) for num, names in data["months"].items() for name in names}
    month = _alternation(months)
    weekday = _alternation(data["weekdays"])
    wd = rf"(?:(?:{weekday})\.?,?\s+)?"
    ordinal = r"(?:st|nd|rd|th)?"
    patterns = (
        # 7 October 2017, Wed 05 Apr 2017, 1st of May, 2016
        rf"{wd}(?P<d>\d{{1,2}}){ordinal}\s+(?:of\s+)?(?P<m>{month})\.?,?\s+(?P<y>\d{{4}})",
        # October 7, 2017, Thu May 26 2016, and FA-KES's squeezed "Jun 062016"
        rf"{wd}(?P<m>{month})\.?\s+(?P<d>\d{{1,2}}){ordinal},?\s*(?P<y>\d{{4}})",
        # 2017-10-07
        rf"{wd}(?P<y>\d{{4}})-(?P<mn>\d{{1,2}})-(?P<d>\d{{1,2}})",
        # 02-09-2013, 08.04.2017, 2/9/2013: day first unless that reading is impossible
        rf"{wd}(?P<a>\d{{1,2}})(?P<sep>[-./])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})",
    )
    time = (
        r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
        r"(?:\s*(?:GMT|UTC|EST|EDT|CET|CEST|BST|EET|EEST|AST|MSK|[+-]\d{2}:?\d{2}))?(?![\d:])"
        r"|\s+at\s+\d{3,4}(?!\d))?"
    )
    compiled = tuple(re.compile(p + r"(?!\d)" + time, re.IGNORECASE)
                     for p in patterns)
    cues = sorted(data["cues"], key=len, reverse=True)
    cue = re.compile(
        r"(?<![\w])(?:" + "|".join(_label(c) for c in cues) + r")(?![\w])[\s:,\-]*(?:(?:at|on)\s+)?"
    )
    agencies = sorted(data["agencies"], key=len, reverse=True)
    agency = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(a) for a in agencies) + r")(?![\w])[\s,:|\-—–]*"
    )
    return _Lexicon(months, compiled, cue, agency)


@lru_cache(maxsize=1)
def _any_case() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Cue and agency patterns for a head typed without capitals, where page furniture
    ("last updated at") can no longer be told from prose by them."""
    lex = _lexicon()
    return re.compile(lex.cue.pattern, re.IGNORECASE), re.compile(lex.agency.pattern, re.IGNORECASE)


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _label(cue: str) -> str:
    """A cue as page furniture prints it: capitalised or all caps, never lowercase prose."""
    first, rest = cue[0], re.escape(cue[1:])
    return rf"(?:{first.upper()}{rest}|{re.escape(cue.upper())})"


# --- dates ---------------------------------------------------------------------------------

def _make_date(year: int, month: int, day: int) -> str | None:
    if year not in _YEARS:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_from_match(m: re.Match[str], *, day_first: bool = True) -> str | None:
    g = m.groupdict()
    year = int(g["y"])
    if g.get("m"):
        return _make_date(year, _lexicon().months[g["m"].lower().rstrip(".")], int(g["d"]))
    if g.get("mn"):
        return _make_date(year, int(g["mn"]), int(g["d"]))
    a, b = int(g["a"]), int(g["b"])
    first, second = (a, b) if day_first else (b, a)
    return _make_date(year, second, first) or _make_date(year, first, second)


def _date_at(text: str, pos: int) -> tuple[str, int, int] | None:
    """A full date starting exactly at pos, as (ISO, start, end)."""
    if pos > 0 and text[pos - 1].isalnum():
        return None
    for pattern in _lexicon().date_patterns:
        m = pattern.match(text, pos)
        if m:
            iso = _date_from_match(m)
            if iso:
                return iso, m.start(), m.end()
    return None


_YEAR = re.compile(r"\d{4}")


def _dates_in(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Every full date beginning in text[start:end], in order."""
    found: list[tuple[str, int, int]] = []
    stop = min(len(text), end + 64)
    if _YEAR.search(text, start, stop) is None:
        return found  # every date pattern holds a year: most heads have none to try them on
    for pattern in _lexicon().date_patterns:
        for m in pattern.finditer(text, start, stop):
            if m.start() >= end or (m.start() > 0 and text[m.start() - 1].isalnum()):
                continue
            iso = _date_from_match(m)
            if iso:
                found.append((iso, m.start(), m.end()))
    return sorted(found, key=lambda f: (f[1], -f[2]))


def parse_date(value: str) -> str | None:
    """A metadata date in any usual form, as ISO YYYY-MM-DD; None if it is not a date.

    Slash dates are read month first (FA-KES "6/22/16", US exports); dash and dot dates day
    first ("02-09-2013"); either way the other reading is used when the first is impossible.
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    m = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d{10}(?:\d{3})?(?:\.\d+)?", s):
        seconds = float(s) / (1000 if len(s.split(".")[0]) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
    m = re.match(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)", s)
    if m:
        year = int(m[4]) if len(m[4]) == 4 else _century(int(m[4]))
        a, b = int(m[1]), int(m[3])
        if m[2] == "/":
            a, b = b, a  # month first
        return _make_date(year, b, a) or _make_date(year, a, b)
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return _make_date(parsed.year, parsed.month, parsed.day)
    found = _dates_in(s, 0, len(s))
    return found[0][0] if found else None


def _century(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy


# --- datelines -----------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s|:·•,;()\[\]\"'“”‘’\-—–_*#>]+")
_CAPS_RUN = re.compile(r"[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*(?![\w])")
_PLACE_DASH = re.compile(r"[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}\s*,?\s*(?:—|–|--|-)\s+")
_WORD = re.compile(r"\w+")


def find_dateline(text: str, title: str | None = None) -> tuple[str, int, int] | None:
    """The date the article prints at its head, as (ISO date, start, end), or None."""
    if not text:
        return None
    pos = _skip_head(text, title)
    hit = _date_at(text, pos) or _behind_byline(text, pos)
    if hit:
        return hit
    cue, agency = _lexicon().cue, _lexicon().agency
    if not any(c.isupper() for c in text[:CUE_WINDOW]):
        cue, agency = _any_case()
    cued = [_date_at(text, m.end()) for m in cue.finditer(text, 0, CUE_WINDOW)]
    by_agency = [_date_at(text, m.end()) for m in agency.finditer(text, 0, CUE_WINDOW)]
    hits = [h for h in cued + by_agency if h]
    return min(hits, key=lambda h: h[1]) if hits else None


def _skip_head(text: str, title: str | None) -> int:
    """Position after what may precede a dateline: title, agency, caps place, separators."""
    lex = _lexicon()
    pos = _skip(_SEPARATORS, text, 0)
    title_done = not title
    for _ in range(8):
        before = pos
        if not title_done:
            pos = _skip_title(text, pos, title or "")
            title_done = pos != before
        caps = _CAPS_RUN.match(text, pos)
        if caps and not _date_at(text, pos):
            pos = caps.end()
        elif not _date_at(text, pos):
            m = lex.agency.match(text, pos) or _PLACE_DASH.match(text, pos)
            if m:
                pos = m.end()
        pos = _skip(_SEPARATORS, text, pos)
        if pos == before:
            break
    return pos


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    m = pattern.match(text, pos)
    return m.end() if m else pos


def _skip_title(text: str, pos: int, title: str) -> int:
    """Skip the title when the text repeats it (wholly, or its first four words or more)."""
    words = [w.lower() for w in _WORD.findall(title)]
    if not words:
        return pos
    matched, end = 0, pos
    for m in _WORD.finditer(text, pos):
        if matched == len(words) or m.group().lower() != words[matched]:
            break
        if not matched and m.start() != pos:
            break
        if matched and _SEPARATORS.fullmatch(text[end:m.start()]) is None:
            break
        matched, end = matched + 1, m.end()
    return end if matched == len(words) or matched >= 4 else pos


def _behind_byline(text: str, pos: int) -> tuple[str, int, int] | None:
    """A date a little past the head, behind a strip of names, caps and numbers only.

    Bylines, photo credits and section names sit between a title and its date ("REUTERS
    Jane Doe Middle East 0041 06.04.2017"); prose does not, because prose has lowercase
    words, and a date after a preposition ("On 12 March") is the story's, not the page's.
    """
    for iso, start, end in _dates_in(text, pos, pos + LOOSE_WINDOW)[:1]:
        gap = text[pos:start]
        words = _WORD.findall(gap)
        if re.search(r"[.!?]\s", gap) or any(w[0].islower() for w in words):
            return None
        if words and words[-1].lower() in _PREPOSITIONS:
            return None
        return iso, start, end
    return None
