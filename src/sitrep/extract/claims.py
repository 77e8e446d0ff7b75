"""Attribution: who asserts what a clause reports, and whether they deny it.

A clause's claimant is, in order: the source named with "according to"; a known claimant
(from the actor dictionary) or a source noun phrase ("residents", "an activist",
"military sources") next to a verb of saying; a pronoun or a generic subject ("it said",
"the group added", "he told AFP") standing for the last named claimant; the speaker of a
quotation that the clause sits inside; else the article's own voice, "reporter".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

REPORTER = "reporter"

_SAY = (r"(?:said|says|say|saying|told|tells|reported|reports|reporting|announced|announces|"
        r"added|adding|adds|stated|states|claimed|claims|confirmed|confirms|documented|"
        r"quoted|cited|accused|accuses|denied|denies|insisted|warned|estimated|put the toll|"
        r"gave a toll|giving a toll|counted|recorded|noted|explained|declared|"
        r"announcing|stating|confirming|accusing|denying|reiterat\w+)")
_SAY_RE = re.compile(rf"\b{_SAY}\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+(?:a\s+|an\s+|the\s+)?(?P<src>[^.;:,\"]{2,80})", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(
    r"\b(?:it|he|she|they|the (?:group|monitor|source|sources|statement|ministry|agency|"
    r"official|spokesman|spokeswoman|organisation|organization|observatory|report))\s+"
    rf"(?:also\s+|later\s+|further\s+)?{_SAY}\b|"
    r"\bit added\b|\badding\b|\bthe statement\b|\baccording to the (?:statement|report)\b",
    re.IGNORECASE)
# Heads of noun phrases that name a source the dictionary does not know.
_SOURCE_NOUNS = (r"(?:residents?|activists?|witness(?:es)?|sources?|officials?|official|spokesm[ae]n|"
                 r"officers?|members?|commanders|soldiers?|volunteers?|nurses?|journalists?|diplomats?|"
                 r"elders?|leaders?|locals|neighbou?rs|shopkeepers?|farmers?|teachers?|"
                 r"spokeswom[ae]n|spokesperson|media|websites?|coordinators?|doctors?|medics?|"
                 r"paramedics?|police|governor|commander|mayor|rescuers?|rescue workers?|workers?|"
                 r"worker|monitors?|network|agency|ministry|directorate|committee|council|hospital|"
                 r"army|military|statement|television|TV|channel|network|group|observers?|"
                 r"opposition|rebels|insurgents|militants|villagers|survivors?|relatives)")
_SOURCE_NP = re.compile(
    rf"(?P<np>(?:\b(?:a|an|the|one|two|several|some|local|other)\s+)?(?:[A-Za-z][\w'-]*\s+){{0,3}}{_SOURCE_NOUNS})"
    rf"(?:\s+[A-Z][\w'-]+){{0,3}}"  # the source's own name after its title: "governor Talal al-Barazi"
    rf"\s+(?:also\s+|later\s+|had\s+|have\s+|has\s+|were\s+|was\s+){{0,2}}(?:{_SAY})\b",
    re.IGNORECASE)
_SOURCE_AT = re.compile(r"\b(?:a|an|one)\s+(?:\w+\s+)?(?:source|official|spokesman|spokeswoman)\s+(?:at|in|from|with)\s+"
                        r"(?:the\s+)?(?P<org>(?:[A-Z][\w'-]*\s?){1,5})")
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected (?:the |any )?(?:claims?|accusations?|reports?)|"
    r"dismissed (?:the )?(?:claims?|reports?)|did not carry out|was not involved|were not involved|"
    r"had nothing to do with|no (?:Russian|Syrian|coalition|Israeli|US) (?:jets|aircraft|planes) (?:had|were))\b",
    re.IGNORECASE)
_NOT_DENIAL = re.compile(r"\b(?:did not|didn't|would not|not) deny\b", re.IGNORECASE)
_LEADING_DET = re.compile(r"^(?:a|an|the|one|some|local|other)\s+", re.IGNORECASE)


@dataclass
class Attribution:
    claimed_by: str
    denial: bool = False


def is_denial(text: str) -> bool:
    return bool(_DENIAL.search(text)) and not _NOT_DENIAL.search(text)


def attribute(clause: str, claimants: list, last_claimant: str | None,
              canonical) -> Attribution | None:
    """The claimant a clause names, or None when it names none.

    ``claimants`` are the dictionary's claimant mentions inside the clause (offsets relative
    to the clause); ``canonical`` maps a free-text source name to a canonical claimant or None.
    """
    denial = is_denial(clause)
    m = _ACCORDING.search(clause)
    if m:
        src_start = m.start("src")
        for c in claimants:
            if c.start >= src_start - 1 and c.start <= m.end("src") + 1:
                return Attribution(c.canonical, denial)
        name = _clean_source(m.group("src"))
        if name:
            return Attribution(canonical(name) or name, denial)
    says = list(_SAY_RE.finditer(clause))
    at = _SOURCE_AT.search(clause)
    if says and at:
        # "a source at Aleppo Police Command told SANA": the institution is the claimant
        name = at.group("org").strip()
        return Attribution(canonical(name) or name, denial)
    if says:
        best = _nearest_claimant(claimants, says)
        if best is not None:
            return Attribution(best.canonical, denial)
        if last_claimant and _PRONOUN_SUBJECT.search(clause):
            return Attribution(last_claimant, denial)
        np = _SOURCE_NP.search(clause)
        if np:
            name = _source_name(np.group("np"))
            if name:
                return Attribution(canonical(name) or name, denial)
    elif claimants and denial:
        return Attribution(claimants[0].canonical, True)
    return None


def _nearest_claimant(claimants: list, says: list):
    """The claimant closest to a verb of saying (subject before it, or inverted after it)."""
    best, best_dist = None, 10**9
    for c in claimants:
        for s in says:
            if c.end <= s.start():
                dist = s.start() - c.end
            elif c.start >= s.end():
                dist = c.start - s.end() + 5  # "said the ministry": a little less likely
            else:
                dist = 0
            if dist < best_dist:
                best, best_dist = c, dist
    return best if best_dist <= 90 else None


# Words that cannot be part of a source's name: they end the backward walk from its head.
_NOT_IN_NAME = re.compile(
    r"^(?:a|an|the|that|which|who|and|or|but|on|in|at|of|to|for|from|by|with|as|said|says|"
    r"told|also|had|has|have|was|were|is|are|it|its|their|his|her|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|meanwhile|while|when|after|before|according|"
    r"\w+ly|\w+ed|\d+)$", re.IGNORECASE)


def _source_name(np: str) -> str:
    """The source's name: its head noun and the few name-like words before it."""
    words = re.sub(r"[\"'“”]", "", np).split()
    if not words:
        return ""
    # the head is followed by an optional auxiliary and the verb of saying, already cut off
    while words and re.fullmatch(r"(?:also|later|had|have|has|were|was)", words[-1], re.IGNORECASE):
        words.pop()
    kept = [words[-1]] if words else []
    for w in reversed(words[:-1]):
        if _NOT_IN_NAME.match(w) or len(kept) >= 4:
            break
        kept.insert(0, w)
    name = " ".join(kept)
    if name.lower() in ("it", "he", "she", "they", "group", "source", "sources", "statement"):
        return ""
    return name


def _clean_source(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" \"'“”,")
    text = _LEADING_DET.sub("", text)
    # "the directorate of health in Idlib province" is that province's health directorate
    m = re.match(r"(?:health (?:directorate|department|ministry)|(?:directorate|department|ministry) of health)"
                 r"\s+(?:in|of)\s+(?:the\s+)?([A-Z][\w-]+)", text)
    if m:
        return f"{m.group(1)} health directorate"
    # "a civil defence worker contacted in the city" -> "civil defence worker"
    text = re.split(r"\s+(?:contacted|quoted|speaking|who|which|that|in|on|at|from|with|for|as|and|after)\b",
                    text)[0].strip()
    words = text.split()
    if not words or len(words) > 6 or words[0][0].isdigit():
        return ""
    return text


def quote_state(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted passages (straight or curly), possibly over several sentences."""
    spans = []
    opened = None
    for m in re.finditer(r'["\u201c\u201d]', text):
        ch = m.group(0)
        if opened is None and ch != "\u201d":
            opened = m.start()
        elif opened is not None and ch != "\u201c":
            spans.append((opened, m.end()))
            opened = None
    return spans
