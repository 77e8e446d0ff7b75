"""Readers for reference databases: each row becomes a ``ReferenceRecord``.

Formats (the ``--format`` of ``sitrep reference import``):

=================  ==========================================================================
``acled``          ACLED export CSV (``event_id_cnty, event_date, country, admin1, location,
                   latitude, longitude, fatalities, actor1, event_type, sub_event_type ...``)
``ucdp``           UCDP GED CSV (``id, date_start, date_end, country, adm_1,
                   where_coordinates, latitude, longitude, best, low, high, side_a, side_b,
                   type_of_violence ...``)
``vdc``            VDC victim records, one person a row (``uid, Province, Sex, Status, Date of
                   death, Cause of Death, Actors ...``): one record per victim, killed_best 1
``vdc-daily``      VDC daily totals, one row per day: one column per governorate (source
                   ``vdc-daily``, one record per day and governorate with deaths), or one
                   column per cause (source ``vdc-daily-cause``, admin1 empty); the layout is
                   told by the header
``airwars``        the Airwars incident sample (civilians killed min/max, belligerent)
``syrian-archive`` Syrian Archive incidents (place, date, violation type; no counts)
=================  ==========================================================================

Place names are mapped to our English admin1 names (``knowledge/admin1.yaml`` through the
gazetteer's alias table: "Damascus Suburbs" -> "Rural Damascus", "Sweida" -> "As-Suwayda"),
countries to ISO 3166 alpha-2, event kinds to our event types and actor names to our
canonical actors where the mapping is clear (the source's own words stay in ``raw``).

A bad row (no date, a date that does not parse, a negative count) is reported as one line,
``FILE:row N: reason``, and skipped; a reader never raises on content. Days of a daily-total
file with no death in a column are not stored: within the file's date range a missing
(day, governorate) means zero.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..knowledge.actors import ActorDictionary, from_acled_name
from ..knowledge.event_types import sub_event_types
from ..knowledge.places import Gazetteer
from ..store.model import ReferenceRecord

FORMATS = ("acled", "ucdp", "vdc", "vdc-daily", "airwars", "syrian-archive")

# --------------------------------------------------------------------------------------------
# Names


def _index():
    return Gazetteer.load().index


_GOV_SUFFIX = re.compile(r"\s+(?:governorate|province|muhafazah|region|oblast|state)$", re.IGNORECASE)


def country_code(name: str | None) -> str | None:
    """ISO alpha-2 of a country name ("Syria", "Syrian Arab Republic", "SY"), or None."""
    if not name or not name.strip():
        return None
    name = name.strip()
    if len(name) == 2 and name.isalpha() and name.isupper():
        return name
    from ..knowledge.gazetteer import plain_name
    ix = _index()
    key = plain_name(name)
    cc = ix.country_alias.get(key) or ix.country_alias.get(key.upper())
    if cc is None and "(" in name:  # "Yemen (North Yemen)", "Russia (Soviet Union)"
        return country_code(name.split("(")[0])
    return cc


_ADMIN1_EXTRA = {  # spellings of the reference files that admin1.yaml does not list
    ("SY", "damascussuburbs"): "Rural Damascus",
    ("SY", "rifdimashq"): "Rural Damascus",
}


def admin1_name(name: str | None, country: str | None) -> str | None:
    """Our English admin1 name for a reference file's spelling; the name itself (tidied) when
    the gazetteer does not know it; None for empty and 'Unknown'-like values."""
    if not name or not name.strip():
        return None
    raw = " ".join(name.split())
    if raw.lower() in ("unknown", "other nationalities", "not identified", "n/a", "-"):
        return None
    from ..knowledge.gazetteer import plain_name
    from ..knowledge.names import spelling_key
    ix = _index()
    for cand in (raw, _GOV_SUFFIX.sub("", raw)):
        for cc in ([country] if country else []) + ([] if country else ["SY", "IQ", "YE"]):
            hit = ix.admin1_alias.get((cc, spelling_key(cand))) or _ADMIN1_EXTRA.get((cc, plain_name(cand)))
            if hit:
                return hit
    return _GOV_SUFFIX.sub("", raw)


# Canonical actors (knowledge/actors.yaml) for the actor names of the reference files; tried
# as substrings, in this order, on the lower-cased name. Anything else goes through the actor
# dictionary and, failing it, stays as written.
_ACTOR_PATTERNS: tuple[tuple[str, str], ...] = (
    ("islamic state", "Islamic State"), ("isis", "Islamic State"), ("isil", "Islamic State"),
    ("daesh", "Islamic State"), ("nusra", "Hayat Tahrir al-Sham"), ("tahrir al-sham", "Hayat Tahrir al-Sham"),
    ("hts", "Hayat Tahrir al-Sham"),
    ("saudi", "Saudi-led coalition"), ("russia", "Russian forces"), ("coalition", "US-led coalition"), ("united states", "US forces"),
    ("turkey", "Turkish forces"), ("turkish", "Turkish forces"), ("israel", "Israeli forces"),
    ("self administration", "Syrian Democratic Forces"), ("sdf", "Syrian Democratic Forces"),
    ("ypg", "Syrian Democratic Forces"), ("syrian democratic", "Syrian Democratic Forces"),
    ("pkk", "PKK"), ("hezbollah", "Hezbollah"), ("iran", "Iranian forces"),
    ("syrian government", "Syrian government forces"), ("government of syria", "Syrian government forces"),
    ("military forces of syria", "Syrian government forces"), ("syrian regime", "Syrian government forces"),
    ("regime", "Syrian government forces"),
    ("opposition", "Syrian opposition forces"), ("free syrian army", "Syrian opposition forces"),
    ("fsa", "Syrian opposition forces"), ("rebel", "Syrian opposition forces"),
    ("syrian insurgents", "Syrian opposition forces"),
)
_UNKNOWN_ACTORS = ("", "not identified", "unknown", "unidentified", "unidentified armed group")


def canonical_actor(name: str | None, country: str | None = "SY") -> str | None:
    """Our canonical actor for a reference file's actor name, or the name as written."""
    if name is None:
        return None
    s = " ".join(name.split())
    low = s.lower()
    if low in _UNKNOWN_ACTORS or low.startswith("unidentified"):
        return None
    named = from_acled_name(s)   # ACLED's own names, as our ACLED export writes them
    if named is not None:
        return named
    for pat, canon in _ACTOR_PATTERNS:
        if re.search(rf"(?<![a-z]){re.escape(pat)}", low):
            return canon
    try:
        found = ActorDictionary.load().canonical(s, [country] if country else [])
    except Exception:  # the dictionary is a nicety here, never a reason to fail a row
        found = None
    return found or s


# --------------------------------------------------------------------------------------------
# Values


def parse_date(value: str | None) -> str | None:
    """ISO date from the spellings the reference files use; None when empty; ValueError when
    it does not parse."""
    if value is None:
        return None
    v = value.strip()
    if not v:
        return None
    v = v.split("T")[0].split(" ")[0] if re.match(r"\d{4}-\d{2}-\d{2}", v) else v
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%B %d, %Y", "%d %b %Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(v, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} not understood")


def _int(value: str | None, what: str) -> int | None:
    if value is None:
        return None
    v = value.strip().replace(",", "")
    if not v or v.lower() in ("na", "n/a", "none", "unknown", "-"):
        return None
    try:
        n = float(v)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if n < 0 or n != n:
        raise ValueError(f"{what} {value!r} is negative")
    return int(round(n))


def _float(value: str | None) -> float | None:
    try:
        x = float((value or "").strip())
    except ValueError:
        return None
    return x if x == x else None


def _coords(lat: str | None, lon: str | None) -> tuple[float | None, float | None]:
    la, lo = _float(lat), _float(lon)
    if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180) or (la == 0 and lo == 0):
        return None, None
    return la, lo


# --------------------------------------------------------------------------------------------
# Event kinds

# ACLED's sub-event types to sitrep's event types, lower-cased (knowledge/event_types.yaml)
_ACLED_SUB = {name.lower(): s.sitrep for name, s in sub_event_types().items()}
_ACLED_TYPE = {"battles": "armed_clash", "explosions/remote violence": "explosion",
               "violence against civilians": "shooting_or_execution"}

_VDC_CAUSE = {
    "warplane shelling": "air_strike", "shelling": "shelling", "shooting": "shooting_or_execution",
    "explosion": "explosion", "field execution": "shooting_or_execution",
    "kidnapping - execution": "shooting_or_execution", "detention - execution": "shooting_or_execution",
    "kidnapping - torture - execution": "shooting_or_execution",
    "detention - torture - execution": "shooting_or_execution", "execution": "shooting_or_execution",
    "chemical and toxic gases": "chemical_attack", "chemical weapon": "chemical_attack",
    "detention - torture": "other", "kidnapping - torture": "other", "detention": "other",
    "siege": "other", "lack of medical access": "other", "un-allowed to seek medical help": "other",
    "other": "other", "unknown": None,
}


def vdc_event_type(cause: str | None) -> str | None:
    return _VDC_CAUSE.get((cause or "").strip().lower(), "other" if cause and cause.strip() else None)


def _syrian_archive_type(violation: str, weapons: str, description: str) -> str | None:
    s = f"{violation} {weapons} {description}".lower()
    for words, kind in ((("chemical", "chlorine", "sarin", "toxic"), "chemical_attack"),
                        (("suicide",), "suicide_bombing"),
                        (("car bomb", "ied", "explosion", "bombing of", "landmine", "mine"), "explosion"),
                        (("airstrike", "air strike", "air raid", "airstrikes", "barrel", "warplane",
                          "helicopter", "cluster", "jet", "aerial"), "air_strike"),
                        (("shell", "artillery", "mortar", "rocket", "missile"), "shelling"),
                        (("execution", "sniper", "shooting", "shot"), "shooting_or_execution"),
                        (("kidnap", "abduct", "detention", "arrest"), "abduction")):
        if any(w in s for w in words):
            return kind
    return None


# --------------------------------------------------------------------------------------------
# Reading


class RowError(ValueError):
    pass


def read_reference(path: str | Path, fmt: str, errors: list[str] | None = None,
                   text: str | None = None) -> list[ReferenceRecord]:
    """All good rows of a reference file as records; each bad row adds one line to ``errors``
    (``FILE:row N: reason``). ``text`` reads that string instead of the file (tests)."""
    return list(iter_reference(path, fmt, errors if errors is not None else [], text=text))


def iter_reference(path: str | Path, fmt: str, errors: list[str],
                   text: str | None = None) -> Iterator[ReferenceRecord]:
    if fmt not in READERS:
        raise ValueError(f"unknown reference format {fmt!r}; one of: {', '.join(FORMATS)}")
    name = str(path)
    if text is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            errors.append(f"{name}: cannot read: {exc.strerror or exc}")
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        errors.append(f"{name}: empty file, no header row")
        return
    reader.fieldnames = header
    row_fn = READERS[fmt]
    try:
        check = _REQUIRED[fmt](header)
    except RowError as exc:
        errors.append(f"{name}: {exc}")
        return
    rown = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rown += 1
            errors.append(f"{name}:row {rown}: broken CSV: {exc}")
            continue
        rown += 1
        if None in row:  # more cells than the header names
            row.pop(None)
        if not any((v or "").strip() for v in row.values()):
            continue
        try:
            yield from row_fn(row, rown, check)
        except (RowError, ValueError) as exc:
            errors.append(f"{name}:row {rown}: {exc}")


def _need(*cols: str, any_of: tuple[str, ...] = ()) -> Callable[[list[str]], object]:
    def check(header: list[str]):
        missing = [c for c in cols if c not in header]
        if missing:
            raise RowError(f"not this format: column(s) {', '.join(missing)} missing")
        if any_of and not any(c in header for c in any_of):
            raise RowError(f"not this format: none of the columns {', '.join(any_of)}")
        return header
    return check


def _get(row: dict, *names: str) -> str:
    for n in names:
        v = row.get(n)
        if v is not None and v.strip():
            return v.strip()
    return ""


def _acled(row: dict, rown: int, _h) -> Iterator[ReferenceRecord]:
    d = parse_date(_get(row, "event_date"))
    if d is None:
        raise RowError("no event_date")
    cc = country_code(_get(row, "country"))
    lat, lon = _coords(row.get("latitude"), row.get("longitude"))
    sub, typ = _get(row, "sub_event_type").lower(), _get(row, "event_type").lower()
    kind = _ACLED_SUB.get(sub) or _ACLED_TYPE.get(typ) or ("other" if typ else None)
    fat = _int(row.get("fatalities"), "fatalities")
    actor1 = _get(row, "actor1")
    yield ReferenceRecord(
        source="acled", ref_id=_get(row, "event_id_cnty", "data_id") or f"row{rown}", date=d,
        country=cc, admin1=admin1_name(_get(row, "admin1"), cc), place=_get(row, "location") or None,
        lat=lat, lon=lon, event_type=kind, actor=canonical_actor(actor1, cc) if actor1 else None,
        killed_low=fat, killed_best=fat, killed_high=fat,
        civilians=fat if typ == "violence against civilians" else None,
        raw={k: row.get(k) for k in ("event_type", "sub_event_type", "actor1", "actor2", "admin1",
                                     "admin2", "notes", "source", "civilian_targeting") if row.get(k)})


_UCDP_TYPES = {"1": "state-based", "2": "non-state", "3": "one-sided"}


def _ucdp(row: dict, rown: int, _h) -> Iterator[ReferenceRecord]:
    d = parse_date(_get(row, "date_start"))
    if d is None:
        raise RowError("no date_start")
    d_end = parse_date(_get(row, "date_end")) or None
    cc = country_code(_get(row, "country"))
    lat, lon = _coords(row.get("latitude"), row.get("longitude"))
    best, low, high = (_int(row.get(k), k) for k in ("best", "low", "high"))
    civ = _int(row.get("deaths_civilians"), "deaths_civilians") if row.get("deaths_civilians") else None
    side_a = _get(row, "side_a")
    tov = _get(row, "type_of_violence")
    yield ReferenceRecord(
        source="ucdp", ref_id=_get(row, "id", "relid") or f"row{rown}", date=d,
        date_end=d_end if d_end != d else None, country=cc, admin1=admin1_name(_get(row, "adm_1"), cc),
        place=_get(row, "where_coordinates", "where_description") or None, lat=lat, lon=lon,
        event_type=None, actor=canonical_actor(side_a, cc) if side_a else None,
        killed_low=low, killed_best=best, killed_high=high, civilians=civ,
        raw={"type_of_violence": _UCDP_TYPES.get(tov, tov), "side_a": side_a, "side_b": _get(row, "side_b"),
             "source_article": _get(row, "source_article")[:300]})


def _vdc(row: dict, rown: int, _h) -> Iterator[ReferenceRecord]:
    d = parse_date(_get(row, "Date of death", "date_of_death", "date"))
    if d is None:
        raise RowError("no date of death")
    province = _get(row, "Province", "province")
    where = _get(row, "Martyrdom location")
    place = where.split(":", 1)[1].strip() if ":" in where else None
    cause = _get(row, "Cause of Death", "cause")
    actor = _get(row, "Actors", "actor")
    status = _get(row, "Status", "status")
    civ = 1 if status.lower() == "civilian" else 0 if status else None
    yield ReferenceRecord(
        source="vdc", ref_id=_get(row, "uid", "id") or f"row{rown}", date=d, country="SY",
        admin1=admin1_name(province, "SY"), place=place, event_type=vdc_event_type(cause),
        actor=canonical_actor(actor, "SY") if actor else None,
        killed_low=1, killed_best=1, killed_high=1, civilians=civ,
        raw={k: v for k, v in (("province", province), ("sex", _get(row, "Sex")), ("status", status),
                                ("cause", cause), ("actor", actor), ("weapon", _get(row, "Type of Weapon")),
                                ("rank", _get(row, "Rank / Military situation"))) if v})


_VDC_CAUSE_COLUMNS = {"chemical weapon", "detention", "execution", "explosion", "lack of medical access",
                      "shelling", "shooting", "siege", "unknown"}


def _vdc_daily(row: dict, rown: int, header: list[str]) -> Iterator[ReferenceRecord]:
    day = parse_date(_get(row, "day", "date"))
    if day is None:
        raise RowError("no day")
    cols = [h for h in header if h not in ("day", "date")]
    by_cause = all(c.lower() in _VDC_CAUSE_COLUMNS for c in cols)
    bad = []
    out = []
    for col in cols:
        try:
            n = _int(row.get(col), col)
        except ValueError as exc:
            bad.append(str(exc))
            continue
        if not n:
            continue
        if by_cause:
            out.append(ReferenceRecord(source="vdc-daily-cause", ref_id=f"{day}:{col}", date=day, country="SY",
                                       event_type=vdc_event_type(col), killed_low=n, killed_best=n,
                                       killed_high=n, raw={"cause": col}))
        else:
            a1 = admin1_name(col, "SY")
            out.append(ReferenceRecord(source="vdc-daily", ref_id=f"{day}:{a1}", date=day, country="SY",
                                       admin1=a1, killed_low=n, killed_best=n, killed_high=n,
                                       raw={"province": col}))
    yield from out
    if bad:
        raise RowError("; ".join(bad) + " (the row's other columns were read)")


def _airwars(row: dict, rown: int, _h) -> Iterator[ReferenceRecord]:
    d = parse_date(_get(row, "incident_date", "date"))
    if d is None:
        raise RowError("no incident_date")
    cc = country_code(_get(row, "country")) or "SY"
    lo = _int(row.get("civ_killed_min"), "civ_killed_min")
    hi = _int(row.get("civ_killed_max"), "civ_killed_max")
    if lo is not None and hi is not None and hi < lo:
        lo, hi = hi, lo
    belligerents = [b.strip() for b in _get(row, "belligerent").split(";") if b.strip()]
    actors = [a for a in (canonical_actor(b, cc) for b in belligerents) if a]
    yield ReferenceRecord(
        source="airwars", ref_id=_get(row, "incident_code") or f"row{rown}", date=d, country=cc,
        admin1=admin1_name(_get(row, "governorate"), cc), place=_get(row, "location") or None,
        event_type="air_strike", actor="; ".join(dict.fromkeys(actors)) or None,
        killed_low=lo, killed_best=hi if lo is None else lo if hi is None else (lo + hi) // 2,
        killed_high=hi if hi is not None else lo, civilians=hi if hi is not None else lo,
        raw={k: row.get(k) for k in ("airwars_grading", "belligerent", "belligerent_relation",
                                     "children_killed", "women_killed", "url") if row.get(k)})


def _syrian_archive(row: dict, rown: int, _h) -> Iterator[ReferenceRecord]:
    d = parse_date(_get(row, "date")) or (parse_date(_get(row, "date_ddmmyyyy")) if _get(row, "date_ddmmyyyy") else None)
    if d is None:
        raise RowError("no date")
    loc = _get(row, "location")
    gov, _, place = loc.partition(":")
    lat, lon = _coords(row.get("latitude"), row.get("longitude"))
    link = _get(row, "link")
    yield ReferenceRecord(
        source="syrian-archive", ref_id=link.rstrip("/").rsplit("/", 1)[-1] if link else f"row{rown}",
        date=d, country="SY", admin1=admin1_name(gov.strip(), "SY"), place=place.strip() or None,
        lat=lat, lon=lon,
        event_type=_syrian_archive_type(_get(row, "violation_type"), _get(row, "weapons"), _get(row, "description")),
        raw={k: row.get(k) for k in ("violation_type", "weapons", "description", "link") if row.get(k)})


READERS = {"acled": _acled, "ucdp": _ucdp, "vdc": _vdc, "vdc-daily": _vdc_daily, "airwars": _airwars,
           "syrian-archive": _syrian_archive}
_REQUIRED = {
    "acled": _need("event_date", "country"),
    "ucdp": _need("date_start", "country"),
    "vdc": _need(any_of=("Date of death", "date_of_death")),
    "vdc-daily": _need(any_of=("day", "date")),
    "airwars": _need("incident_date"),
    "syrian-archive": _need("date", "location"),
}


def sniff_format(path: str | Path) -> str | None:
    """The format a CSV's header suggests, or None."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            header = next(csv.reader(fh), [])
    except OSError:
        return None
    h = {c.strip() for c in header}
    if "event_id_cnty" in h:
        return "acled"
    if "date_start" in h and "type_of_violence" in h:
        return "ucdp"
    if "Date of death" in h:
        return "vdc"
    if "day" in h:
        return "vdc-daily"
    if "incident_code" in h:
        return "airwars"
    if "violation_type" in h:
        return "syrian-archive"
    return None


def daterange(records: Iterable[ReferenceRecord]) -> tuple[date, date] | None:
    days = [r.date for r in records if r.date]
    if not days:
        return None
    return date.fromisoformat(min(days)), date.fromisoformat(max(days))
