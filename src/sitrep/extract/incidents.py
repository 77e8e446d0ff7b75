"""Assemble clause-level mentions into the spec's incidents.

Each clause that reports an act (an event trigger) or a casualty figure becomes a mention
with its own place, date, perpetrator, figures and claimant, inheriting what it leaves
unsaid from the clause before it when it continues the same report. Mentions of one act
(same place, compatible date and type) merge into one incident, one claim per claimant.
Then the spec's "what is not an incident" rules apply: history and cumulative tolls are
dropped before assembly, and a total that the article splits into located parts is dropped
after it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta

from ..knowledge.actors import ActorDictionary
from ..knowledge.event_types import acled_coding, sitrep_type_of
from ..knowledge.names import name_key
from ..records import PRECISION_RANK, Claim, Count, Incident, Location, Span
from .claims import REPORTER, Attribution

# How far back a dated act still counts as the article's news (spec: history is not news).
MAX_AGE_DAYS = 7


@dataclass
class Mention:
    start: int
    end: int
    sentence: int
    event_type: str | None
    places: list  # PlaceMention
    date: tuple[str | None, str | None, str] | None  # (date, date_end, precision)
    date_own: bool  # the clause states the act's own date
    perpetrators: list[str]
    targets: list[str]
    figures: list  # counts.Figure
    claim: Attribution
    inherited_place: bool = False
    default_type: str | None = None  # the type weak words give, if nothing stronger is said
    triggers: list[tuple[int, int, int]] = field(default_factory=list)  # (clause start, end, offset) of the words typing the act
    cues: list[str] = field(default_factory=list)  # the ACLED sub-event types its words report
    qualifiers: list[str] = field(default_factory=list)  # ... and those its words only refine
    separate: bool = False  # its words say it is another act than those told before
    accusing: bool = False  # a source's word on the act told before, naming its own doer
    blamed: list[str] = field(default_factory=list)  # whom a later clause blames for it
    unnamed_part: bool = False  # told at "a neighbourhood of" its town, not named
    doer_open: bool = False  # a later clause says who did it is not known


@dataclass
class _Draft:
    event_type: str | None
    location: Location
    date: tuple[str | None, str | None, str]
    perpetrators: list[str]
    targets: list[str]
    claims: list[Claim] = field(default_factory=list)
    first: int = 0
    place_key: str = ""
    default_type: str | None = None  # what weak words said, used if nothing stronger comes
    perps_from_toll: bool = False  # the perpetrators come from the telling that gives the toll
    triggers: list[tuple[int, int, int]] = field(default_factory=list)  # its tellings' triggers, as a Mention's
    cues: list[str] = field(default_factory=list)  # its tellings' cues, as a Mention's
    qualifiers: list[str] = field(default_factory=list)
    blamed: list[str] = field(default_factory=list)  # as a Mention's, from its tellings
    unnamed_part: bool = False  # as a Mention's, from any of its tellings
    doer_open: bool = False  # as a Mention's, from any of its tellings


def _overlap(a: tuple, b: tuple) -> bool:
    a0, a1 = a[0], a[1] or a[0]
    b0, b1 = b[0], b[1] or b[0]
    if a0 is None or b0 is None:
        return a0 is None and b0 is None
    return a0 <= b1 and b0 <= a1


def dates_compatible(a: tuple, b: tuple) -> bool:
    """Whether two mentions' dates can be one act's. A report's date only bounds the act:
    it meets an act dated within a day of it, but two reports of different days are two acts."""
    if a[2] == "report" and b[2] == "report":
        return a[0] == b[0]
    if a[2] == "report" or b[2] == "report":
        return _overlap(_widen(a), _widen(b))
    return _overlap(a, b)


def _widen(d: tuple) -> tuple:
    if d[0] is None:
        return d
    one = timedelta(days=1)
    start = (Date.fromisoformat(d[0]) - one).isoformat()
    end = (Date.fromisoformat(d[1] or d[0]) + one).isoformat()
    return (start, end, d[2])


def better_date(a: tuple, b: tuple) -> tuple:
    order = {"day": 0, "range": 1, "month": 2, "year": 3, "report": 4, "unknown": 5}
    return a if order.get(a[2], 5) <= order.get(b[2], 5) else b


def types_compatible(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    if "other" in (a, b):
        return False  # an act outside the violent kinds (a protest, an arrest) is one of its own
    if a is None or b is None:
        return True
    return {a, b} in ({"explosion", "suicide_bombing"}, {"armed_clash", "territory_change"},
                      {"explosion", "shelling"}, {"armed_clash", "shelling"})


def _gas_and_delivery(a: str | None, b: str | None) -> bool:
    """A chemical attack and what delivered it ("barrels containing toxic gas fell on X" and
    "barrel bombs fell on X"), which merged_type refines into the chemical attack."""
    return {a, b} in ({"air_strike", "chemical_attack"}, {"shelling", "chemical_attack"})


def _by_munition(telling, text: str) -> bool:
    """Whether an act's words name the munition ("barrel bombs fell", "shells hit"), not only
    strikes or raids."""
    return any(_MUNITION.match(text, offset) for _, _, offset in telling.triggers)


_MUNITION = re.compile(r"(?:barrel[- ]?bombs?|barrels?|shells?|rockets?|missiles?|bombs?|mortars?|canisters?|"
                       r"cylinders?)\b", re.IGNORECASE)


def merged_type(a: str | None, b: str | None) -> str | None:
    """The type of an act told in two mentions: the first telling's, unless the second
    names a more specific kind of the same act (a blast that was a suicide bombing, shells
    that carried gas). A capture and the fighting for it are one act of the kind told first
    (ACLED codes a battle that changes who holds the place as the change of territory)."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    refinements = {("explosion", "suicide_bombing"), ("explosion", "chemical_attack"),
                   ("shelling", "chemical_attack"), ("air_strike", "chemical_attack")}
    return b if (a, b) in refinements else a


def place_key(loc: Location) -> str:
    # a province and its namesake city are two places ("the province of Aleppo", "Aleppo")
    return f"{loc.country}|{name_key(loc.name)}" + ("|admin1" if loc.precision == "admin1" else "")


def _counts_from_figures(figures: list) -> tuple[dict[str, Count], dict[str, Count]]:
    killed: dict[str, Count] = {}
    injured: dict[str, Count] = {}
    for f in figures:
        target = killed if f.outcome == "killed" else injured
        if f.category not in target:
            target[f.category] = Count(f.count.low, f.count.best, f.count.high, f.count.text)
    return killed, injured


def add_claim(draft: _Draft, mention: Mention, text: str, figures: list) -> None:
    """One claim for each source the mention names ("official media and activists said")."""
    for name in mention.claim.names():
        _add_claim(draft, name, mention, text, figures)


def _add_claim(draft: _Draft, name: str, mention: Mention, text: str, figures: list) -> None:
    killed, injured = _counts_from_figures(figures)
    ev = Span(mention.start, mention.end, text[mention.start:mention.end])
    for c in draft.claims:
        if c.claimed_by == name and c.denial == mention.claim.denial:
            # The same source adds detail to the same act: keep the first figure of each kind.
            for k, v in killed.items():
                c.killed.setdefault(k, v)
            for k, v in injured.items():
                c.injured.setdefault(k, v)
            if all(e.start != ev.start for e in c.evidence):
                c.evidence.append(ev)
            return
    draft.claims.append(Claim(name, killed, injured, mention.claim.denial, [ev]))


def _one_side(actors: ActorDictionary, a: list[str], b: list[str]) -> bool:
    """Whether two tellings' doers can be one force ("American strikes" and "coalition
    strikes" of one village on one day)."""
    return any(actors.same_side(x, y) for x in a for y in b)


def _parts_of(actors: ActorDictionary, a: list[str], b: list[str]) -> bool:
    """Whether the doers ``a`` are each a part of a force named in ``b`` (a whole names the
    act as well as its part does, and the part is often only a source's guess)."""
    return bool(a) and all(any(actors.part_of(x, y) for y in b) for x in a)


def merge_mentions(mentions: list[Mention], text: str, fallback_type: str | None) -> list[_Draft]:
    actors = ActorDictionary.load()
    drafts: list[_Draft] = []
    fresh_from = 0  # the first draft a mention told as a separate act may merge with
    told: set[int] = set()  # the coordinated places' objects, once a clause has named them
    for m in mentions:
        if m.separate:
            fresh_from = len(drafts)
        places = m.places or []
        for i, p in enumerate(places):
            if i > 0 and id(p) in told:
                # a later clause about "the strikes on the villages" took the places of the
                # act it points back at: what it says is about the act, whose undivided
                # figures and sources stay with its first place
                continue
            if i > 0:
                told.add(id(p))
            loc = p.location
            key = place_key(loc)
            # Only the first of coordinated places carries the clause's figures.
            figures = m.figures if i == 0 else []
            target = None
            for d in reversed(drafts[fresh_from:] if m.separate else drafts):
                if d.place_key == key and dates_compatible(d.date, m.date) and \
                        (types_compatible(d.event_type, m.event_type) or
                         # (told at the place itself, not of a place the clause leaves unsaid, and
                         # by the munition that carried it, not as strikes on the town)
                         _gas_and_delivery(d.event_type, m.event_type) and not m.inherited_place and
                         _by_munition(d if m.event_type == "chemical_attack" else m, text)) and \
                        (m.event_type is None or d.event_type is None or
                         set(d.perpetrators) <= {"unknown"} or not m.perpetrators or
                         _one_side(actors, m.perpetrators, d.perpetrators) or m.accusing):
                    target = d
                    break
            if target is None:
                target = _Draft(m.event_type, loc, m.date, list(m.perpetrators), list(m.targets),
                                first=m.start, place_key=key, default_type=m.default_type,
                                perps_from_toll=bool(m.figures and m.perpetrators))
                drafts.append(target)
            else:
                if not (target.event_type is None and target.default_type == "shooting_or_execution" and
                        m.event_type == "armed_clash"):
                    # (a killing told as a massacre, then as an attack on a bar: one side's
                    # killing, no battle; the massacre names no means, a later telling may)
                    target.event_type = merged_type(target.event_type, m.event_type)
                target.date = better_date(target.date, m.date)
                # the first telling that names who acted stands; later ones often name the
                # other side of the same fight ("rebels ambushed the army" after "the army
                # killed 40 militants")
                if m.accusing and not _one_side(actors, m.perpetrators, target.perpetrators) and \
                        set(target.perpetrators) - {"unknown"}:
                    # "the government accused rebels of the attack": a doer the text leaves
                    # open between the sides, both kept
                    target.perpetrators += [p for p in m.perpetrators if p not in target.perpetrators]
                elif m.perpetrators and set(m.perpetrators) < set(target.perpetrators) and \
                        not _one_side(actors, m.perpetrators, [p for p in target.perpetrators
                                                               if p not in m.perpetrators]):
                    # "a battle between the rebels and the army", then "the army advanced":
                    # of the two sides fighting, the one a telling makes the agent (ruling 2)
                    target.perpetrators = list(m.perpetrators)
                elif m.perpetrators and (not target.perpetrators or
                                         (m.figures and not target.perps_from_toll)) and \
                        not _parts_of(actors, m.perpetrators, target.perpetrators):
                    # the telling that gives the toll says who is credited with the killing
                    target.perpetrators = list(m.perpetrators)
                    target.perps_from_toll = bool(m.figures)
                if PRECISION_RANK.get(loc.precision, 4) < PRECISION_RANK.get(target.location.precision, 4):
                    target.location = loc
            target.triggers += m.triggers
            target.cues += m.cues
            target.qualifiers += m.qualifiers
            target.blamed += [b for b in m.blamed if b not in target.blamed]
            target.unnamed_part = target.unnamed_part or m.unnamed_part
            target.doer_open = target.doer_open or m.doer_open
            add_claim(target, m, text, figures)
    for d in drafts:
        if d.event_type is None:
            d.event_type = fallback_type or d.default_type or _a_killing(d) or "other"
    return drafts


def credit_blamed(drafts: list[_Draft]) -> None:
    """An act no telling names a doer for is credited to whom the text blames for it ("world
    powers pointed the finger at the government"): the only attribution the text gives. One
    the text says no one knows the doer of has none ("it was not clear who carried out the
    raids"), whatever a word near it seemed to say."""
    for d in drafts:
        if d.doer_open:
            d.perpetrators = ["unknown"]
        elif d.blamed and set(d.perpetrators) <= {"unknown"}:
            d.perpetrators = list(d.blamed)


def _a_killing(d: _Draft) -> str | None:
    """The kind of an act told only as a named force killing people ("security forces
    killed 80 people"): ACLED's attack on civilians, or a battle where only fighters died."""
    if set(d.perpetrators) <= {"unknown"}:
        return None
    categories = {k for c in d.claims if not c.denial for k in c.killed}
    if not categories:
        return None
    return "armed_clash" if categories <= {"total", "combatants"} and "combatants" in categories \
        else "shooting_or_execution"


def infer_air_power(drafts: list[_Draft]) -> None:
    """An air strike whose flyer its own sentences leave unnamed is credited to the air force
    the same article names for the air strikes before it in the same province: only a few
    air forces fly over one front, and reports name them once ("Syrian and Russian jets
    bombed ... The Idlib strikes came days after raids on May 31")."""
    for i, d in enumerate(drafts):
        if d.event_type != "air_strike" or (d.perpetrators and d.perpetrators != ["unknown"]):
            continue
        for earlier in reversed(drafts[:i]):
            if earlier.event_type == "air_strike" and earlier.location.admin1 == d.location.admin1 \
                    and earlier.perpetrators and earlier.perpetrators != ["unknown"]:
                d.perpetrators = list(earlier.perpetrators)
                break


def drop_unsupported(drafts: list[_Draft]) -> list[_Draft]:
    """An act with no toll, no day of its own and no one to whom it is attributed is too thin
    to code: usually a passing reference ("the sound of gunfire and explosions"). An act
    outside the violent kinds needs a toll or a day of its own."""
    out = []
    for d in drafts:
        if not has_figures(d) and d.date[2] == "report" and \
                (set(d.perpetrators) <= {"unknown"} and not _sourced_at_a_point(d) or d.event_type == "other"):
            # an undated deal, arrest or protest in a dated report of violence is its
            # background, whoever is named
            continue
        out.append(d)
    return out


def _sourced_at_a_point(d: _Draft) -> bool:
    """A source reporting fighting at a named quarter or site: no passing reference."""
    return d.location.precision == "point" and any(c.claimed_by != REPORTER for c in d.claims)


def has_figures(d: _Draft) -> bool:
    return any(c.killed or c.injured for c in d.claims)


def drop_nonfactual(drafts: list[_Draft], factual) -> list[_Draft]:
    """An act that no figure supports stands only if one of its tellings is told as having
    happened (``factual(clause_start, clause_end, offset)`` judges the trigger at an article
    offset)."""
    out = []
    for d in drafts:
        if has_figures(d) or not d.triggers or \
                any(factual(*t) for t in d.triggers):
            out.append(d)
    return out


def _killed_value(d: _Draft) -> int | None:
    vals = [c.killed["total"].value() for c in d.claims if "total" in c.killed]
    vals = [v for v in vals if v is not None]
    return max(vals) if vals else None


def localise_country_level(drafts: list[_Draft]) -> list[_Draft]:
    """A toll reported for the whole country ("15 killed in northern Syria") whose next
    telling names the town ("raids on Abu al-Duhur left another 30 injured") is that town's
    toll; so is it when the next telling's toll is another source's and no other act has one
    (two accounts, spec ruling 9); when the next telling has a death toll of its own, the
    country figure is instead a total split into parts, which drop_split_totals removes."""
    out: list[_Draft] = []
    absorbed: set[int] = set()
    for i, d in enumerate(drafts):
        if i in absorbed:
            continue
        if d.location.precision == "country" and _killed_value(d) is not None:
            for j in range(i + 1, min(i + 3, len(drafts))):
                nxt = drafts[j]
                if nxt.location.country == d.location.country and nxt.location.precision != "country" \
                        and types_compatible(nxt.event_type, d.event_type) and dates_compatible(nxt.date, d.date):
                    if _killed_value(nxt) is None or _another_account(d, nxt) and not any(
                            o is not nxt and _killed_value(o) is not None and o.location.precision != "country"
                            and types_compatible(o.event_type, d.event_type) and dates_compatible(o.date, d.date)
                            for o in drafts):
                        # its town's act, or, where one source's toll for the country meets
                        # another's for the only town with a toll, a second account of it
                        for c in d.claims:
                            _merge_claim(nxt, c)
                        nxt.first = min(nxt.first, d.first)
                        # "suicide bombers killed 22 in Nigeria ... the explosions in Maiduguri":
                        # the town's act, of the kind the toll's telling names where finer
                        nxt.event_type = merged_type(nxt.event_type, d.event_type)
                        nxt.cues += d.cues
                        nxt.qualifiers += d.qualifiers
                        nxt.blamed += [b for b in d.blamed if b not in nxt.blamed]
                        if not nxt.perpetrators:
                            nxt.perpetrators = list(d.perpetrators)
                        absorbed.add(i)
                    break
            if i in absorbed:
                continue
        out.append(d)
    return out


def merge_retold(drafts: list[_Draft]) -> list[_Draft]:
    """An act told twice ("militants shot dead a teacher in X district ... The teacher's body
    was found in Y village") is one act: a later telling merges into an earlier one when
    both give the same death toll, on a compatible day, at the same place or one that holds
    the other. The finer place stands; the first telling's kind of act, unless the second is
    a refinement of it."""
    out: list[_Draft] = []
    for d in drafts:
        toll = _tolls(d)
        target = None
        if toll:
            for e in reversed(out):
                if toll & _tolls(e) and dates_compatible(e.date, d.date) and \
                        (_same_or_inside(e.location, d.location) or _same_or_inside(d.location, e.location)):
                    target = e
                    break
        if target is None:
            out.append(d)
            continue
        for c in d.claims:
            _merge_claim(target, c)
        target.event_type = merged_type(target.event_type, d.event_type)
        target.date = better_date(target.date, d.date)
        if PRECISION_RANK.get(d.location.precision, 4) < PRECISION_RANK.get(target.location.precision, 4):
            target.location, target.place_key = d.location, d.place_key
        if set(target.perpetrators) <= {"unknown"}:
            target.perpetrators = list(d.perpetrators)
        target.triggers += d.triggers
        target.cues += d.cues
        target.qualifiers += d.qualifiers
        target.blamed += [b for b in d.blamed if b not in target.blamed]
    return out


def merge_coarse_tellings(drafts: list[_Draft], text: str = "") -> list[_Draft]:
    """A headline or lead tells an act at its province or district ("Terrorists executed
    militants in Aleppo province", "22 children were killed in air strikes in Idlib
    province"), the body at its town or quarter ("the strikes hit the village of Hass"): when
    the coarse place holds exactly one compatible finer act and only one of the two gives
    figures, or a province's figures are another source's than the town's (a second account,
    spec ruling 9), they are one act at the finer place. A finer telling of a part ("one raid hit
    X") leaves the province's toll where it is; a province holding several acts is their
    total (drop_split_totals). So is a town whose act was told at "a neighbourhood" of it
    ("seized a rebel-held neighbourhood of X") and whose one compatible act at a quarter
    names it."""
    merged: set[int] = set()
    for d in drafts:
        if d.location.precision == "town" and not d.unnamed_part:
            # a town is told as the town, and a place near it is not thereby a part of it,
            # save another source's toll for the act at one of its quarters
            if has_figures(d) and _merge_second_account(d, drafts, merged):
                merged.add(id(d))
            continue
        if d.location.precision not in ("admin1", "district", "town"):
            continue  # localise_country_level settles country-wide tellings
        rank = PRECISION_RANK.get(d.location.precision, 4)
        finer = [o for o in drafts if o is not d and id(o) not in merged and
                 PRECISION_RANK.get(o.location.precision, 4) < rank and
                 _same_or_inside(d.location, o.location) and
                 types_compatible(o.event_type, d.event_type) and dates_compatible(o.date, d.date)]
        if d.location.precision == "town":
            finer = [o for o in finer if o.event_type == d.event_type]  # the quarter taken, not the one fought over
        if len(finer) != 1 or has_figures(d) and (
                _a_part(finer[0], text) or has_figures(finer[0]) and
                not (d.location.precision == "admin1" and _another_account(d, finer[0]))):
            continue
        o = finer[0]
        for c in d.claims:
            _merge_claim(o, c)
        o.event_type = merged_type(d.event_type, o.event_type) if d.first < o.first else \
            merged_type(o.event_type, d.event_type)
        o.date = better_date(o.date, d.date)
        if set(o.perpetrators) <= {"unknown"}:
            o.perpetrators = list(d.perpetrators)
        o.first = min(o.first, d.first)
        o.triggers += d.triggers
        o.cues += d.cues
        o.qualifiers += d.qualifiers
        o.blamed += [b for b in d.blamed if b not in o.blamed]
        merged.add(id(d))
    return [d for d in drafts if id(d) not in merged]


def _merge_second_account(d: _Draft, drafts: list[_Draft], merged: set[int]) -> bool:
    """A city's toll from one source beside its quarter's from another, that day: a second
    account of the act at the quarter (spec ruling 9), merged into it; not a toll the city's
    several told acts share. Returns whether ``d`` was merged."""
    rank = PRECISION_RANK.get(d.location.precision, 4)
    told = [o for o in drafts if o is not d and id(o) not in merged and has_figures(o) and
            PRECISION_RANK.get(o.location.precision, 4) < rank and
            _same_or_inside(d.location, o.location) and dates_compatible(o.date, d.date)]
    if len(told) != 1:
        return False
    o = told[0]
    if o.location.precision != "point" or _killed_value(o) is None or _killed_value(d) is None or \
            not _another_account(d, o) or not _one_doer(d, o) or \
            merged_type(d.event_type, o.event_type) != o.event_type:
        return False
    for c in d.claims:
        _merge_claim(o, c)
    o.blamed += [b for b in d.blamed if b not in o.blamed]
    return True


def _one_doer(a: _Draft, b: _Draft) -> bool:
    known = [set(d.perpetrators) - {"unknown"} for d in (a, b)]
    return not known[0] or not known[1] or known[0] == known[1]


def _another_account(a: _Draft, b: _Draft) -> bool:
    """Whether two tellings' figures come from different sources: two accounts of one act
    (spec ruling 9), where one source's figures at a province and at a town would be a
    total and its part."""
    def sources(d: _Draft) -> set[str]:
        return {c.claimed_by for c in d.claims if c.killed or c.injured}
    return not sources(a) & sources(b)


def _a_part(d: _Draft, text: str) -> bool:
    """Whether an act's first telling opens on a part of something ("One raid hit ...",
    "Another strike ...", "Some of the shells ...")."""
    return bool(d.triggers) and bool(_PART_OPENING.match(text, d.triggers[0][0]))


_PART_OPENING = re.compile(r"\W*(?:one|another|some|several|two|three|a second|a third|part)\b", re.IGNORECASE)


def _tolls(d: _Draft) -> set:
    return {v for c in d.claims if "total" in c.killed
            for v in [c.killed["total"].value()] if v is not None}


# How far from a city's or a district's point a place still lies inside it.
_CITY_KM, _DISTRICT_KM = 15.0, 40.0


def _same_or_inside(outer: Location, inner: Location) -> bool:
    """Whether ``inner`` is ``outer`` or lies inside it: a province holds its places, a
    district or a city the places near its point."""
    if inner.country != outer.country:
        return False
    if name_key(inner.name) == name_key(outer.name):
        return True
    if PRECISION_RANK.get(inner.precision, 4) >= PRECISION_RANK.get(outer.precision, 4) or \
            not inner.admin1 or inner.admin1 != outer.admin1:
        return False
    if outer.precision in ("admin1", "country"):
        return True
    if None in (inner.lat, inner.lon, outer.lat, outer.lon):
        return False
    dy = (inner.lat - outer.lat) * 111.2
    dx = (inner.lon - outer.lon) * 111.2 * math.cos(math.radians((inner.lat + outer.lat) / 2))
    return math.hypot(dx, dy) <= (_DISTRICT_KM if outer.precision == "district" else _CITY_KM)


def _merge_claim(draft: _Draft, claim: Claim) -> None:
    for c in draft.claims:
        if c.claimed_by == claim.claimed_by and c.denial == claim.denial:
            for k, v in claim.killed.items():
                c.killed.setdefault(k, v)
            for k, v in claim.injured.items():
                c.injured.setdefault(k, v)
            c.evidence = sorted(c.evidence + claim.evidence, key=lambda e: e.start)
            return
    draft.claims.insert(0, claim)


def _least_killed(d: _Draft) -> int:
    """The lowest killed total any source gives for an act: what a part at least contributes."""
    vals = [c.killed["total"].value() for c in d.claims if "total" in c.killed]
    vals = [v for v in vals if v is not None]
    return min(vals) if vals else 0


def drop_split_totals(drafts: list[_Draft]) -> list[_Draft]:
    """A total the article splits into located parts is not an incident of its own."""
    out = []
    for d in drafts:
        rank = PRECISION_RANK.get(d.location.precision, 4)
        parts = [o for o in drafts if o is not d and
                 PRECISION_RANK.get(o.location.precision, 4) < rank and
                 types_compatible(o.event_type, d.event_type) and dates_compatible(o.date, d.date) and
                 _within(o.location, d.location) and _killed_value(o) is not None and
                 (d.location.precision != "town" or _nearest_town(o.location, drafts) is d.location)]
        total = _killed_value(d)
        if d.location.precision == "country" and any(
                o is not d and o.location.country == d.location.country and not _unarmed(o) and
                o.location.precision != "country" for o in drafts):
            continue
        vague = not any(c.killed["total"].best is not None for c in d.claims if "total" in c.killed)
        if len(parts) >= 2 and (total is None or vague or total >= max(_least_killed(p) for p in parts)):
            continue
        out.append(d)
    return out


def _nearest_town(inner: Location, drafts: list[_Draft]) -> Location | None:
    """The town among the article's acts that a quarter is nearest to: a quarter of a city
    is the city's, not that of a town just outside it."""
    towns = [d.location for d in drafts if d.location.precision == "town" and
             d.location.lat is not None and inner.lat is not None]
    if not towns:
        return None
    return min(towns, key=lambda t: (t.lat - inner.lat) ** 2 + ((t.lon - inner.lon) *
                                                               math.cos(math.radians(t.lat))) ** 2)


def _unarmed(d: _Draft) -> bool:
    """An act outside the violent kinds (its words report a protest, an arrest...)."""
    return d.event_type == "other" and bool(d.cues)


def _within(inner: Location, outer: Location) -> bool:
    if inner.country != outer.country:
        return False
    if outer.precision == "country":
        return True
    if outer.precision == "admin1":
        return inner.admin1 == outer.admin1
    # a quarter lies in the town it is near, not in every town of its province
    return inner.admin1 == outer.admin1 and (
        name_key(inner.name) == name_key(outer.name) or
        (inner.precision == "point" and (None in (inner.lat, outer.lat) or _same_or_inside(outer, inner))))


def drop_echoed_reporter_claims(drafts: list[_Draft]) -> None:
    """The article repeating a source's figure in its own voice is not a second claim."""
    for d in drafts:
        others = [c for c in d.claims if c.claimed_by != REPORTER]
        if not others:
            continue
        other_values = {v.value() for c in others for v in c.killed.values()}
        kept = []
        for c in d.claims:
            # a vague "several" beside the echoed figure does not make a claim of its own
            values = {v.value() for v in c.killed.values() if v.best is not None or v.high is not None}
            if c.claimed_by == REPORTER and values and values <= other_values:
                continue
            kept.append(c)
        d.claims = kept


def to_incidents(drafts: list[_Draft], text: str = "", actor_kind=lambda name: None) -> list[Incident]:
    """The spec's incidents, each with ACLED's coding beside sitrep's type (``actor_kind``
    gives the actor dictionary's kind of a canonical actor: state, rebel, civilians...)."""
    out = []
    for d in sorted(drafts, key=lambda d: d.first):
        date, date_end, precision = d.date
        if date is None:  # a relative date with no publication date to count from (the spec)
            date_end, precision = None, "unknown"
        perps = d.perpetrators or ["unknown"]
        target = d.targets[0] if d.targets else None
        etype = d.event_type or "other"
        doer = perps[0] if perps[0] != "unknown" else _doer_words(d, text)
        disorder, acled_type, sub = acled_coding(
            etype, d.cues, d.qualifiers, perpetrator=doer, perpetrator_kind=actor_kind(perps[0]),
            target_kind="civilians" if target == "civilians" else actor_kind(target) if target else None,
            civilians_killed=_largest(d, "killed", "civilians"),
            combatants_killed=_largest(d, "killed", "combatants"),
            killed=_largest(d, "killed", "total"), injured=_largest(d, "injured", "total"))
        out.append(Incident(sitrep_type_of(sub, etype), date, date_end, precision, d.location,
                            perps, target, d.claims, disorder, acled_type, sub))
    return out


def _doer_words(d: _Draft, text: str) -> str:
    """Where no actor the dictionary knows is named, the words that name who acted: before
    the act's word in its clause (the subject: "troops retook ...") and after "by" (the
    agent: "... was retaken by the army")."""
    if not d.triggers:
        return ""
    cs, ce, at = d.triggers[0]
    before = text[cs:at]
    spoken = list(_SPEAKER_BEFORE.finditer(before))
    if spoken:
        before = before[spoken[-1].end():]  # "an army spokesman said rebels took ...": rebels
    after = text[at:ce]
    by = after.find(" by ")
    return before + (" " + after[by + 4:] if by >= 0 else "")


# Who speaks before the act's words is not who acted: the doer's words follow the verb of
# saying (and its "that") or the "according to ..." phrase.
_SPEAKER_BEFORE = re.compile(r"\b(?:said|says|say|told|tells|reported|reports|added|stated|announced|"
                             r"claimed|confirmed)\b(?:\s+\w+){0,2}?(?:\s+that)?\s+|"
                             r"\baccording to [^,]{1,80},\s*", re.IGNORECASE)


def _largest(d: _Draft, outcome: str, category: str) -> int:
    """The largest figure any claim gives of a kind of victim ("killed", "civilians"), 0 if none."""
    vals = [getattr(c, outcome)[category].value() for c in d.claims if category in getattr(c, outcome)]
    return max((v for v in vals if v is not None), default=0)
