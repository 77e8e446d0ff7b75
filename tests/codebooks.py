"""The codebook rules the exports must pass, each a function from exported rows to the
rows that break it (an empty list: the rule holds). Written from ACLED's, UCDP GED's and
PLOVER's codebooks, independently of sitrep.export, so that a test can run them on any
export: the bundled samples, FA-KES, a user's database.
"""
from __future__ import annotations

import datetime as dt
import re

ACLED_INTER = ("State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
               "Protesters", "Civilians", "External/Other forces")
ACLED_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}
# ACLED's generic actors are named for the country: their type follows from the name
GENERIC = {"Civilians": "Civilians", "Unidentified Armed Group": "Political militia",
           "Protesters": "Protesters", "Rioters": "Rioters"}


def _id(row: dict) -> str:
    return str(row.get("event_id_cnty") or row.get("id"))


def _bad(rows, test) -> list[str]:
    return [_id(r) for r in rows if not test(r)]


# --- ACLED ---------------------------------------------------------------------------------

def acled_battles_have_two_sides(rows):
    return _bad(rows, lambda r: r["event_type"] != "Battles" or (r["actor1"] and r["actor2"] and r["inter2"]))


def acled_civilian_targeting_marks_violence_against_civilians(rows):
    return _bad(rows, lambda r: (r["civilian_targeting"] == "Civilians targeted")
                == (r["event_type"] == "Violence against civilians")
                and r["civilian_targeting"] in ("", "Civilians targeted"))


def acled_geo_precision_needs_coordinates(rows):
    def ok(r):
        located = r["latitude"] != "" and r["longitude"] != ""
        if (r["latitude"] == "") != (r["longitude"] == ""):
            return False
        return r["geo_precision"] in ("1", "2", "3") if located else r["geo_precision"] == ""
    return _bad(rows, ok)


def acled_timestamp(rows):
    floor = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc).timestamp()

    def ok(r):
        if not re.fullmatch(r"\d+", r["timestamp"] or ""):
            return False
        return floor <= int(r["timestamp"]) <= dt.datetime.now(dt.timezone.utc).timestamp() + 86400
    return _bad(rows, ok)


def acled_typology(rows):
    return _bad(rows, lambda r: r["sub_event_type"] in ACLED_TYPES.get(r["event_type"], ())
                and r["disorder_type"] in ("Political violence", "Demonstrations",
                                           "Strategic developments", "Political violence; Demonstrations"))


def _inter_of_name(name: str, country: str) -> str | None:
    """ACLED's actor type of a name that says it (generic actors, national forces)."""
    m = re.fullmatch(r"(.+) \((.+)\)", name)
    if m and m.group(1) in GENERIC:
        return GENERIC[m.group(1)]
    m = re.fullmatch(r"(?:Military|Police) Forces of (.+?) \(\d{4}-(\d{4})?\)", name)
    if m:
        return "State forces" if m.group(1) in (country, f"the {country}") else "External/Other forces"
    return None


def acled_interaction_follows_the_actors(rows):
    def ok(r):
        for actor, inter in ((r["actor1"], r["inter1"]), (r["actor2"], r["inter2"])):
            if bool(actor) != bool(inter) or (inter and inter not in ACLED_INTER):
                return False
            said = _inter_of_name(actor, r["country"]) if actor else None
            if said is not None and said != inter:
                return False
        if not r["inter2"]:
            return r["interaction"] == f"{r['inter1']} only"
        a, b = sorted((r["inter1"], r["inter2"]), key=ACLED_INTER.index)
        return r["interaction"] in (f"{a}-{b}", f"{b}-{a}")
    return _bad(rows, ok)


def acled_second_perpetrator_is_associated(rows, incidents):
    """``incidents``: id -> the jsonl export's incident. A second named perpetrator is
    assoc_actor_1 (under ACLED's name: at least it is there)."""
    def ok(r):
        inc = incidents[int(r["event_id_cnty"][3:])]
        named = [p["actor"] for p in inc["perpetrators"] if p["actor"] != "unknown"]
        if len(named) < 2 or inc["perpetrators"][0]["actor"] == "unknown":
            return True
        return r["assoc_actor_1"] != ""
    return _bad(rows, ok)


# --- UCDP GED ------------------------------------------------------------------------------

def ucdp_violence_only_between_identified_sides(rows):
    def ok(r):
        identified = r["side_a"] not in ("", "unknown") and r["side_b"] not in ("", "unknown")
        if r["type_of_violence"] == "":
            return not identified
        if not identified or r["type_of_violence"] not in ("1", "2", "3"):
            return False
        if r["type_of_violence"] == "3":
            return r["side_b"] == "Civilians"
        if r["type_of_violence"] == "1":
            return r["side_a"].startswith("Government of")
        return not r["side_a"].startswith("Government of") and not r["side_b"].startswith("Government of")
    return _bad(rows, ok)


def _expected_date_prec(start: dt.date, end: dt.date) -> set[int]:
    days = (end - start).days + 1
    whole_month = start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and start.month == end.month
    whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    if whole_year:
        return {5}
    if whole_month:
        return {4}
    if days == 1:
        return {1}
    if days <= 6:
        return {2}
    if days == 7:
        return {3}
    return {4} if days <= 30 else {5}


def ucdp_date_prec_matches_the_dates(rows):
    def ok(r):
        start, end = dt.date.fromisoformat(r["date_start"]), dt.date.fromisoformat(r["date_end"])
        return start <= end and int(r["date_prec"]) in _expected_date_prec(start, end)
    return _bad(rows, ok)


def ucdp_where_prec_matches_the_coordinates(rows):
    def ok(r):
        located = r["latitude"] != "" and r["longitude"] != ""
        if (r["latitude"] == "") != (r["longitude"] == "") or bool(r["geom_wkt"]) != located:
            return False
        if int(r["where_prec"]) not in range(1, 8):
            return False
        return located or int(r["where_prec"]) > 2
    return _bad(rows, ok)


# --- PLOVER --------------------------------------------------------------------------------

LEGACY = ("source", "actor_text", "latitude", "longitude", "country code", "cc3")


def plover_fields(events):
    def actor_ok(a):
        return isinstance(a, dict) and isinstance(a.get("entity_text"), str) and "actor_text" not in a

    def ok(e):
        if any(k in e for k in ("source",)) or not isinstance(e.get("actor"), list) or not e["actor"]:
            return False
        if not all(actor_ok(a) for a in e["actor"] + e.get("recipient", [])):
            return False
        loc = e.get("event_loc")
        if not isinstance(loc, dict) or any(k in loc for k in LEGACY) or "resolved_place" not in loc:
            return False
        if ("lat" in loc) != ("lon" in loc):
            return False
        if "lat" in loc and not (-90 <= loc["lat"] <= 90 and -180 <= loc["lon"] <= 180):
            return False
        if "country_code" in loc and not re.fullmatch(r"[A-Z]{3}", loc["country_code"]):
            return False
        return "geonameid" in loc and (loc["geonameid"] is None or isinstance(loc["geonameid"], int))
    return [e.get("id") for e in events if not ok(e)]


def plover_military_context_means_state_forces(events):
    def ok(e):
        state = any(a.get("sector") == "MIL" for a in e["actor"] + e["recipient"])
        return ("military" in e["context"]) == state
    return [e["id"] for e in events if not ok(e)]
