"""Reading one clause: where it breaks, which of its dates are a statement's, its places,
who acts in it and who is acted on, and the cues that it is background, a plan or a
pointer back to an act already told."""
from __future__ import annotations

import re

from ..knowledge.names import name_key
from ..records import PRECISION_RANK
from .events import find_triggers
from ..knowledge.actors import choose_perpetrators

CLAUSE_BREAK = re.compile(
    r";|\s+-\s+(?=[A-Z])|,?\s+(?=adding\b)|,?\s+(?=while\b|whereas\b)|,\s+(?=and\s+(?:another|a further|at least|some|more than)\b)"
    r"|\s+(?=(?:Meanwhile|In the meantime|Also|Elsewhere)\b)"
    # "..., as Ukrainian troops pushed Russian forces back": a second act with its own subject
    r"|,\s+(?=as\s+(?:[A-Z][\w-]*\s+){0,2}(?:troops|forces|fighters|militants|rebels|soldiers|jets|warplanes)\b)",
)
SPEECH_BEFORE = re.compile(
    r"(?:said|says|announced|reported|stated|added|told \w+|statement|statements|confirmed|"
    r"claimed|accused|announcing|issued|published|released)\s+(?:late\s+|early\s+)?(?:on\s+)?$", re.IGNORECASE)
# A date that opens a clause whose verb is one of saying, a few words on ("On Monday the
# health ministry said ..."): the words between must name no act (checked by the caller).
SPEECH_AFTER = re.compile(
    r"[\s,]*(?:[\w'\u2019-]+[\s,]+){1,6}?(?:said|says|announced|reported|stated|told|confirmed|"
    r"claimed|accused|blamed|condemned|denied)\b", re.IGNORECASE)
# An aircraft that crashed or was brought down is news, but not an air strike by it.
DOWNED = re.compile(r"\b(?:crash(?:ed|es)?|shot down|downed|brought down|went down)\b", re.IGNORECASE)
# ... and brought down by someone: a fight with the aircraft's side (spec ruling 8)
SHOT_DOWN = re.compile(r"\b(?:shot down|shooting down|shoot down|downed|brought down|bringing down)\b",
                       re.IGNORECASE)
IRREALIS = re.compile(
    r"\b(?:would|could|might|may|will|plans? to|planning to|threat(?:en|ened|ens)|vowed|"
    r"considering|consider|if|whether|warned of|prepar(?:e|ing) to|calls? for|called for|aims? to|"
    r"(?:(?:is|are|am|has been|have been)\s+)(?:trying|attempting|seeking|struggling) to)\b",
    re.IGNORECASE)
# An act named only as what someone answers for, is accused of, denies or reacts to ("denied
# involvement in the attack", "sanctions over the bombing of its soldiers"): the act is told
# elsewhere, or not at all; without a figure the clause reports the reaction, not the act.
# The frame must end a few words before the act's word (its article and modifiers).
REFERENCED = re.compile(
    r"\b(?:responsib(?:le|ility) for|credit for|blam(?:e|ed|es|ing) (?:\w+ ){0,3}?for|"
    r"involvement in|in (?:response|reaction|retaliation) to|in retaliation for|"
    r"(?:condemn|denounc|investigat)\w*(?: into)?|(?:looking|look|looks|probe|probes|probing|inquiry) into|"
    r"(?:sanctions|expelled|expels|expel|retaliated|outrage) (?:\w+ ){0,6}?(?:over|after|for)) "
    r"(?:[\w'\u2019-]+ ){0,4}$", re.IGNORECASE)
# An act named only in an accusation of a habit or a kind ("accused rebels of using toxic
# gas"); "accused rebels of launching the attack" points at an act told (the counter-accusation
# of mentions.py), so not where a determiner names it.
ACCUSED_OF = re.compile(r"\baccus(?:e|es|ed|ing) (?:[\w-]+ ){0,4}?of "
                        r"(?:(?!(?:the|this|that|these|those|its|their|his|her)\b)[\w'\u2019-]+ ){0,3}$",
                        re.IGNORECASE)
# Attacks that are not physical violence.
# words before an act word that make it no violence ("a cyber attack", "celebratory gunfire")
NOT_PHYSICAL = re.compile(r"\b(?:cyber|verbal|rhetorical|personal|celebratory|ceremonial)[- ]?$",
                          re.IGNORECASE)
CONTINUATION = re.compile(r"^\W*(?:another|a further|further|of (?:those|them)|among them|"
                           r"the (?:dead|victims|toll|wounded)|they|it added|he added|adding)\b",
                           re.IGNORECASE)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    for m in CLAUSE_BREAK.finditer(text, start, end):
        if m.start() - pos >= 12:
            spans.append((pos, m.start()))
            pos = m.end()
    if end > pos:
        if spans and end - pos < 12:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def speech_date(text: str, d, clause_start: int | None = None) -> bool:
    """A date that dates a statement ("said on Monday"; "On Monday the ministry said" where
    the date opens the clause), not the act."""
    if SPEECH_BEFORE.search(text[max(0, d.start - 40):d.start]):
        return True
    if clause_start is None or not _OPENING.fullmatch(text, clause_start, d.start):
        return False
    m = SPEECH_AFTER.match(text, d.end)
    return bool(m) and not find_triggers(m.group(0))


_OPENING = re.compile(r"[\W]*(?:(?:also|and|but|meanwhile|later|earlier|then)\W+)*(?:on|late on|early on)?\s*",
                      re.IGNORECASE)


def choose_places(places: list) -> list:
    """The clause's place(s): the finest named, or each of two coordinated places."""
    local = [p for p in places if p.kind != "country"]
    if not local:
        return []
    local.sort(key=lambda p: p.start)
    # "X and Y" (two towns hit in one act) gives one incident each.
    best_rank = min(PRECISION_RANK.get(p.location.precision, 4) for p in local)
    finest = [p for p in local if PRECISION_RANK.get(p.location.precision, 4) == best_rank]
    return _dedupe_places(finest)


def _dedupe_places(places: list) -> list:
    seen, out = set(), []
    for p in places:
        k = name_key(p.location.name)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


_AND_THE_TOWN_OF = re.compile(r"\band\s+(?:the\s+)?(?:nearby\s+|neighbou?ring\s+|adjacent\s+)?"
                              r"(?:town|village|city|neighbou?rhood|district|camp)s?\s+of\s+$", re.IGNORECASE)


_LISTED = re.compile(r"[\s,]*(?:(?:and|or)\s+)?(?:the\s+)?", re.IGNORECASE)


def coordinated(text: str, places: list) -> list:
    """Keep several places only when the text coordinates them ("Tel Abyad ... and ... Suluk")."""
    if len(places) < 2:
        return places
    keep = [places[0]]
    for prev, cur in zip(places, places[1:]):
        between = text[prev.end:cur.start]
        if _AND_THE_TOWN_OF.search(between) and len(between) <= 120:
            keep.append(cur)  # "attacked Tel Abyad, which ..., and the nearby town of Suluk"
            continue
        if re.search(r"\b(?:between|from|to)\b", text[max(0, prev.start - 30):prev.start]):
            break  # "evacuated from A and B", "between A and B": the act is not at each
        if _LISTED.fullmatch(between) or re.search(r"\band\b|\bor\b|/", between) and len(between) <= 40:
            # "A and B"; "the towns of A, B, C and D" (or, where commas were lost, "A B C and D")
            keep.append(cur)
        else:
            break
    return keep


def _in_victim_phrase(text: str, figure, start: int) -> bool:
    """Whether an actor starting at ``start`` is part of a figure's victim phrase ("40 IS
    fighters", "five members of the Houthi militia"), not an agent near it ("killed by
    regime bombs")."""
    if start < figure.start:
        return False
    end = figure.end
    if figure.noun:
        at = text.find(figure.noun, figure.start, figure.end + 40 + len(figure.noun))
        if at >= 0:
            end = max(end, at + len(figure.noun))
    if start <= end:
        return True
    # "five members of the Houthi militia": the actor owns the victims
    return bool(_OF_VICTIMS.fullmatch(text, end, start))


# "members of the Houthi militia", "militants from Syria's al-Qaeda-affiliated Nusra Front":
# the owner may follow a few modifiers, not another phrase ("from ... by", "of ... in")
_OF_VICTIMS = re.compile(r"\s+(?:of|from|belonging to|loyal to)\s+(?:the\s+|a\s+)?"
                         r"(?:(?!(?:by|in|at|on|with|and|or|near|after|during|were|was|who|which|that)\b)"
                         r"[\w'\u2019-]+\s+){0,3}", re.IGNORECASE)


def actor_roles(text: str, clause: tuple[int, int], dictionary, countries, figures: list) -> list:
    """The roles of the clause's actors (article offsets), the dead of its figures made
    victims whatever their phrase says."""
    cs, ce = clause
    roles = dictionary.roles(text[cs:ce], countries)
    for r in roles:
        r.start += cs
        r.end += cs
        if any(_in_victim_phrase(text, f, r.start) for f in figures):
            r.role = "victim"
    return roles


def perpetrators_of(text: str, clause: tuple[int, int], actors: list, dictionary,
                    countries, figures: list, speaker: str | None = None) -> tuple[list[str], list[str]]:
    """The clause's perpetrators (who acts, by the roles of its actors) and its targets.
    A party named only as the clause's speaker is its doer only where the speaker the
    attribution settled on is that party ("regime forces said they struck X"), not another
    body the same bare word names ("the Coalition said" of the Syrian Coalition)."""
    roles = actor_roles(text, clause, dictionary, countries, figures)
    perps = choose_perpetrators(roles)
    spoken = {n for r in roles if r.role == "speaker" for n in r.names}
    if perps and speaker and set(perps) <= spoken and dictionary.canonical(speaker, role="claimant") == speaker and \
            (dictionary.canonical(speaker, countries, role="actor") or speaker) not in perps:
        perps = []
    targets: list[str] = []
    for a in actors:
        if a.canonical not in perps and a.canonical not in targets:
            targets.append(a.canonical)
    return perps, targets


def supporting_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches naming a supporting arm ("backed by Russian air raids"): not the act itself."""
    return [(m.end(), min(end, m.end() + 45)) for m in _SUPPORT_ANY.finditer(text, start, end)]


_SUPPORT_ANY = re.compile(r"\b(?:backed|supported|aided|assisted|covered)\s+(?:up\s+)?by\b|"
                          r"\b(?:with|under)\s+(?:the\s+)?(?:support|cover|help|backing)\s+(?:of|from)\b",
                          re.IGNORECASE)
BACKGROUND = re.compile(
    r"\b(?:over the course of|for (?:months|years|weeks)|months of|years of|since \d{4}|"
    r"in recent (?:weeks|months|years)|(?:in|over) the (?:past|last) (?:few |several )?(?:weeks|months|years)|"
    r"remains? (?:in control|under|one of|the)|continues? to|"
    r"(?:has|have) (?:long |always |repeatedly )?(?:cost|taken in|seen|become|long)|"
    # what a place or a thing serves for ("the areas have been used by rebels to launch rockets")
    r"(?:has|have|had) (?:long )?been used (?:by [\w\s-]{1,40}?)?(?:to|as|for))\b",
    re.IGNORECASE)


def in_quote(pos: int, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    for q in quotes:
        if q[0] <= pos < q[1]:
            return q
    return None
