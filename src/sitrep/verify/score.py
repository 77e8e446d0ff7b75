"""The consistency score: how well each article fits what else is known, in [0, 1], with reasons.

Each incident of the article is reduced to an ``Act`` (a date interval, a governorate, an event
type, perpetrators and their sides, the killed figures) and compared with three things.

1. **Other outlets** (the key signal). Incidents of other articles reporting the same act:
   those the link stage put in one ``LinkedIncident`` with it, and those meeting our own rule
   (dates at most a day apart, same governorate, compatible event types; Damascus and Rural
   Damascus count as one area). Each partner gets a confidence that it is the same act, from
   place, type and date only (0.7 for a link-stage partner, else 0.3; +0.35 for the same named
   town, +0.15 for the same event type, +0.1 for the same day), never from the figures or
   perpetrators then compared.
   - *support* (corroboration): the best partner's confidence times how far its details agree
     (``AGREE_TOLL`` x ``AGREE_PERP``: a figure both state, within 10%, counts fully; tolls
     merely within 1.5x count 0.4; a reprint of the same wire story counts half);
   - *figure deviation*: the toll against the partners' weighted median toll, beyond ln 1.5,
     unless some confident partner states one of the article's figures;
   - *perpetrator mismatch*: when less than half the partners (by confidence) that name a
     perpetrator name one of the article's sides (sides are the FA-KES actor classes: the
     Syrian government and Russia are one); at the article level, the same for the summary's
     perpetrator against the summaries of the partner articles;
   - *date mismatch* / *place mismatch* (near misses): another outlet's incident that looks
     like the same act (a shared figure of the same kind of act, the larger the rarer, or the
     same named town) but 2-14 days away, or on the same day in another governorate,
     counted beyond the confidence of the best same-day same-place partner.
2. **Reference data** (Syria; each source only inside the dates it covers). Records of the
   same days (one day either side) and governorate are listed as *matched records* but do not
   raise the score (in a war, deaths are recorded somewhere on most days; a match says little).
   They lower it when they contradict:
   - VDC daily deaths by governorate (a full scrape): a toll above the deaths VDC recorded
     there over those days is a *figure deviation* (log ratio beyond ln 2); a toll where VDC
     records no death at all is *nothing reported*. Tolls of combatants only, and tolls
     caused only by opposition groups or al-Nusra (whose victims VDC hardly records), are
     not compared;
   - VDC deaths by cause: a chemical attack that kills on days with no chemical death in Syria;
   - VDC victims (a partial sample): five or more victims of the same kind of act named as
     killed by other sides than the article's (weak);
   - ACLED, UCDP, Airwars: their counts bound the toll like the VDC total; their actors check
     the perpetrator.
3. **Internal consistency**: an act dated after publication; parts above their whole (children
   and women above civilians, civilians above the total, low above high); an air strike
   credited to a side without aircraft, a suicide bombing to a state's forces.

Combining. Each contradiction carries a penalty (``PENALTIES``, scaled by how sure and how
large the disagreement is). An incident's penalties and support are weighted by its salience
``s = 1 + [has a toll] + [dated to the day]`` (background mentions weigh less):

    P = sum of article-level penalties + sum_j s_j * penalties_j / sum_j s_j
    C = sum_j s_j * support_j / sum_j s_j                      (in [0, 1])
    score = 1 / (1 + exp(P - 4 * C))

So 0.5 means nothing is known either way (no other report, no contradiction); an article
whose every incident other outlets confirm in detail, with nothing against it, scores 0.98; each
contradiction pulls it towards 0. Reasons come as ``{"kind", "detail", "weight", "incident",
...}`` where ``weight`` is the reason's share of -P (0 for matched records and agreement; the
agreement reasons carry their ``support``).
"""
from __future__ import annotations

import math
import operator
from collections import Counter, defaultdict
from itertools import compress, islice, repeat
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, timedelta
from typing import Callable, Iterable, Iterator, Sequence

from ..knowledge.actors import ActorDictionary
from ..records import Incident, Summary
from ..store.model import LinkedIncident, ReferenceRecord, StoredArticle, StoredIncident, Verification
from .candidates import Candidates, gap_days
from .members import Members, Part, folded_weights, ids_in
from .misses import Best, Misses, Rule, Scored
from .partners import Partners

# -------------------------------------------------------------------------------------------
# Constants (documented in the module docstring and the README)

FIGURE_RATIO = 1.5                # other outlets: tolls within 1.5x of each other are close
FIGURE_TOL = math.log(FIGURE_RATIO)
REFERENCE_TOL = math.log(2.0)     # reference totals: a toll up to 2x the recorded deaths passes
NEAR_MISS_DAYS = 14               # how far apart two reports of one act may be dated at most
CORROBORATION = 4.0               # log-odds that full corroboration of every incident adds
# How much a partner's details back the incident (the support's second factor): tolls that share
# a figure, tolls merely close (within FIGURE_TOL), tolls far apart, a toll one side lacks;
# perpetrators of one side, of other sides, named by one side only.
WIRE_DISCOUNT = 0.5               # support from a reprint of the same wire story counts half
AGREE_TOLL = {"shared": 1.0, "close": 0.4, "apart": 0.25, "unknown": 0.6}
AGREE_PERP = {"same": 1.0, "other": 0.4, "unknown": 0.75}

PENALTIES = {
    "figure_deviation_outlet": 1.5,   # per unit of log distance beyond FIGURE_TOL, capped below
    "figure_deviation_reference": 0.5,  # per unit of log ratio beyond REFERENCE_TOL
    "nothing_reported": 0.25,         # per unit of log(toll + 1) beyond REFERENCE_TOL
    "date_mismatch": 1.5,             # times how sure the near miss is the same act
    "place_mismatch": 1.5,
    "perpetrator_mismatch_outlet": 1.0,
    "perpetrator_mismatch_reference": 0.25,
    "chemical_not_recorded": 0.5,
    "date_after_publication": 1.0,
    "figures_inconsistent": 0.3,
    "implausible_perpetrator": 0.2,
    "summary_actor": 1.0,
    "cap_figure": 2.0,                # the most one figure comparison can cost
    "cap_reference": 1.0,
}

# The relative error that sums of a few thousand weights in another order may carry, and
# more: a share this far above a half is above it however the weights are added.
_MARGIN = 1e-6

# Damascus and Rural Damascus are one area for comparison: news and FA-KES write "Damascus" for
# both, and the Ghouta suburbs are reported either way.
GOV_GROUP = {"Rural Damascus": "Damascus"}

TYPE_GROUPS = (
    frozenset({"air_strike", "shelling", "explosion", "chemical_attack"}),
    frozenset({"explosion", "suicide_bombing"}),
    frozenset({"armed_clash", "shooting_or_execution", "territory_change"}),
    frozenset({"abduction", "shooting_or_execution"}),
)

# Sides without aircraft: an air strike credited to one of them is implausible.
NO_AIRCRAFT = frozenset({
    "Islamic State", "Hayat Tahrir al-Sham", "Syrian opposition forces", "Syrian Democratic Forces",
    "PKK", "Hezbollah", "al-Qaeda", "Al-Qaeda in the Arabian Peninsula", "Hamas",
    "Palestinian Islamic Jihad", "Taliban", "al-Shabaab", "Boko Haram", "ISWAP", "JNIM",
    "Islamic State Sahel Province", "Islamic State Khorasan Province", "Southern Transitional Council",
    "pro-Russian separatists", "Rapid Support Forces", "Wagner Group", "Peshmerga",
})
# State forces: a suicide bombing credited to one of them is implausible.
STATE_FORCES = frozenset({
    "Syrian government forces", "Russian forces", "US-led coalition", "US forces", "Turkish forces",
    "Israeli forces", "Iraqi forces", "Iranian forces", "Saudi-led coalition", "Ukrainian forces",
    "Lebanese army", "Afghan forces", "NATO forces", "French forces", "Nigerian army",
    "Sudanese Armed Forces", "Malian armed forces", "Yemeni government forces",
})

# Sides whose victims VDC hardly records (3.6% and 0.4% of the victims in the sample name them):
# a toll they cause is not compared with VDC's totals.
NOT_IN_VDC = frozenset({"armed opposition groups", "al-nusra front"})


# The articles whose acts' near misses are scored at once (``Misses.scored``): enough for
# the arrays to outweigh their overhead, few enough to hold their candidates.
MISS_BATCH = 500

# -------------------------------------------------------------------------------------------
# Acts: incidents reduced to what is compared


def gov_group(admin1: str | None) -> str | None:
    return GOV_GROUP.get(admin1, admin1) if admin1 else None


def compatible_types(a: str, b: str) -> bool:
    if a == b or a == "other" or b == "other":
        return True
    return any(a in g and b in g for g in TYPE_GROUPS)


_SIDES: dict[str, str] = {}


def side(actor: str) -> str:
    """The side an actor fights on, as FA-KES classes actors (government and Russia are one);
    an actor without a FA-KES class is a side of its own."""
    s = _SIDES.get(actor)
    if s is None:
        try:
            f = ActorDictionary.load().fakes_actor(actor)
        except Exception:
            f = "unknown"
        s = _SIDES[actor] = actor if f == "unknown" else f
    return s


@lru_cache(maxsize=1 << 16)
def _d(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


@dataclass(eq=False, slots=True)
class Act:
    pk: int
    article_pk: int
    article_id: str
    outlet: str | None
    index: int
    event_type: str
    d0: date | None
    d1: date | None
    precision: str
    country: str | None
    admin1: str | None
    gov: str | None
    place: str
    place_key: str
    place_specific: bool        # a town or point that is not the governorate's own name
    perps: frozenset[str]
    sides: frozenset[str]
    lo: int | None              # killed interval over the claims (their low and high figures)
    hi: int | None
    blo: int | None             # the claims' best figures, least and greatest
    bhi: int | None
    combatants_only: bool
    published: date | None
    salience: float
    figures: frozenset = frozenset()  # every killed figure its claims state (total, civilians)
    # "who: what" of each claim whose figures contradict each other (``_inconsistencies``):
    # all the score reads of the claims beyond the figures above, so the incident is let go
    inconsistent: tuple[str, ...] = ()

    @property
    def has_toll(self) -> bool:
        return self.hi is not None and self.hi > 0


def _claim_killed(claim) -> tuple[int | None, int | None, bool]:
    """(low, high, combatants only) of one claim's killed figure."""
    k = claim.killed
    tot = k.get("total")
    if tot is not None and tot.value() is not None:
        lo = tot.low if tot.low is not None else tot.value()
        hi = tot.high if tot.high is not None else tot.value()
    else:
        parts = [k[c].value() for c in ("civilians", "combatants") if c in k and k[c].value() is not None]
        if not parts:
            parts = [max((k[c].value() or 0) for c in ("children", "women") if c in k)] if any(
                c in k for c in ("children", "women")) else []
        if not parts:
            return None, None, False
        lo = hi = sum(parts)
    civ = any(c in k and (k[c].value() or 0) > 0 for c in ("civilians", "children", "women"))
    comb = "combatants" in k and (k["combatants"].value() or 0) > 0
    return lo, hi, comb and not civ


def _claim_best(claim) -> int:
    lo, hi, _ = _claim_killed(claim)
    tot = claim.killed.get("total")
    if tot is not None and tot.best is not None:
        return tot.best
    return lo if lo is not None else hi


@lru_cache(maxsize=1 << 16, typed=True)
def _one(value):
    """One object for equal values: the acts of an archive repeat a few thousand places,
    days and actor sets, and share them instead of holding a copy each."""
    return value


@lru_cache(maxsize=1 << 16)
def _place_key(name: str) -> str:
    from ..knowledge.gazetteer import plain_name
    return plain_name(name or "")


def _inconsistencies(inc: Incident) -> tuple[str, ...]:
    """"who: what" of each claim whose figures contradict each other: a low above its high,
    civilians above the total, children and women above the civilians (or the total)."""
    out = []
    for c in inc.claims:
        k = c.killed
        bad = []
        for cat, cnt in list(k.items()) + list(c.injured.items()):
            if cnt.low is not None and cnt.high is not None and cnt.low > cnt.high:
                bad.append(f"{cat} low {cnt.low} above high {cnt.high}")
        tot = k.get("total").value() if "total" in k else None
        civ = k.get("civilians").value() if "civilians" in k else None
        parts = sum((k[c2].value() or 0) for c2 in ("children", "women") if c2 in k)
        if tot is not None and civ is not None and civ > tot:
            bad.append(f"{civ} civilians of {tot} killed")
        whole = civ if civ is not None else tot
        if whole is not None and parts > whole and whole > 0:
            bad.append(f"{parts} children and women of {whole}")
        if bad:
            out.append(f"{c.claimed_by}: " + "; ".join(bad))
    return tuple(out)


def act_of(si: StoredIncident) -> Act:
    inc = si.incident
    prec = inc.date_precision
    d = _d(inc.date)
    if d is None or prec in ("month", "year", "unknown"):
        d0 = d1 = None
    elif prec == "range":
        d0, d1 = d, max(d, _d(inc.date_end) or d)
        if (d1 - d0).days > 10:
            d0 = d1 = None
    elif prec == "report":
        d0, d1 = d - timedelta(days=2), d
    else:
        d0 = d1 = d
    loc = inc.location
    lows, highs, bests, comb_only = [], [], [], []
    for c in inc.claims:
        if c.denial:
            continue
        lo, hi, co = _claim_killed(c)
        if hi is None:
            continue
        lows.append(lo if lo is not None else hi)
        highs.append(hi)
        bests.append(_claim_best(c))
        comb_only.append(co)
    perps = frozenset(p for p in inc.perpetrator if p and p != "unknown")
    gov = gov_group(loc.admin1) if loc.precision != "country" else None
    pk = _place_key(loc.name)
    specific = loc.precision in ("point", "town") and bool(pk) and pk != _place_key(loc.admin1 or "")
    hi = max(highs) if highs else None
    act = Act(pk=si.pk, article_pk=si.article_pk, article_id=si.article_id, outlet=_one(si.outlet), index=si.index,
              event_type=_one(inc.event_type), d0=_one(d0), d1=_one(d1), precision=_one(prec),
              country=_one(loc.country), admin1=_one(loc.admin1), gov=_one(gov), place=_one(loc.name),
              place_key=_one(pk), place_specific=specific,
              perps=_one(perps), sides=_one(frozenset(side(p) for p in perps)),
              lo=min(lows) if lows else None, hi=hi,
              blo=min(bests) if bests else None, bhi=max(bests) if bests else None, combatants_only=bool(comb_only) and all(comb_only),
              published=_d(si.published), salience=1.0, inconsistent=_inconsistencies(inc))
    act.salience = 1.0 + (1.0 if act.has_toll else 0.0) + (1.0 if prec == "day" else 0.0)
    act.figures = _one(frozenset(v for c in inc.claims if not c.denial for cat in ("total", "civilians")
                                 if cat in c.killed
                                 for v in (c.killed[cat].low, c.killed[cat].best, c.killed[cat].high) if v))
    return act


date_gap = gap_days  # days between two acts' spans (0 when they overlap; None if undated)


def log_distance(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Distance between two count intervals on a log scale (0 when they overlap)."""
    (alo, ahi), (blo, bhi) = a, b
    if ahi < blo:
        return math.log((blo + 1) / (ahi + 1))
    if bhi < alo:
        return math.log((alo + 1) / (bhi + 1))
    return 0.0


@lru_cache(maxsize=1 << 14)
def _same_figure(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two reports share a figure (within 10%, or 1 for small ones): sources are
    quoted by number, so reports of one act usually repeat one of its figures exactly.
    (An archive's acts repeat a few thousand sets of figures: a pair is asked many times.)"""
    return any(abs(u - v) <= max(1.0, 0.1 * max(u, v)) for u in a for v in b)


def _mid(a: Act) -> float:
    """One figure for an act's toll: the geometric middle of its claims' best figures."""
    return math.sqrt((a.blo + 1) * (a.bhi + 1)) - 1


def _weighted_median(pairs: list[tuple[float, float]]) -> float:
    pairs = sorted(pairs, key=operator.itemgetter(1))
    half = sum(w for w, _ in pairs) / 2
    acc = 0.0
    for w, v in pairs:
        acc += w
        if acc >= half:
            return v
    return pairs[-1][1]


def _range(tolls: list[tuple[float, float]]) -> str:
    lo, hi = min(v for _, v in tolls), max(v for _, v in tolls)
    return f"{lo:.0f}" if round(lo) == round(hi) else f"{lo:.0f}-{hi:.0f}"


def _detail_agreement(x: Act, y: Act) -> float:
    """How far two reports of one act agree on toll and perpetrator, in (0, 1]."""
    if x.has_toll and y.has_toll:
        f = AGREE_TOLL["shared"] if _same_figure(x.figures, y.figures) else \
            AGREE_TOLL["close"] if log_distance((x.lo, x.hi), (y.lo, y.hi)) <= FIGURE_TOL else AGREE_TOLL["apart"]
    else:
        f = AGREE_TOLL["unknown"]
    if x.sides and y.sides:
        f *= AGREE_PERP["same"] if x.sides & y.sides else AGREE_PERP["other"]
    else:
        f *= AGREE_PERP["unknown"]
    return f


def _identity(x: Act, y: Act, *, use_place: bool) -> float:
    """How sure a near miss is the same act, in [0, 1]: a figure both state for the same kind of
    act (the larger, the rarer the coincidence), else tolls within FIGURE_TOL (halved when a
    range is wide); when allowed, a shared named town; a shared side adds a little."""
    s = 0.0
    if x.has_toll and y.has_toll and x.event_type == y.event_type:
        shared = [u for u in x.figures for v in y.figures if abs(u - v) <= max(1.0, 0.1 * max(u, v))]
        if shared:
            s += _rarity(max(shared))
        elif log_distance((x.blo, x.bhi), (y.blo, y.bhi)) <= FIGURE_TOL:
            s += _rarity(min(x.bhi, y.bhi)) * (0.5 if x.bhi > 2 * x.blo + 1 or y.bhi > 2 * y.blo + 1 else 1.0)
    if use_place and x.place_specific and y.place_specific and x.place_key == y.place_key:
        s += 0.8
    if s > 0 and x.sides and y.sides and x.sides & y.sides:
        s += 0.2
    return min(1.0, s)


def _rarity(toll: float) -> float:
    return 0.0 if toll < 3 else 0.5 if toll < 6 else 0.8 if toll < 15 else 1.0


def telling(a: Act) -> bool:
    """Whether a's toll can make ``_identity`` with another act's more than nothing: a
    shared figure counts from 3 (``_rarity``), which shares with figures from 2, and tolls
    merely close count when both best figures are 3 or more."""
    return a.has_toll and (a.bhi >= 3 or any(v >= 2 for v in a.figures))


# -------------------------------------------------------------------------------------------
# Reference data, indexed by day


class ReferenceIndex:
    """Reference records by (governorate group, day), with the dates each source covers."""

    def __init__(self, records: Iterable[ReferenceRecord]):
        self.daily: dict[tuple[str, date], int] = defaultdict(int)      # vdc-daily
        self.cause: dict[tuple[str, date], int] = defaultdict(int)      # vdc-daily-cause
        self.victims: dict[tuple[str, date], list[ReferenceRecord]] = defaultdict(list)  # vdc
        self.events: dict[tuple[str, date], list[ReferenceRecord]] = defaultdict(list)   # others
        self.covered: dict[str, tuple[date, date]] = {}
        self.count = 0
        for r in records:
            d = _d(r.date)
            if d is None:
                continue
            self.count += 1
            lo_hi = self.covered.get(r.source)
            self.covered[r.source] = (min(lo_hi[0], d), max(lo_hi[1], d)) if lo_hi else (d, d)
            g = gov_group(r.admin1) or ""
            n = r.killed_best if r.killed_best is not None else 0
            if r.source == "vdc-daily":
                self.daily[(g, d)] += n
            elif r.source == "vdc-daily-cause":
                self.cause[(r.event_type or "unknown", d)] += n
            elif r.source == "vdc":
                self.victims[(g, d)].append(r)
            else:
                self.events[(g, d)].append(r)
                d_end = _d(r.date_end)
                if d_end and d_end > d:
                    for k in range(1, min((d_end - d).days, 10) + 1):
                        self.events[(g, d + timedelta(days=k))].append(r)

    def covers(self, source: str, d0: date, d1: date) -> bool:
        c = self.covered.get(source)
        return c is not None and c[0] <= d0 and d1 <= c[1]

    @staticmethod
    def days(d0: date, d1: date, pad: int = 1) -> list[date]:
        return [d0 + timedelta(days=k) for k in range(-pad, (d1 - d0).days + pad + 1)]


# -------------------------------------------------------------------------------------------
# The verifier


@dataclass
class _Reason:
    kind: str
    detail: str
    penalty: float = 0.0
    extra: dict = field(default_factory=dict)


class Verifier:
    """Scores articles against the other articles' incidents, links and reference records.

    ``Verifier(articles, incidents, reference, links).verify()`` scores every article;
    ``score_article(article, incidents, exclude=...)`` scores one (also one not among
    ``articles``, such as an altered copy), leaving the articles in ``exclude`` out of the
    comparison."""

    def __init__(self, articles: Sequence[StoredArticle], incidents: Iterable[StoredIncident],
                 reference: Iterable[ReferenceRecord] | ReferenceIndex = (),
                 links: Sequence[LinkedIncident] | None = None):
        self.articles = [_lean(a) for a in articles]   # a stream will do
        self.article_by_pk = {a.pk: a for a in self.articles}
        self.by_article: dict[int, list[Act]] = defaultdict(list)   # article pk -> its acts
        self.acts: dict[int, Act] = {}
        for si in incidents:   # read once: a stream will do
            x = self.acts[si.pk] = act_of(si)
            self.by_article[si.article_pk].append(x)
        self.ref = reference if isinstance(reference, ReferenceIndex) else ReferenceIndex(reference)
        self.partners = Partners(links or ())
        # article pk -> its wire family: the articles of the wire groups it is in, itself
        # too (one object for the articles of the same groups: a story's copies share it)
        self.wired: dict[int, frozenset[int]] = {}
        _add_wires(self.wired, links or ())
        self._outside_of: dict[tuple, frozenset[int]] = {}   # (profile's key, wire family) -> ``_outside``
        # Acts alike in all the score compares (one act copied under many ids) are compared
        # as one profile and counted as many: a dense archive costs what its profiles number.
        self._link_key = _link_keys(links or ())      # act pk -> the links it is in
        self._link_members = {li.id: li.members for li in links or ()}
        self._key_profiles: dict[tuple[int, ...], Counter] = {}   # link key -> its acts' profiles
        self._remember = True                          # whether splits by link key are kept
        grouped: dict[int, list[Act]] = {}            # profile (its first act's pk) -> its acts
        self._profile: dict[int, int] = {}            # act pk -> profile
        first: dict[tuple, int] = {}
        for a in self.acts.values():
            p = first.setdefault(_profile_key(a), a.pk)
            self._profile[a.pk] = p
            grouped.setdefault(p, []).append(a)
        del first
        self._members: dict[int, Members] = {p: Members(tuple(acts), tuple(a.article_id for a in acts),
                                                        tuple(a.article_pk for a in acts), stable=True)
                                                for p, acts in grouped.items()}
        # sums over a dense archive's copies, kept by the parts they are over (``members``)
        self._id_sums: dict = {}
        self._weight_sums: dict = {}
        self._actor_sums: dict[int, tuple] = {}   # id of weights kept -> their sums by actor (``_agreed``)
        del grouped
        # the summary actor of each article that names one (``_summary``)
        self._actor_of = {a.pk: a.summary.actor for a in self.articles
                          if a.summary is not None and a.summary.actor and a.summary.actor != "unknown"}
        # by place and day: an act meets only the acts it may be compared with
        self._candidates = Candidates((self.acts[p] for p in self._members), compatible_types,
                                      link_days=1, near_days=NEAR_MISS_DAYS)
        self._misses = Misses(self._candidates.acts, compatible_types, telling,
                              Rule(NEAR_MISS_DAYS, figure_ratio=FIGURE_RATIO, figure_tol=FIGURE_TOL))
        self._scored: dict[int, Scored] = {}   # act pk -> its near misses (``_near_misses``)

    # -- candidates ---------------------------------------------------------------------------

    def _others(self, x: Act, exclude: set[int]) -> tuple[list[tuple[Members | None, Members | None, int | None, bool]],
                                                          list[int], set[int]]:
        """Incidents of other articles that ``_outlets`` may compare with ``x`` as the same
        act (``Candidates.near``), per profile in archive order as (those the link stage
        joined with ``x``, the others, the profile's rank, whether the score's rule found
        it), then linked ones outside those profiles, each alone (rank None); the ranks of
        those profiles; the articles left out. (The near misses found apart are ``_near_misses``'.)"""
        out: list[tuple[Members | None, Members | None, int | None, bool]] = []
        seen = set()
        gone = exclude if x.article_pk in exclude else exclude | {x.article_pk}
        partners = self.partners
        linked_to = partners.any(x.pk)
        # an act of the verifier's own (not a copy scored in its place) splits by link key
        mine = self._remember and self.acts.get(x.pk) is x
        key = self._link_key.get(x.pk) if mine else None
        # only a profile holding a partner of x (or x) splits: the others are all "rest"
        splits = self._partner_profiles(x, key) if linked_to else {}
        near = self._candidates.near(x, [self.acts[p] for p in splits if p is not None])
        partners_of_x = partners.acts_of(x.pk) if splits else frozenset()   # ``Partners.has``
        for rep, rank in zip(near.acts, near.ranks):
            seen.add(rep.pk)
            members = self._members[rep.pk]
            if rep.pk in splits:
                # the acts sharing a link with x (x too, left out below as its article's):
                # those of one profile split alike for every act in the same links
                ours, rest = members.split(key, lambda y: (y.pk != x.pk and y.pk in partners_of_x) or (mine and y.pk == x.pk))
                # (a Members is never empty: None stands for none)
                ours = ours if ours is None else ours.without(gone)
                rest = rest if rest is None else rest.without(gone)
            elif len(arts := members.arts) == 1:   # most profiles: one act (``Members.without``)
                ours, rest = None, None if arts[0] in gone else members
            else:
                ours, rest = None, members.without(gone)
            if ours is not None or rest is not None:
                out.append((ours, rest, rank, rank in near.by_rule))
        # partners outside the profiles met: in a dense archive a link joins many copies,
        # nearly all met already. Where the profiles of x's links show that all are, none is
        # looked for (a copy's links hold as many acts as it has copies); else they are found
        # in C (in the set's order, as before)
        if not linked_to or key is not None and self._all_met(key, x, seen):
            return out, near.ranks, gone
        ordered = partners.ordered(x.pk)
        for pk in compress(ordered, map(operator.not_, map(seen.__contains__, map(self._profile.get, ordered)))):
            y = self.acts.get(pk)
            if y is not None and y.article_pk != x.article_pk and y.article_pk not in exclude:
                out.append((Members.of([y]), None, None, False))
        return out, near.ranks, gone

    def _profiles_of(self, key: tuple[int, ...]) -> Counter:
        """Profile -> how many acts of the links ``key`` it holds."""
        counts = self._key_profiles.get(key)
        if counts is None:
            members = set().union(*(self._link_members[i] for i in key))
            counts = self._key_profiles[key] = Counter(map(self._profile.get, members))
        return counts

    def _partner_profiles(self, x: Act, key: tuple[int, ...] | None) -> dict:
        """The profiles holding x's partners, and x's own if it is the verifier's (for an
        act of the verifier's own with links ``key``: its links' acts' profiles)."""
        if key is not None:
            return self._profiles_of(key)
        profiles = dict.fromkeys(map(self._profile.get, self.partners.ordered(x.pk)))
        if self.acts.get(x.pk) is x:
            profiles[self._profile[x.pk]] = None
        return profiles

    def _all_met(self, key: tuple[int, ...], x: Act, seen: set[int]) -> bool:
        """Whether every partner of ``x`` (the acts of its links ``key`` but itself) that is
        an act has its profile in ``seen``."""
        counts = self._profiles_of(key)
        own = self._profile.get(x.pk)
        return all(p is None or p in seen or (p == own and c == 1) for p, c in counts.items())

    def _outside(self, members: Members | Part, family: frozenset[int]) -> bool:
        """Whether some article of ``members`` is outside the wire family of the article
        scored (whose own acts are gone from them). The articles of a profile outside a
        family are found once per pair of them, which the copies of a story share, and the
        articles gone taken off: a dense archive's copies are not read through per act."""
        key = (members.base.key, family)
        outside = self._outside_of.get(key)
        if outside is None:
            outside = self._outside_of[key] = members.base.artset.difference(family)
        gone = members.gone_arts
        return len(outside) > len(gone) or bool(outside.difference(gone))

    def _linked(self, x: Act, y: Act) -> bool:
        if self.partners.has(x.pk, y.pk):
            return True
        g = date_gap(x, y)
        if g is None or g > 1 or not compatible_types(x.event_type, y.event_type):
            return False
        if x.gov and y.gov:
            return x.gov == y.gov
        return bool(x.place_key) and x.place_key == y.place_key

    # -- one article ----------------------------------------------------------------------------

    def score_article(self, article: StoredArticle, incidents: Sequence[StoredIncident] | None = None,
                      exclude: Iterable[int] = (), links: Sequence[LinkedIncident] | None = None) -> Verification:
        """``links``: link-stage output for incidents not among the verifier's own (a copy's)."""
        if links:
            # other links than the verifier's: splits by link are neither remembered nor read
            saved = self.partners, self.wired
            self._remember = False
            self.partners = saved[0].with_links(links)
            self.wired = dict(saved[1])
            _add_wires(self.wired, links)
            try:
                return self.score_article(article, incidents, exclude)
            finally:
                self.partners, self.wired = saved
                self._remember = True
        # the verifier's own acts, or those of the incidents given (a copy's, say)
        acts = self.by_article.get(article.pk, []) if incidents is None else [act_of(si) for si in incidents]
        exclude = set(exclude)
        exclude.add(article.pk)
        per_incident: list[tuple[Act, list[_Reason]]] = []
        folds: list[tuple[float, Members | Part]] = []   # (confidence, partners) of each act
        for x in acts:
            if x.published is None:
                x.published = _d(article.published)
            reasons = self._internal(x) + self._outlets(x, exclude, folds) + self._reference(x)
            per_incident.append((x, reasons))
        # each act leaves out the same articles (its own is the article's): the weights of
        # the parts' bases less those articles are the parts' own
        same = all(x.article_pk == article.pk for x in acts)
        partner_w, kept, gone = folded_weights(folds, self._weight_sums if same and self._remember else None)
        return _combine(article, per_incident, self._summary(article, partner_w, kept, gone))

    def verify(self, article_ids: Iterable[str] | None = None) -> list[Verification]:
        return list(self.each(article_ids))

    def each(self, article_ids: Iterable[str] | None = None) -> Iterator[Verification]:
        """As ``verify``, one article at a time (a caller saves and lets go as it goes)."""
        wanted = set(article_ids) if article_ids else None
        chosen = (a for a in self.articles if wanted is None or a.article_id in wanted or str(a.pk) in wanted)
        while batch := list(islice(chosen, MISS_BATCH)):
            self._score_misses(batch)
            for a in batch:
                yield self.score_article(a)
        self._scored = {}

    def _score_misses(self, articles: Sequence[StoredArticle]) -> None:
        """The near misses of the acts of ``articles`` scored at once (``_near_misses``)."""
        acts = [x for a in articles for x in self.by_article.get(a.pk, ()) if x.gov and x.d0 is not None]
        self._scored = dict(zip([x.pk for x in acts], self._misses.near_misses(acts)))

    # -- checks ---------------------------------------------------------------------------------

    def _internal(self, x: Act) -> list[_Reason]:
        out: list[_Reason] = []
        if x.d0 is not None and x.published is not None and x.precision in ("day", "range"):
            ahead = (x.d0 - x.published).days
            if ahead >= 1:
                out.append(_Reason("date_after_publication",
                                   f"dated {x.d0} but published {x.published}",
                                   PENALTIES["date_after_publication"] * min(1.0, ahead / 3)))
        for detail in x.inconsistent:
            out.append(_Reason("figures_inconsistent", detail, PENALTIES["figures_inconsistent"]))
        if x.perps:
            if x.event_type == "air_strike" and all(p in NO_AIRCRAFT for p in x.perps):
                out.append(_Reason("implausible_perpetrator",
                                   f"air strike credited to {', '.join(sorted(x.perps))}, who have no aircraft",
                                   PENALTIES["implausible_perpetrator"]))
            elif x.event_type == "suicide_bombing" and all(p in STATE_FORCES for p in x.perps):
                out.append(_Reason("implausible_perpetrator",
                                   f"suicide bombing credited to {', '.join(sorted(x.perps))}",
                                   PENALTIES["implausible_perpetrator"]))
        return out

    @staticmethod
    def _confidence_of(x: Act) -> Callable[[Act, float], float]:
        """How sure an act y reports the same act as x, from place, type and date only (not
        from the figures or perpetrators that are then compared), from a base ``c``: 0.7 where
        the link stage joined them, else 0.3. x's side is read once, for all its entries."""
        specific, place_key, event_type, day = x.place_specific, x.place_key, x.event_type, x.precision == "day"

        def confidence(y: Act, c: float) -> float:
            if specific and y.place_specific and place_key == y.place_key:
                c += 0.35
            if event_type == y.event_type:
                c += 0.15
            if day and y.precision == "day" and date_gap(x, y) == 0:
                c += 0.1
            return min(1.0, c)

        return confidence

    def _outlets(self, x: Act, exclude: set[int], folds: list | None = None) -> list[_Reason]:
        """The comparisons with other outlets; ``folds`` gets (confidence, partners) of each
        linked entry (the article's partner weights, ``fold_weights``)."""
        groups, met, gone = self._others(x, exclude)
        misses = self._near_misses(x)
        if not groups and misses is None:
            return []
        out: list[_Reason] = []
        # linked: (confidence, how many, one of them, all of them) per profile and confidence
        linked: list[tuple[float, int, Act, list[Act]]] = []
        unlinked: list[tuple[Act, int]] = []     # (one of them, the profile's rank)
        own = x.article_pk
        confidence = self._confidence_of(x)
        for ours, rest, rank, by_rule in groups:
            # (ours: the link stage's partners; rest: none is, and those found by the
            # score's own rule are linked by it)
            if ours is not None:
                y = ours.first
                linked.append((confidence(y, 0.7), ours.size, y, ours))
            if rest is not None:
                y = rest.first
                if by_rule or self._linked(x, y):
                    linked.append((confidence(y, 0.3), rest.size, y, rest))
                else:
                    unlinked.append((y, rank))
        if folds is not None:
            folds.extend((c, members) for c, _, _, members in linked)
        sums = self._id_sums if self._remember else None
        same_act = max([entry[0] for entry in linked], default=0.0)
        # figures: against the consensus of the other reports (their tolls' median, weighted by
        # how sure each is the same act), so that one stray figure neither condemns nor saves
        if x.has_toll and (tolled := [entry for entry in linked if entry[2].has_toll]):
            tolls = [(c * n, _mid(y)) for c, n, y, _ in tolled]
            if tolls:
                consensus = _weighted_median(tolls)
                strength = max([entry[0] for entry in tolled])
                dev = log_distance((x.blo, x.bhi), (consensus, consensus))
                if dev > FIGURE_TOL and not any(_same_figure(x.figures, y.figures) for c, _, y, _ in tolled if c >= 0.5):
                    reports = sum([entry[1] for entry in tolled])
                    out.append(_Reason("figure_deviation",
                                       f"{_fig(x)} killed; {reports} other report(s) of the same days and place "
                                       f"say {_range(tolls)} (weighted median {consensus:.0f})",
                                       PENALTIES["figure_deviation_outlet"] * strength
                                       * min(1.0, (dev - FIGURE_TOL) / math.log(2)),
                                       {"against": "outlet", "log_ratio": round(dev, 3), "consensus": round(consensus, 1)}))
        # perpetrator: the weighted share of other reports naming one of the same sides
        if x.sides:
            named = [entry for entry in linked if entry[2].sides]
            if named:
                total = sum([c * n for c, n, _, _ in named])
                share = sum([c * n for c, n, y, _ in named if x.sides & y.sides]) / total
                strength = max([entry[0] for entry in named])
                if share < 0.5:
                    theirs = sorted({p for _, _, y, _ in named for p in y.perps})
                    ids = ids_in([entry[3] for entry in named], sums)[1]
                    out.append(_Reason("perpetrator_mismatch",
                                       f"{', '.join(sorted(x.perps))}; other reports of the same days and place name "
                                       f"{', '.join(theirs)}",
                                       PENALTIES["perpetrator_mismatch_outlet"] * strength * (1 - 2 * share),
                                       {"against": "outlet", "articles": ids}))
        if linked:
            n_ids, first_ids = ids_in([entry[3] for entry in linked], sums)
            # a reprint of the same wire story is not an independent confirmation
            # (the greatest: no entry gives more than its confidence, so the less sure ones
            # are not asked once a surer one gives as much; free: some member of the entry is
            # not a wire copy of x's article)
            family = self.wired.get(own)
            support = 0.0
            for c, _, y, members in sorted(linked, key=operator.itemgetter(0), reverse=True):
                if c <= support:
                    break
                free = family is None or self._outside(members, family)
                support = max(support, c * _detail_agreement(x, y) * (1.0 if free else WIRE_DISCOUNT))
            out.append(_Reason("outlet_agreement",
                               f"also reported by {n_ids} other article(s) on the same days and place",
                               0.0, {"articles": first_ids, "support": round(support, 3)}))
        # near misses: the same act, it seems, on other days or in another governorate; the
        # first best of each kind in archive order (rank) counts
        best_date: tuple[float, Act | None, int] = (0.0, None, -1)
        best_place: tuple[float, Act | None, int] = (0.0, None, -1)
        for y, rank in unlinked:
            if not compatible_types(x.event_type, y.event_type):
                continue
            g = date_gap(x, y)
            if g is None:
                continue
            if 2 <= g <= NEAR_MISS_DAYS and x.gov and x.gov == y.gov:
                s = _identity(x, y, use_place=True) * min(1.0, (g - 1) / 4)
                if s > best_date[0]:
                    best_date = (s, y, rank)
            elif g == 0 and x.gov and y.gov and x.gov != y.gov and x.country == y.country:
                s = _identity(x, y, use_place=False)
                if s > best_place[0]:
                    best_place = (s, y, rank)
        # those that may only be near misses, scored at once; none beats a sure partner
        if misses is not None and same_act < 1.0:
            met = set(met)
            best_date = self._best_miss(best_date, misses.on_days(), same_act, gone, met)
            best_place = self._best_miss(best_place, misses.elsewhere(), same_act, gone, met)
        s, y, _ = best_date
        if y is not None and s > same_act:
            out.append(_Reason("date_mismatch",
                               f"{_when(x)}; {y.article_id} reports what looks like the same act ({_fig(y)} killed "
                               f"in {y.place}) on {_when(y)}",
                               PENALTIES["date_mismatch"] * (s - same_act),
                               {"against": "outlet", "article": y.article_id, "days": date_gap(x, y)}))
        s, y, _ = best_place
        if y is not None and s > same_act:
            out.append(_Reason("place_mismatch",
                               f"{x.place} ({x.admin1}); {y.article_id} reports what looks like the same act "
                               f"({_fig(y)} killed, {y.event_type.replace('_', ' ')}) in {y.place} ({y.admin1}) on {_when(y)}",
                               PENALTIES["place_mismatch"] * (s - same_act),
                               {"against": "outlet", "article": y.article_id}))
        return out

    def _near_misses(self, x: Act) -> Scored | None:
        """x's near misses on other days and in another governorate, scored, best first
        (``Misses.scored``); None when there is none. Those of the verifier's own acts are
        scored a batch of articles at a time (``each``)."""
        found = self._scored.get(x.pk) if self.acts.get(x.pk) is x else None
        if found is None:
            found = self._misses.near_misses([x])[0]
        return found if found else None

    def _best_miss(self, best: tuple[float, Act | None, int], scored: Best, same_act: float,
                   gone: set[int], met: set[int]) -> tuple[float, Act | None, int]:
        """``best`` or the first of ``scored`` (scores and ranks, best first) that beats it
        (a higher score, or the same earlier in archive order) with an act outside the
        articles ``gone``; one no higher than ``same_act`` counts for nothing. The profiles
        ``met`` as the same act were compared as such (a partner's others among them)."""
        for s, rank in zip(*scored):
            if s <= same_act or s < best[0] or s == best[0] and rank > best[2]:
                break
            if rank in met:
                continue
            rest = self._members[self._candidates.acts[rank].pk].without(gone)
            if rest is not None:
                return s, rest.first, rank
        return best

    def _summary(self, article: StoredArticle, partner_w: dict[int, float],
                 kept: dict[int, float] | None = None, gone: frozenset[int] = frozenset()) -> list[_Reason]:
        """The article's summary perpetrator (the FA-KES actor class of its main act) against
        the summaries of the articles whose incidents are linked to its own, weighted by how
        sure the link is. ``kept``, ``gone``: the weights ``partner_w`` are made from
        (``folded_weights``), whose sums are kept."""
        mine = article.summary
        if mine is None or not partner_w or not mine.actor or mine.actor == "unknown":
            return []
        if kept is not None and self._agreed(mine.actor, kept, gone):
            return []
        # a dense archive gives an article thousands of partners: the sums run in C, over
        # the weights in the order met, as a loop over them would add them
        actors = list(map(self._actor_of.get, partner_w))
        weights = list(compress(partner_w.values(), actors))
        if not weights:
            return []
        share = sum(compress(partner_w.values(), map(operator.eq, actors, repeat(mine.actor)))) / sum(weights)
        if share >= 0.5:
            return []
        named = [(w, a) for pk, w in partner_w.items()
                 if (a := self.article_by_pk.get(pk)) is not None and a.summary is not None
                 and a.summary.actor and a.summary.actor != "unknown"]
        return [_Reason("perpetrator_mismatch",
                        f"the article blames {mine.actor}; the other reports of its acts blame "
                        + ", ".join(sorted({a.summary.actor for _, a in named})),
                        PENALTIES["summary_actor"] * max(w for w, _ in named) * (1 - 2 * share),
                        {"against": "outlet", "level": "article",
                         "articles": sorted({a.article_id for _, a in named})[:10]})]

    def _agreed(self, actor: str, kept: dict[int, float], gone: frozenset[int]) -> bool:
        """Whether the partners ``kept`` less ``gone`` that name an actor are none, or put at
        least half their weight on ``actor`` by a margin that no order of adding can cross
        (the sums of ``kept`` by actor are made once; the articles gone taken off): then
        ``_summary`` finds nothing, and its exact sums, in the order met, are not needed."""
        sums = self._actor_sums.get(id(kept))
        if sums is None or sums[0] is not kept:
            by: dict[str, float] = defaultdict(float)
            named = 0
            for pk, w in kept.items():
                a = self._actor_of.get(pk)
                if a is not None:
                    by[a] += w
                    named += 1
            # (kept is held: its id names no other dict while the sums live)
            sums = self._actor_sums[id(kept)] = (kept, named, sum(by.values()), by)
        _, named, total, by = sums
        ours = by.get(actor, 0.0)
        for pk in gone:
            a = self._actor_of.get(pk) if pk in kept else None
            if a is not None:
                named -= 1
                total -= kept[pk]
                if a == actor:
                    ours -= kept[pk]
        return named == 0 or ours >= (0.5 + _MARGIN) * total

    def _reference(self, x: Act) -> list[_Reason]:
        if x.d0 is None or x.country not in ("SY", None) or not x.gov:
            return []
        out: list[_Reason] = []
        ref = self.ref
        days = ref.days(x.d0, x.d1)
        g = x.gov
        # VDC daily totals
        if ref.covers("vdc-daily", days[0], days[-1]):
            total = sum(ref.daily.get((g, d), 0) for d in days)
            span = f"{days[0]}..{days[-1]}"
            if total:
                out.append(_Reason("reference_match", f"VDC records {total} deaths in {x.admin1} on {span}",
                                   0.0, {"source": "vdc-daily", "deaths": total}))
            vdc_side = not x.sides or not (x.sides <= NOT_IN_VDC)
            if x.has_toll and not x.combatants_only and vdc_side:
                ratio = math.log((x.lo + 1) / (total + 1))
                if ratio > REFERENCE_TOL:
                    if total == 0:
                        pen = min(PENALTIES["cap_reference"],
                                  PENALTIES["nothing_reported"] * (math.log(x.lo + 1) - REFERENCE_TOL) * 2)
                        out.append(_Reason("nothing_reported",
                                           f"{_fig(x)} killed in {x.admin1}; VDC records no death there on {span}",
                                           pen, {"source": "vdc-daily"}))
                    else:
                        pen = min(PENALTIES["cap_reference"],
                                  PENALTIES["figure_deviation_reference"] * (ratio - REFERENCE_TOL) * 2)
                        out.append(_Reason("figure_deviation",
                                           f"{_fig(x)} killed in {x.admin1}; VDC records {total} deaths there on {span}",
                                           pen, {"against": "vdc-daily", "log_ratio": round(ratio, 3)}))
        # VDC deaths by cause: chemical attacks
        if x.event_type == "chemical_attack" and x.has_toll and ref.covers("vdc-daily-cause", days[0], days[-1]):
            chem = sum(ref.cause.get(("chemical_attack", d), 0) for d in days)
            if chem == 0:
                out.append(_Reason("nothing_reported",
                                   f"chemical attack killing {_fig(x)}; VDC records no chemical death in Syria on "
                                   f"{days[0]}..{days[-1]}", PENALTIES["chemical_not_recorded"],
                                   {"source": "vdc-daily-cause"}))
            else:
                out.append(_Reason("reference_match", f"VDC records {chem} chemical deaths in Syria on "
                                   f"{days[0]}..{days[-1]}", 0.0,
                                   {"source": "vdc-daily-cause", "deaths": chem}))
        # VDC victims sample
        victims = [r for d in days for r in ref.victims.get((g, d), ())]
        if victims:
            same_kind = [r for r in victims if r.event_type and compatible_types(x.event_type, r.event_type)]
            if same_kind:
                out.append(_Reason("reference_match",
                                   f"{len(same_kind)} VDC victim records of {x.event_type.replace('_', ' ')} "
                                   f"in {x.admin1} on {days[0]}..{days[-1]}", 0.0,
                                   {"source": "vdc", "refs": [r.ref_id for r in same_kind[:20]]}))
                named = [r for r in same_kind if r.actor]
                if x.sides and len(named) >= 5:
                    sides = {side(r.actor) for r in named}
                    if not (x.sides & sides):
                        out.append(_Reason("perpetrator_mismatch",
                                           f"{', '.join(sorted(x.perps))}; VDC victims of those days were killed by "
                                           f"{', '.join(sorted({r.actor for r in named}))}",
                                           PENALTIES["perpetrator_mismatch_reference"],
                                           {"against": "vdc", "refs": [r.ref_id for r in named[:20]]}))
        # event-level sources
        events = {(r.source, r.ref_id): r for d in days for r in ref.events.get((g, d), ())}
        for (src, rid), r in sorted(events.items()):
            if r.event_type and not compatible_types(x.event_type, r.event_type):
                continue
            out.append(_Reason("reference_match", f"{src} {rid}: {r.event_type or 'event'} in {r.place or r.admin1} "
                               f"on {r.date}" + (f", {r.killed_low}-{r.killed_high} killed" if r.killed_high is not None else ""),
                               0.0, {"source": src, "refs": [rid]}))
        counted = [r for r in events.values() if r.killed_high is not None and r.source != "syrian-archive"
                   and (not r.event_type or compatible_types(x.event_type, r.event_type))]
        if counted and x.has_toll and not x.combatants_only:
            hi = max(r.killed_high for r in counted)
            lo = min(r.killed_low if r.killed_low is not None else r.killed_high for r in counted)
            dist = log_distance((x.lo, x.hi), (lo, max(hi, sum(r.killed_high for r in counted))))
            if dist > REFERENCE_TOL:
                out.append(_Reason("figure_deviation",
                                   f"{_fig(x)} killed; {', '.join(sorted({r.source for r in counted}))} record "
                                   f"{lo}-{hi} for those days and place",
                                   min(PENALTIES["cap_reference"],
                                       PENALTIES["figure_deviation_reference"] * (dist - REFERENCE_TOL) * 2),
                                   {"against": "events", "refs": [r.ref_id for r in counted[:10]]}))
        with_actor = [r for r in events.values() if r.actor and r.source in ("airwars", "acled", "ucdp")
                      and (not r.event_type or compatible_types(x.event_type, r.event_type))]
        if x.sides and with_actor:
            sides = {side(a.strip()) for r in with_actor for a in r.actor.split(";")}
            if not (x.sides & sides):
                out.append(_Reason("perpetrator_mismatch",
                                   f"{', '.join(sorted(x.perps))}; reference records name "
                                   f"{', '.join(sorted({r.actor for r in with_actor}))}",
                                   PENALTIES["perpetrator_mismatch_reference"],
                                   {"against": "events", "refs": [r.ref_id for r in with_actor[:10]]}))
        return out


def _profile_key(a: Act) -> tuple:
    """What the score reads of an act it compares another with: acts alike in it are
    compared once (``Verifier._others``)."""
    return (a.event_type, a.d0, a.d1, a.precision, a.country, a.admin1, a.gov, a.place, a.place_key,
            a.place_specific, a.perps, a.sides, a.lo, a.hi, a.blo, a.bhi, a.figures)


def _lean(a: StoredArticle) -> StoredArticle:
    """The article as the score reads it (its keys, day, outlet and summary actor), so that
    an archive's articles take little room."""
    actor = a.summary.actor if a.summary is not None else None
    return StoredArticle(pk=a.pk, article_id=a.article_id, content_hash="", text="", published=_one(a.published),
                         outlet=_one(a.outlet), summary=Summary(actor=_one(actor)) if actor else None)


def _fig(a: Act) -> str:
    if a.hi is None:
        return "no toll"
    return str(a.hi) if a.lo == a.hi else f"{a.lo}-{a.hi}"


def _when(a: Act) -> str:
    if a.d0 is None:
        return "undated"
    if a.precision == "report":
        return f"reported {a.d1}"
    return str(a.d0) if a.d0 == a.d1 else f"{a.d0}..{a.d1}"


def _link_keys(links: Iterable[LinkedIncident]) -> dict[int, tuple[int, ...]]:
    """Act pk -> the ids of the links it is in: two acts with one key have the same
    partners but for themselves (``Members.split`` remembers splits by it)."""
    keys: dict[int, tuple[int, ...]] = {}
    for li in links:
        for m in dict.fromkeys(li.members):
            keys[m] = keys.get(m, ()) + (li.id,)
    return keys


def _add_wires(wired: dict[int, frozenset[int]], links: Iterable[LinkedIncident]) -> None:
    """Each article's wire family (``Verifier.wired``) widened by the wire groups of ``links``."""
    groups: dict[int, list[int]] = defaultdict(list)   # article -> the groups it is in
    listed: list = []
    for li in links:
        for group in li.wire_groups:
            for a in group:
                groups[a].append(len(listed))
            listed.append(group)
    # the copies of a story are in the same groups: their family is made once
    made: dict[tuple, frozenset[int]] = {}
    for a, at in groups.items():
        key = (wired.get(a), *at)
        family = made.get(key)
        if family is None:
            family = made[key] = frozenset(wired.get(a, (a,))).union(*(listed[g] for g in at))
        wired[a] = family


def _combine(article: StoredArticle, per_incident: list[tuple[Act, list[_Reason]]],
             article_reasons: Sequence[_Reason] = ()) -> Verification:
    """score = 1 / (1 + exp(P - CORROBORATION * C)): see the module docstring."""
    total_s = sum(x.salience for x, _ in per_incident) or 1.0
    reasons: list[dict] = []
    penalty = support = 0.0
    for r in article_reasons:
        penalty += r.penalty
        reasons.append({"kind": r.kind, "detail": r.detail, "weight": round(-r.penalty, 4), **r.extra})
    for x, rs in per_incident:
        share = x.salience / total_s
        support += share * max((r.extra.get("support", 0.0) for r in rs), default=0.0)
        for r in rs:
            w = r.penalty * share
            penalty += w
            reasons.append({"kind": r.kind, "detail": r.detail, "weight": round(-w, 4) if w else 0.0,
                            "incident": x.index, **r.extra})
    if not per_incident:
        reasons.append({"kind": "no_incident", "detail": "the article reports no incident to check", "weight": 0.0})
    reasons.sort(key=lambda r: (r["weight"], r.get("incident", -1)))
    score = 1.0 / (1.0 + math.exp(min(700.0, penalty - CORROBORATION * support)))
    return Verification(article_pk=article.pk, article_id=article.article_id, score=round(score, 4),
                        reasons=reasons)


def verify_articles(articles: Sequence[StoredArticle], incidents: Sequence[StoredIncident],
                    reference: Iterable[ReferenceRecord] = (), links: Sequence[LinkedIncident] | None = None,
                    article_ids: Iterable[str] | None = None) -> list[Verification]:
    """Score the articles (all, or those whose article_id or pk is in ``article_ids``)."""
    return Verifier(articles, incidents, reference, links).verify(article_ids)
