"""The reconciled-incident index: reconciliation's output kept in the store for the HTTP API.

    from sitrep import incident_index
    incident_index.refresh(store)        # brings it up to date when the store changed: in place, or rebuilt
    before = store.fingerprint()         # a new article: the index extended by it alone
    if store.add(article, record, version) != "added" or \
            not incident_index.add_article(store, store.article_pk(content_hash(article.text)), before):
        incident_index.refresh(store)    # anything else: updated where it changed, or rebuilt
    exact, substring = incident_index.actor_filter("ISIS")
    q = IncidentQuery(place_needles=incident_index.place_needles("Deir Ezzor"),
                      actor_exact=exact, actor_substring=substring)
    total, page = store.query_index(q, limit=50, offset=0)

``build`` reconciles everything (``reconcile_all`` over the stored incidents and links, with
the analysts' corrections applied: ``sitrep.review.reconciled``, as `sitrep incidents` does), and saves one row per reconciled incident with the columns the
filters read, its ``summary`` (the API's list item) and its full ``to_dict()``, plus per-outlet
statistics. The index is versioned by ``Store.fingerprint()`` taken *before* reading, so a
write that lands while it is built leaves it marked stale.

``add_article`` extends a current index by one article just stored (``Store.add`` said
"added"), without reconciling anything else: until the next link, the article's incidents
stand alone, so they are reconciled each alone and numbered as ``reconcile_all`` numbers
lone incidents (by their own key, above every indexed id), and the outlet statistics and facets are brought along. The index it leaves is the
one ``build`` would make of the same store, row for row; where that cannot be vouched for
(the index was stale, another write came between, the article replaced another) it changes
nothing and answers False, and the caller rebuilds. ``add_articles`` does the same for
several new articles, and ``catch_up`` (which ``refresh`` tries before a rebuild) for the
articles another process stored after the index was built: the index's version, the
store's fingerprint when it was built, says up to which article key it reached.

``update`` takes what those cannot: a relink, a replaced article, another process's links.
Reconciled incidents are numbered by their smallest member, so an incident's id does not
move when links change elsewhere, and each indexed row keeps its grouping (members and wire
groups): the rows whose grouping changed, or whose members were written anew, are
reconciled again; the rest are kept as they are, reviewers' corrections applied and all.
Which rows those are it reads from the store's change log (``Store.index_changes``: what a
relink or a replacement touched), so that its cost follows the change, not the store; only
after links saved whole, or for an index older than the log, does it compare every
grouping. The touched outlets' statistics are moved by what their rows gave and give.
``refresh`` tries ``catch_up``, then ``update``, and rebuilds only when neither can vouch
for the result (see ``update`` for when).

Filters keep the semantics of ``reconcile.select`` exactly. The place filter of ``select``
matches the query (stripped, lower-cased) inside a lower-cased place/admin1/country name, or
its spelling key inside a name's spelling key; a two-letter ISO code means that country.
``place_keys`` therefore holds, for each name, the name lower-cased and its spelling key
UPPER-cased, and the country code in full-width capitals; a query gives one needle per test
(``place_needles``) and a row matches when one needle is a substring of its keys. The three
kinds of entry cannot stand in for one another: a lower-cased query holds no A-Z and no
full-width capital, a spelling key holds nothing but A-Z and digits, so a needle can only
meet an entry of another kind on a run of digits, and such a match holds for its own kind
too (spelling keys keep digits as they are).
"""
from __future__ import annotations

import functools
import gc
import logging
from collections import Counter, defaultdict
from typing import Iterable

from .knowledge.actors import ActorDictionary
from .knowledge.names import spelling_key
# reconcile's own helpers, not copies of them: the index must agree with select() and
# killed_figure() exactly, and stays in step when their rules change.
from .reconcile import (Estimate, ReconciledIncident, _country_name, _figure, figures_disagree,
                        reconcile)
from .records import Count
from .review import extend_review, reconciled as reviewed_incidents, status as review_status
from .store import IndexedIncident, LinkedIncident, OutletStats, Store

log = logging.getLogger("sitrep.index")

NEVER = "||"              # a needle no row holds (entries are never empty)
DETAIL_MAX = 50           # disagreements, wire groups and partners kept per outlet


# --- what a row holds -------------------------------------------------------------------------

def summary(r: ReconciledIncident) -> dict:
    """The list item of the API: one reconciled incident in a few fields."""
    loc = r.location
    return {
        "id": r.id, "event_type": r.event_type,
        "date": r.date, "date_end": r.date_end, "date_precision": r.date_precision,
        "place": loc.name, "admin1": loc.admin1, "country": loc.country, "lat": loc.lat, "lon": loc.lon,
        "place_precision": loc.precision,
        "perpetrator": r.perpetrator, "perpetrators": [p.actor for p in r.perpetrators],
        "killed": r.killed_figure(), "killed_low": r.killed_conservative(),
        "injured": _figure(r.injured, Estimate.value),
        "number_of_sources": r.number_of_sources, "n_reports": len(r.article_ids),
        "outlets": r.outlets(), "flags": list(r.flags), "disputed": r.disputed,
        "review_status": review_status(r),
        "corrected": list((r.review or {}).get("corrected") or []),
    }


def _code_token(code: str) -> str | None:
    """A country code in full-width capitals ('SY' -> 'ＳＹ'): no lower-cased text or spelling
    key contains one, so only the code's own needle finds it."""
    code = code.upper()
    if len(code) != 2 or not all("A" <= c <= "Z" for c in code):
        return None
    return "".join(chr(ord(c) - ord("A") + ord("Ａ")) for c in code)


@functools.lru_cache(maxsize=65536)
def _name_entries(name: str) -> tuple[str, ...]:
    key = spelling_key(name)
    return (name.lower(), key.upper()) if key else (name.lower(),)


def place_keys(r: ReconciledIncident) -> list[str]:
    """What ``place_needles`` are matched against: the place, admin1 and country name of the
    incident, each lower-cased and as its spelling key, and its country code."""
    loc = r.location
    country_name = _country_name(loc.country) if loc.country else None
    out: list[str] = []
    for name in (loc.name, loc.admin1, country_name):
        if name:
            out += [e for e in _name_entries(name) if e not in out]
    # Only a code that names a country: a query is taken for a code only then (reconcile.select).
    token = _code_token(loc.country) if loc.country and country_name else None
    if token:
        out.append(token)
    return out


def actors(r: ReconciledIncident) -> list[str]:
    out: list[str] = []
    for p in r.perpetrators:
        if p.actor.lower() not in out:
            out.append(p.actor.lower())
    return out


def grouping(members: Iterable[int], wire_groups: list[list[int]]) -> str:
    """What a reconciled incident is made of, as the index keeps it: its members and the wire
    groups of their articles (the link's). Stored incidents are never changed in place (an
    article replaced gets new ones), so an incident whose grouping and members are as they
    were when indexed reconciles as it did then."""
    # written by hand (what json.dumps gives with separators=(",", ":")): an update makes
    # one for each of every stored group, 100,000 and more
    wires = ",".join(["[" + ",".join(map(str, g)) + "]" for g in wire_groups]) if wire_groups else ""
    return "[[" + ",".join(map(str, sorted(members))) + "],[" + wires + "]]"


def indexed(r: ReconciledIncident, article_of: dict[int, int], member_outlets: list[str] | None = None,
            grouping_: str = "") -> IndexedIncident:
    """The index row of a reconciled incident; ``article_of``: incident pk -> article pk;
    ``member_outlets``: the outlets of its members' articles (for the outlet statistics);
    ``grouping_``: its ``grouping`` ("" when not made from one link)."""
    s = summary(r)
    loc = r.location
    return IndexedIncident(
        id=r.id, event_type=r.event_type, date=r.date, date_end=r.date_end,
        date_precision=r.date_precision, place=loc.name, admin1=loc.admin1, country=loc.country,
        lat=loc.lat, lon=loc.lon, perpetrator=r.perpetrator, actors=actors(r),
        place_keys=place_keys(r), killed=s["killed"], injured=s["injured"],
        number_of_sources=r.number_of_sources, n_reports=s["n_reports"], disputed=r.disputed,
        flags=list(r.flags), summary=s, payload=r.to_dict(),
        members=[(article_of[pk], pk) for pk in r.members if pk in article_of],
        sub_event_type=r.sub_event_type, review_status=s["review_status"], grouping=grouping_,
        outlets=contributions(r, member_outlets or []))


# --- user text to filters ---------------------------------------------------------------------

def place_needles(text: str) -> tuple[str, ...]:
    """IncidentQuery.place_needles for a place as `sitrep incidents --place` takes it: the
    place, admin1 or country in any transliteration, or an ISO country code."""
    q = text.strip()
    if len(q) == 2 and q.isalpha() and _country_name(q.upper()):
        token = _code_token(q)
        return (f"|{token}|",) if token else (NEVER,)
    needles: list[str] = []
    low = q.lower()
    if "|" not in low:  # no name holds a '|'; such a needle could only match across two entries
        needles.append(low if low else "|")  # "": any row with a name at all
    key = spelling_key(q)
    if key:
        needles.append(key.upper())
    return tuple(needles) or (NEVER,)


def actor_filter(text: str) -> tuple[str | None, str | None]:
    """(IncidentQuery.actor_exact, actor_substring) for a perpetrator as `sitrep incidents
    --actor` takes it: an alias the actor dictionary knows means that actor (or the text
    itself as a name: the two are '|'-separated alternatives of actor_exact); other text
    matches part of a name."""
    q = text.strip().lower()
    try:
        canonical = ActorDictionary.load().canonical(text, role="actor")
    except Exception:  # pragma: no cover - the dictionary is bundled
        canonical = None
    if canonical is not None:
        alternatives = [canonical.lower()]
        if q != alternatives[0] and "|" not in q:
            alternatives.append(q)
        return "|".join(alternatives), None
    if "|" in q:
        return None, NEVER
    return None, q if q else "|"  # "": any incident with a perpetrator (all of them)


# --- per outlet -------------------------------------------------------------------------------

FEW_FIGURES = 10  # an outlet's agreement from fewer figures than this is shown as tentative


def agreement(agreeing: int, figures: int) -> dict:
    """An outlet's agreement and how far to trust it: the share of its figures that agree,
    the 95% Wilson interval around it (scipy's: it stays inside [0, 1] and is honest about
    1 of 1), and whether it rests on fewer than FEW_FIGURES figures. None for each when
    there is no figure."""
    if not figures:
        return {"agreement": None, "agreement_low": None, "agreement_high": None, "few_figures": True}
    from scipy.stats import binomtest

    ci = binomtest(agreeing, figures).proportion_ci(confidence_level=0.95, method="wilson")
    return {"agreement": agreeing / figures, "agreement_low": float(ci.low), "agreement_high": float(ci.high),
            "few_figures": figures < FEW_FIGURES}

def _claim_killed(counts: dict[str, Count]) -> int | None:
    """A claim's killed figure by the rule of ReconciledIncident.killed_figure."""
    return _figure(counts, Count.value)


def contributions(r: ReconciledIncident, member_outlets: Iterable[str]) -> list[tuple[str, bool, int, int, bool]]:
    """What one reconciled incident gives each outlet's statistics (``outlet_stats``):
    (outlet, whether it is among ``member_outlets``, its figures compared, how many agree,
    whether one disagrees), for each member outlet and each outlet with a figure compared."""
    figures: Counter = Counter()
    agreeing: Counter = Counter()
    disagrees: set[str] = set()
    reconciled_figure = r.killed_figure()
    if r.number_of_sources >= 2 and reconciled_figure is not None:
        for c in r.claims:
            if not c.outlet or c.superseded or c.denial:
                continue
            value = _claim_killed(c.killed)
            if value is None:
                continue
            figures[c.outlet] += 1
            if figures_disagree(value, reconciled_figure):
                disagrees.add(c.outlet)
            else:
                agreeing[c.outlet] += 1
    members = set(member_outlets)
    return [(o, o in members, figures[o], agreeing[o], o in disagrees) for o in sorted(members | set(figures))]


def wire_copies(links: Iterable[LinkedIncident], labels: dict[int, tuple[str, str | None]]
                ) -> tuple[dict[str, set[int]], dict[str, list[list[str]]]]:
    """Per outlet: its articles in a wire group with another article, and the first
    ``DETAIL_MAX`` such groups (article ids) in link order; ``labels`` holds at least the
    wire groups' articles."""
    wire_pks: dict[str, set[int]] = defaultdict(set)
    wire_groups: dict[str, list[list[str]]] = defaultdict(list)
    seen: set[frozenset[int]] = set()
    for link in links:
        for group in link.wire_groups:
            members = [pk for pk in group if pk in labels]
            if len(members) < 2 or frozenset(members) in seen:
                continue
            seen.add(frozenset(members))
            ids = [labels[pk][0] for pk in members]
            for o in {labels[pk][1] for pk in members if labels[pk][1]}:
                wire_pks[o].update(pk for pk in members if labels[pk][1] == o)
                if len(wire_groups[o]) < DETAIL_MAX:
                    wire_groups[o].append(ids)
    return wire_pks, wire_groups


def _member_outlets(r: ReconciledIncident, labels: dict[int, tuple[str, str | None]],
                    article_of: dict[int, int]) -> list[str]:
    return sorted({labels[article_of[pk]][1] for pk in r.members
                   if pk in article_of and labels.get(article_of[pk], (None, None))[1]})


def _ranked_partners(partners: dict[str, int]) -> dict[str, int]:
    return dict(sorted(partners.items(), key=lambda kv: (-kv[1], kv[0]))[:DETAIL_MAX])


def outlet_stats(reconciled: Iterable[ReconciledIncident], links: Iterable[LinkedIncident],
                 labels: dict[int, tuple[str, str | None]], article_of: dict[int, int]) -> list[OutletStats]:
    """How each outlet's reports compare with the reconciled incidents.

    ``figures``/``agreeing``: each current killed figure (the claim not superseded, not a
    denial) that an outlet's article gives for an incident that two or more independent
    sources report, compared with the incident's reconciled figure: it agrees unless
    ``reconcile.figures_disagree`` (with a single source the reconciled figure is its own).
    ``partners``: the other outlets reporting the same incidents, with how many.
    ``wire_copies``: its articles in a wire group. ``labels``: article pk -> (article_id,
    outlet); ``article_of``: incident pk -> article pk. Articles without an outlet are left out.
    ``Store.outlet_figures`` sums the same from the index's ``contributions``.
    """
    tally = OutletTally(labels, article_of)
    for r in reconciled:
        tally.add(r)
    return tally.result(links)


class OutletTally:
    """``outlet_stats`` one reconciled incident at a time (in id order), so that a build need
    not hold them all."""

    def __init__(self, labels: dict[int, tuple[str, str | None]], article_of: dict[int, int]) -> None:
        self.labels, self.article_of = labels, article_of
        self.figures: Counter = Counter()
        self.agreeing: Counter = Counter()
        self.disagreements: dict[str, list[int]] = defaultdict(list)
        self.partners: dict[str, Counter] = defaultdict(Counter)

    def add(self, r: ReconciledIncident, outlets: list[str] | None = None) -> None:
        """``outlets``: its member outlets, where the caller has them already."""
        if outlets is None:
            outlets = _member_outlets(r, self.labels, self.article_of)
        for o in outlets:
            for other in outlets:
                if other != o:
                    self.partners[o][other] += 1
        for o, _, n, agree, disagrees in contributions(r, outlets):
            self.figures[o] += n
            self.agreeing[o] += agree
            if disagrees and r.id not in self.disagreements[o] and len(self.disagreements[o]) < DETAIL_MAX:
                self.disagreements[o].append(r.id)

    def result(self, links: Iterable[LinkedIncident]) -> list[OutletStats]:
        labels = self.labels
        articles = Counter(outlet for _, outlet in labels.values() if outlet)
        wire_pks, wire_groups = wire_copies(links, labels)
        out = [OutletStats(
            outlet=o, articles=articles[o], figures=self.figures[o], agreeing=self.agreeing[o],
            wire_copies=len(wire_pks[o]),
            detail={"partners": _ranked_partners(self.partners[o]),
                    "disagreements": self.disagreements[o], "wire": wire_groups[o]})
            for o in articles]
        out.sort(key=lambda s: (-s.articles, s.outlet))
        return out


# --- building ---------------------------------------------------------------------------------

BUILD_CHUNK = 5000   # reconciled incidents made at a time by a build or an update


def build(store: Store) -> int:
    """Reconcile everything in the store and save it as the index; returns how many
    reconciled incidents it holds. Without corrections, a chunk of incidents at a time
    (``_streamed``): only the index's own rows are held, not every incident and its
    reconciliation."""
    version = store.fingerprint()  # before reading: a write meanwhile leaves the index stale
    if not store.has_corrections():
        return _streamed(store, version)
    incidents = store.incidents()
    links = store.links()
    labels = store.article_labels()
    reconciled = reviewed_incidents(store, links, incidents).incidents  # analysts' corrections applied
    article_of = {si.pk: si.article_pk for si in incidents}
    del incidents  # the reconciled records hold all the index needs; free the rest early
    outlets = outlet_stats(reconciled, links, labels, article_of)
    # reconcile_all numbers a link by its smallest member: that finds each row's link again
    # (a row a merge or split made has none, and no grouping: an update never keeps it)
    link_of = {min(link.members): link for link in links if link.members}

    def grouping_of(r: ReconciledIncident) -> str:
        link = link_of.get(r.id)
        if link is None:
            return grouping(r.members, []) if r.members == [r.id] else ""
        return grouping(link.members, link.wire_groups) if sorted(link.members) == sorted(r.members) else ""

    store.save_index((indexed(r, article_of, _member_outlets(r, labels, article_of), grouping_of(r))
                      for r in reconciled), outlets, version)
    return len(reconciled)


def _groups(store: Store, links: list[LinkedIncident]) -> list[LinkedIncident]:
    """What ``reconcile_all`` reconciles, in id order: each link (numbered by its smallest
    member) and each stored incident no link holds, alone."""
    held: set[int] = set()
    groups = []
    for link in links:
        if link.members:
            groups.append(LinkedIncident(id=min(link.members), members=link.members, wire_groups=link.wire_groups))
            held.update(link.members)
    groups += [LinkedIncident(id=pk, members=[pk]) for pk in store.incident_pks() if pk not in held]
    groups.sort(key=lambda g: g.id)
    return groups


def _streamed(store: Store, version: str) -> int:
    """``build`` without corrections: reconcile_all a chunk of groups at a time, in id order,
    the outlet statistics tallied on the way."""
    links = store.links()
    labels = store.article_labels()
    groups = _groups(store, links)
    tally = OutletTally(labels, {})
    made = [0]

    def rows():
        for start in range(0, len(groups), BUILD_CHUNK):
            chunk = groups[start:start + BUILD_CHUNK]
            by_pk = {si.pk: si for si in store.stored_incidents(pk for g in chunk for pk in g.members)}
            article_of = {pk: si.article_pk for pk, si in by_pk.items()}
            tally.article_of = article_of
            out = []
            for g in chunk:
                present = [pk for pk in g.members if pk in by_pk]
                if not present:
                    continue
                r = reconcile(LinkedIncident(id=min(present), members=g.members, wire_groups=g.wire_groups), by_pk)
                outlets = _member_outlets(r, labels, article_of)
                # as build's grouping_of: a link whose members are all stored keeps its grouping
                whole = r.id == g.id and sorted(r.members) == sorted(g.members)
                out.append(indexed(r, article_of, outlets, grouping(g.members, g.wire_groups) if whole else ""))
                tally.add(r, outlets)
            made[0] += len(out)
            del by_pk
            yield from out

    store.save_index(rows(), lambda: tally.result(links), version)
    return made[0]


def add_article(store: Store, article_pk: int, fingerprint_before: str) -> bool:
    """Extend the index by the article ``article_pk``, which ``Store.add`` has just stored as
    new ("added"); ``fingerprint_before``: ``store.fingerprint()`` taken before that ``add``.
    As ``add_articles`` with that one article."""
    return add_articles(store, [article_pk], fingerprint_before)


def add_articles(store: Store, article_pks: list[int], fingerprint_before: str) -> bool:
    """Extend the index by the articles ``article_pks``, stored as new after the index was
    built from ``fingerprint_before`` (by this process or another).

    Applies only when the index was current then (its version is ``fingerprint_before``) and
    the store holds nothing since but these articles; the index is then left as ``build``
    would leave it (their incidents, each alone, with their ids, rows, members; their
    outlets' statistics; the facets) and its version is the store's fingerprint, all in one
    transaction. Returns whether it applied; when not, the index is unchanged (and stale):
    call ``refresh``."""
    with store.index_transaction():
        ext = store.index_extension(article_pks, fingerprint_before)
        if ext is None:
            return False
        articles = {pk: store.article(pk) for pk in ext.article_pks}
        by_pk = {si.pk: si for si in store.stored_incidents(ext.incident_pks)}
        if any(a is None for a in articles.values()) or sorted(by_pk) != ext.incident_pks:
            return False
        # Merges and splits renumber incidents, and a correction may name a new article's
        # (imported from another database): only a rebuild applies those.
        if any(store.corrections_regroup_or_name(a.content_hash) for a in articles.values()):
            return False
        # As reconcile_all reconciles a stored incident that no link holds: alone, its id its
        # key (above every indexed id: the keys are above every other incident's).
        reconciled = [reconcile(LinkedIncident(id=pk, members=[pk]), by_pk) for pk in ext.incident_pks]
        article_of = {pk: si.article_pk for pk, si in by_pk.items()}
        labels = {pk: (a.article_id, a.outlet) for pk, a in articles.items()}
        outlets = []
        for new in outlet_stats(reconciled, [], labels, article_of):
            merged = _merge_outlet(store.outlet(new.outlet), new)
            if merged is None:
                return False
            outlets.append(merged)
        store.append_index([indexed(r, article_of, _member_outlets(r, labels, article_of), grouping(r.members, []))
                            for r in reconciled], outlets, ext.version)
    return True


def catch_up(store: Store) -> bool:
    """Bring a stale index up to date without a rebuild when all that changed since it was
    built is new articles (stored by this process or another, as `sitrep ingest` does):
    ``add_articles`` with the articles above the index's version. Whether it applied."""
    version = store.index_version()
    new = store.articles_after_index()
    if version is None or not new or version == store.fingerprint():
        return False
    return add_articles(store, new, version)


def add_review(store: Store, incident_id: int, correction, fingerprint_before: str) -> bool:
    """Bring a current index up to date after a confirmation or a note (``correction``, just
    stored by ``store.add_corrections``) on the indexed incident ``incident_id``, without a
    rebuild: they change nothing but the incident's review (its status and history).

    Applies only when the index was current before the correction (its version is
    ``fingerprint_before``) and the store holds nothing new since but that correction; the
    index is then left as ``build`` would leave it, in one transaction. Returns whether it
    applied; when not, the index is unchanged (and stale): call ``refresh``."""
    if correction.action not in ("review", "note") or correction.seq is None:
        return False
    with store.index_transaction():
        version = store.only_corrections_since(fingerprint_before, correction.seq)
        found = store.index_incident(incident_id) if version is not None else None
        if found is None:
            return False
        summary_, payload = found
        keys = store.incident_keys(payload.get("members") or [])
        if sorted(keys.values()) != sorted(correction.target):
            return False   # it names this incident's members exactly, else apply() decides
        payload["review"] = extend_review(payload.get("review"), correction)
        summary_["review_status"] = payload["review"]["status"]
        store.update_index_review(incident_id, summary_, payload, summary_["review_status"], version)
    return True


def _merge_outlet(old: OutletStats | None, new: OutletStats) -> OutletStats | None:
    """An outlet's statistics with those of one new article's lone incidents (``new``, from
    ``outlet_stats``) added, as ``outlet_stats`` over everything gives them: the new
    incidents have the highest ids, so their disagreements come last. None if ``new``
    holds what lone incidents cannot (partners, wire copies)."""
    if new.wire_copies or new.detail["partners"] or new.detail["wire"]:
        return None
    if old is None:
        return new
    disagreements = list(old.detail.get("disagreements") or [])
    for i in new.detail["disagreements"]:
        if i not in disagreements and len(disagreements) < DETAIL_MAX:
            disagreements.append(i)
    return OutletStats(outlet=old.outlet, articles=old.articles + new.articles, figures=old.figures + new.figures,
                       agreeing=old.agreeing + new.agreeing, wire_copies=old.wire_copies,
                       detail={**old.detail, "disagreements": disagreements})


def update(store: Store) -> bool:
    """Bring a stale index up to date where the store changed, without a rebuild: after a
    relink, a replaced article or new articles (this process's or another's).

    Each reconciled incident is numbered by its smallest member (``reconcile_all``) and the
    index keeps its grouping (members and wire groups), so an indexed incident whose
    grouping the store still makes, of members all indexed, reconciles as it did and is
    kept; the others are reconciled and written, the indexed ones that are gone deleted, and
    the facets and the statistics of the outlets they touch counted again. The result is
    the index ``build`` makes of the same store. Which incidents changed is read from the
    store's change log where it covers everything since the index (``_regrouped``: a relink
    or a replaced article costs what it touched); else, after links saved whole or with an
    index older than the log, every group is compared (``_compared``).

    It does not apply (False, the index unchanged: ``refresh`` rebuilds it) where it cannot
    be sure of that: no index built yet; corrections stored since it was built, or any merge
    or split (they renumber incidents); or a correction that names an article of an incident
    that changes (it may move to another incident)."""
    # The garbage collector is paused meanwhile: a comparison reads every link and grouping,
    # some hundred thousand small objects that all live until it returns, and full
    # collections (which walk every object of the process, a server's caches included)
    # would cost more than the update itself.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _update(store)
    finally:
        if paused:
            gc.enable()


def _update(store: Store) -> bool:
    """``update``, the collector paused."""
    with store.index_transaction():
        version = store.index_version()
        if not store.has_index():
            return False
        now = store.fingerprint()   # read first: a write after it leaves the index stale, not wrong
        if now.rpartition("; corrections ")[2] != version.rpartition("; corrections ")[2] \
                or store.has_regrouping_corrections():
            return False
        logged = store.index_changes_since(version, now)
        groups, gone = _compared(store) if logged is None else _regrouped(store, *logged)
        changed = sorted(groups)
        if store.has_corrections():
            touched = store.articles_of_incidents(pk for gid in changed for pk in groups[gid].members) \
                | store.index_articles_of(gone)
            if any(store.corrections_regroup_or_name(h) for h in store.article_hashes(touched)):
                return False
        before = store.index_contributions(gone)
        outlets_touched = {c[0] for given in before.values() for c in given}
        moved = OutletMoves()
        moved.add(before.values(), -1)
        # a chunk at a time: a relink that changes most links holds one chunk's incidents
        for start in range(0, max(len(changed), 1), BUILD_CHUNK):
            chunk = changed[start:start + BUILD_CHUNK]
            by_pk = {si.pk: si for si in store.stored_incidents(pk for gid in chunk for pk in groups[gid].members)}
            article_of = {pk: si.article_pk for pk, si in by_pk.items()}
            labels = {si.article_pk: (si.article_id, si.outlet) for si in by_pk.values()}
            rows = []
            for gid in chunk:
                g = groups[gid]
                r = reconcile(LinkedIncident(id=gid, members=g.members, wire_groups=g.wire_groups), by_pk)
                rows.append(indexed(r, article_of, _member_outlets(r, labels, article_of),
                                    grouping(g.members, g.wire_groups)))
            outlets_touched |= {o[0] for row in rows for o in row.outlets}
            moved.add((row.outlets for row in rows), 1)
            store.replace_index_rows(gone if start == 0 else [], rows)
            del by_pk, rows
        _update_outlets(store, outlets_touched, moved)
        store.set_index_version(now)
    return True


def _regrouped(store: Store, incidents: set[int], indexed_ids: set[int]) -> tuple[dict[int, LinkedIncident], list[int]]:
    """What ``_compared`` finds, from what the store's change log names since the index
    (``incidents`` whose grouping may have changed, ``indexed_ids`` that may be gone) instead
    of every link and grouping: the indexed incidents that hold or are numbered by those
    incidents go, and the incidents the store now makes of their members are written.

    Followed to closure: the members of a row that goes are grouped again, and so are the
    other members of the links that hold them (and the rows that hold those), so that every
    incident of a group written had its old row taken out. Every other row is kept: its
    link was neither dropped nor written and none of its members was replaced, so it
    reconciles as it did."""
    gone: set[int] = set(indexed_ids)
    seen: set[int] = set()
    pending = set(incidents) | store.index_members(gone)
    links: dict[int, LinkedIncident] = {}
    while pending:
        seen |= pending
        rows = store.index_rows_of(pending) - gone
        gone |= rows
        more = store.index_members(rows)
        for link in store.links_holding(pending, short=False):
            if link.members:
                links[min(link.members)] = link
                more.update(link.members)
        pending = more - seen
    groups: dict[int, LinkedIncident] = dict(links)
    held = {pk for link in links.values() for pk in link.members}
    for pk in store.incident_keys(seen):   # those still stored
        if pk not in held:
            groups[pk] = LinkedIncident(id=pk, members=[pk])
    return groups, sorted(gone)


def _compared(store: Store) -> tuple[dict[int, LinkedIncident], list[int]]:
    """The groups (by id) to reconcile and write, and the indexed ids to delete, found by
    comparing every group the store makes now (the links, and each stored incident no link
    holds) with the groupings the index keeps: one whose grouping is indexed under its id,
    and whose members are all indexed (stored incidents are never changed in place: a
    replaced article's are new, or given their old keys back, which leaves them out of the
    index's members), reconciles as it did and is kept."""
    groups: dict[int, LinkedIncident] = {}
    held: set[int] = set()
    for link in store.links():
        if link.members:
            groups[min(link.members)] = link
            held.update(link.members)
    # every stored incident no link holds stands alone (no LinkedIncident made for the
    # many that stay as they were: this loop runs over the whole store)
    lone = [pk for pk in store.incident_pks() if pk not in held]
    old = store.index_groupings()
    unindexed = store.unindexed_incidents()
    changed = {gid: g for gid, g in groups.items()
               if not unindexed.isdisjoint(g.members) or old.get(gid) != grouping(g.members, g.wire_groups)}
    for pk in lone:
        if pk in unindexed or old.get(pk) != f"[[{pk}],[]]":
            changed[pk] = LinkedIncident(id=pk, members=[pk])
    alive = set(groups).union(lone)   # the ids the store makes now: links', lone incidents'
    gone = [gid for gid in old if gid not in alive or gid in changed]
    return changed, gone


class OutletMoves:
    """How the outlets' sums move when indexed incidents go and others come: figures,
    agreeing and partners are sums over the incidents (``contributions``), so an outlet's
    new statistics are its stored ones moved by what the incidents that went and came gave."""

    def __init__(self) -> None:
        self.figures: Counter = Counter()
        self.agreeing: Counter = Counter()
        self.partners: dict[str, Counter] = defaultdict(Counter)

    def add(self, given: Iterable[list[tuple]], sign: int) -> None:
        """``given``: per incident, its ``contributions``; ``sign``: -1 gone, 1 come."""
        for contributions_ in given:
            members = [c[0] for c in contributions_ if c[1]]
            for o, _, figures, agreeing, _ in contributions_:
                self.figures[o] += sign * figures
                self.agreeing[o] += sign * agreeing
            for o in members:
                for other in members:
                    if other != o:
                        self.partners[o][other] += sign

    def moved(self, old: OutletStats) -> tuple[int, int, dict[str, int]] | None:
        """``old``'s figures, agreeing and partners moved; None where its stored partners
        were cut to the first DETAIL_MAX (those left out cannot be moved)."""
        partners = old.detail.get("partners") or {}
        if len(partners) >= DETAIL_MAX:
            return None
        now = Counter(partners)
        now.update(self.partners.get(old.outlet, {}))
        return (old.figures + self.figures[old.outlet], old.agreeing + self.agreeing[old.outlet],
                {o: n for o, n in now.items() if n > 0})


def _update_outlets(store: Store, touched: set[str], moves: OutletMoves) -> None:
    """Inside ``index_transaction``, after the index's rows changed: the statistics of the
    outlets ``touched`` by the rows that changed (their wire copies too: a wire group lies
    within one link's members, so it changes only with the rows that hold its articles),
    and of those whose article count changed: their stored sums moved (``moves``), or where
    they cannot be, summed again from the index (``Store.outlet_figures``); those of outlets
    left without an article deleted."""
    counts = store.outlet_article_counts()
    stored = {o.outlet: o for o in store.outlet_stats()}
    redo = sorted(o for o, n in counts.items() if o in touched or o not in stored or stored[o].articles != n)
    wires = store.wire_groups_of_outlets(redo)
    wire_pks, wire_groups = wire_copies(wires, store.article_labels(
        {pk for link in wires for group in link.wire_groups for pk in group}))
    out = []
    for o in redo:
        moved = moves.moved(stored[o]) if o in stored else None
        if moved is None:
            figures, agreeing, disagreements, partners = store.outlet_figures(o, DETAIL_MAX)
        else:
            (figures, agreeing, partners), disagreements = moved, store.outlet_disagreements(o, DETAIL_MAX)
        out.append(OutletStats(outlet=o, articles=counts[o], figures=figures, agreeing=agreeing,
                               wire_copies=len(wire_pks.get(o, ())),
                               detail={"partners": _ranked_partners(partners), "disagreements": disagreements,
                                       "wire": list(wire_groups.get(o, []))}))
    store.save_outlets(out, [o for o in stored if o not in counts])


def refresh(store: Store, force: bool = False) -> bool:
    """Bring the index up to date unless it is current (its version is the store's
    fingerprint); whether it changed. New articles only extend it (``catch_up``); a relink
    or a replaced article updates it where it changed (``update``); anything those cannot
    vouch for, or ``force``, rebuilds it."""
    if not force:
        if store.index_version() == store.fingerprint():
            return False
        for step in (catch_up, update):
            try:
                if step(store):
                    return True
            except Exception:  # the rebuild below brings the index up to date all the same
                log.exception("updating the incident index (%s) failed; rebuilding it", step.__name__)
    build(store)
    return True


__all__ = ["agreement", "FEW_FIGURES", "summary", "build", "add_article", "add_articles", "catch_up", "update", "grouping", "contributions", "wire_copies", "add_review", "refresh", "place_needles", "actor_filter", "place_keys",
           "outlet_stats", "indexed", "NEVER"]
