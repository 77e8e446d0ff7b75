"""Whether a clause tells an act that happened, read from the verb that governs its trigger.

Word lists catch "would", "threatened" and "since 2011"; the grammar of the clause says more
and holds for wordings no list has: a habit or a state in the simple present ("Russia backs
rebels fighting in the north", "the town is shelled daily"), an act hedged by a modal ("could strike"), negated ("never
used"), told as a purpose ("used the hills to launch rockets"), or as a repeated past ("have
previously come under fire"). Only acts that no figure supports are judged this way: a toll
is evidence enough that something happened.
"""
from __future__ import annotations

import calendar

from .nlp import lemma, pos

# Adverbs that turn a perfect into a habit or a history ("have often been shelled").
_HABIT = frozenset("previously repeatedly often frequently regularly always long constantly "
                   "routinely ever never sometimes occasionally".split())
# Verbs of saying and reporting: their tense dates the report, not the act.
_SAY = frozenset("say tell report claim add state announce confirm accuse deny note".split())
_VERBAL = ("VERB", "AUX")
# A simple present dated to one weekday is a caption's or a headline's present ("police fire
# tear gas at protesters, Sunday"): the act of that day, not a habit. "Every Friday" is one.
_WEEKDAYS = frozenset(d.lower() for d in calendar.day_name)
_EVERY = frozenset("every each most many all".split())
_MONTHS = frozenset(m.lower() for m in calendar.month_name if m)


def _token_at(doc, offset: int):
    for t in doc:
        if t.idx <= offset < t.idx + max(1, len(t.text)):
            return t
    return None


def _governor(tok):
    """The verb whose clause the token is in (the token itself when it is a verb)."""
    t = tok
    for _ in range(8):
        if pos(t) in _VERBAL and t.dep_ != "aux":
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _non_factual(verb) -> bool:
    kids = list(verb.children)
    if any(c.dep_ == "neg" for c in kids):
        return True
    aux = [c for c in kids if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in aux):
        return True  # would, could, may, will
    if _purpose(verb) and not (verb.dep_ in ("advcl", "xcomp") and verb.head.tag_ in ("VBD", "VBP", "VBZ")):
        return True  # a plan: "plans to launch rockets" (the purpose of a finite act is judged by it)
    if any(lemma(c) == "have" for c in aux) and \
            any(c.dep_ == "advmod" and c.lower_ in _HABIT for c in kids):
        return True
    if _present(verb) and not aux and lemma(verb) not in _SAY | {"be"} and not _one_day(verb.doc):
        return True  # a habit or a state: "backs", "controls"
    shared = aux or ([c for c in verb.head.children if c.dep_ in ("aux", "auxpass")]
                     if verb.dep_ == "conj" else [])  # "is guarded and targeted"
    if any(c.dep_ == "auxpass" and c.tag_ in ("VBP", "VBZ") for c in shared) and \
            lemma(verb) not in _SAY and not _one_day(verb.doc):
        return True  # the same in the passive: "are forced out by bombardment", "is held"
    return False


def _purpose(verb) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ in ("aux", "auxpass") and c.lower_ == "to" for c in verb.children)


def _one_day(doc) -> bool:
    """The clause names a single day: a weekday (not "every Friday", not "on Fridays") or a
    date of a month ("October 26", "26 October")."""
    for t in doc:
        if t.lower_ in _WEEKDAYS and (t.i == 0 or doc[t.i - 1].lower_ not in _EVERY):
            return True
        if t.lower_ in _MONTHS and any(0 <= j < len(doc) and doc[j].like_num for j in (t.i - 1, t.i + 1)):
            return True
    return False


def _present(verb) -> bool:
    """A simple present, checked against the word's form: the small model tags rare past
    forms ("retook", "overran") as present, but a present is the lemma itself or its -s form."""
    if verb.tag_ == "VBP":
        return verb.lower_ == lemma(verb)
    return verb.tag_ == "VBZ" and verb.lower_.endswith("s")


def is_factual(doc, offset: int) -> bool:
    """Whether the trigger at ``offset`` (offsets in ``doc``) of the parsed clause ``doc``
    tells an act: its governing verb, and the verbs that embed it up to a verb of saying,
    carry no mark of habit, modality, negation or purpose."""
    tok = _token_at(doc, offset)
    if tok is None:
        return True
    verb = _governor(tok)
    for _ in range(4):
        if verb is None or lemma(verb) in _SAY:
            return True
        if _non_factual(verb):
            return False
        # "rebels fighting" inside "Russia supports rebels fighting": a verb with no tense
        # of its own takes the embedding verb's; a finite or past one ("the towns targeted
        # this week") and a clause of its own (a conjunct, an adverbial) stand alone
        if _purpose(verb) and verb.head.i != verb.i and verb.head.tag_ in ("VBD", "VBP", "VBZ"):
            # "fired tear gas to disperse the crowd": a purpose is as real as the act it is
            # the purpose of ("used the hills to launch rockets" is a habit by its head)
            verb = _governor(verb.head)
            continue
        if verb.tag_ not in ("VBG", "VB") or verb.head.i == verb.i or \
                verb.dep_ in ("ROOT", "conj", "advcl", "ccomp", "parataxis"):
            return True
        verb = _governor(verb.head)
    return True
