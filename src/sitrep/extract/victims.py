"""Victims read from the dependency parse of a sentence that reports a killing or an injury.

The token grammar of ``counts`` finds figures ("at least 30 fighters were killed") but not
victims that a news sentence names without a number: one person ("gunmen killed a village
headman"), a person by name ("murdered Ahmad X, saying he spied"), a list ("a man, his wife
and their daughter were killed"), or a noun our lexicon does not know ("two cadres were
killed"). The parse says which noun phrase a casualty verb acts on, whatever the noun, so
these are counted here, one each unless a number says more. Only clauses with a casualty word
where the grammar found no figure, or where victims are listed, are parsed (``needs_parse``),
which keeps the parser affordable.
"""
from __future__ import annotations

import re

from ..knowledge.caseless import fold, folded
from ..records import Count
from .counts import _PLURAL, _SINGULAR, Figure, _sum, parse_count
from .nlp import lemma, load_parser, pos

# Verb lemmas whose object (active) or subject (passive) is the killed or injured.
_KILL_VERBS = frozenset("""kill murder slay execute behead assassinate massacre lynch martyr slaughter
    strangle decapitate hang""".split())
_DIE_VERBS = frozenset("die perish succumb".split())  # the subject is the dead
_INJURE_VERBS = frozenset("injure wound hurt maim".split())
# "shot dead", "gunned down", "hacked to death", "buried alive": the verb alone says less.
_MANNER_VERBS = frozenset("""shoot gun hack beat stab burn stone bury club bludgeon torture crush
    ax axe assault hit kick mow chop cut""".split())
_DEATH_PARTICLES = re.compile(r"^(?:dead|down|alive)$")
_DEATH_AFTER = re.compile(r"\b(?:dead|down|to death|alive)\b", re.IGNORECASE)
# Heads that are no victims: the number is in their "of" phrase ("a total of 15 people").
_CONTAINERS = frozenset("total number group couple dozen score handful family".split())
_NOT_PEOPLE = frozenset("""nobody toll tolls figure figures number numbers one ones it this that which
    what who whom something nothing anything dozens hundreds scores thousands many several
    few some all both each none""".split())
CUE = re.compile(r"\b(?:lives? of|death of|bod(?:y|ies)|corpses?|kill|murder|slay|slain|slew|execut|behead|assassinat|massacr|lynch|martyr|"
                 r"slaughter|strangl|decapitat|hanged|died|dies|perish|succumb|injur|wound|hurt|maim|"
                 r"shot dead|shoot dead|shooting dead|gunned down|to death|alive)\w*", re.IGNORECASE)


def parse(text: str):
    """The dependency parse of a text, or None when no parser could be loaded."""
    nlp = load_parser()
    return nlp(text) if nlp is not None else None


def _outcome(verb) -> tuple[str, str] | None:
    """(outcome, role of the victim) for a casualty verb: "obj" for the object of an active
    verb or the subject of a passive one, "subj" for the subject of "died"."""
    word = lemma(verb)
    if word in _KILL_VERBS:
        return "killed", "obj"
    if word in _INJURE_VERBS:
        return "injured", "obj"
    if word in _DIE_VERBS:
        return "killed", "subj"
    if word in _MANNER_VERBS:
        if _to_death(verb):
            return "killed", "obj"
    return None


def _to_death(verb) -> bool:
    """ "shot dead", "gunned down", "hacked to death", "burnt alive": the verb's own
    complement says it killed (or, where the parse hangs it elsewhere, the words right after)."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    for c in list(verb.children) + [g for o in objects for g in o.children]:
        if c.lower_ in ("dead", "alive", "down"):
            return True
        if c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
    return bool(_DEATH_AFTER.search(verb.doc[verb.i + 1:verb.i + 6].text))


def _lumped(verb) -> bool:
    """Whether the verb is joined to a casualty verb of the other outcome."""
    def subject(t) -> bool:
        return any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)

    mine = _outcome(verb)
    if verb.dep_ == "conj":
        linked = [verb.head] if not subject(verb) else []
    else:
        linked = [c for c in verb.children if c.dep_ == "conj" and not subject(c)]
    return any((o := _outcome(t)) is not None and o[0] != mine[0] for t in linked)


def _victim_heads(verb, role: str) -> list:
    """The noun heads the verb acts on (before conjunction), with those it killed "along
    with" them."""
    heads = _acted_on(verb, role)
    if heads:
        heads += [c for w in _along_with(verb) for c in w.children if c.dep_ == "pobj"]
    return heads


def _along_with(verb) -> list:
    """The "with" of "along with" / "together with" hung on the verb or on its object."""
    out = []
    for t in verb.subtree:
        if t.lower_ == "with" and t.i > 0 and t.doc[t.i - 1].lower_ in ("along", "together") and \
                _depth_below(t, verb) <= 3:
            out.append(t)
    return out


def _depth_below(t, top) -> int:
    depth = 0
    while t.i != top.i and t.head.i != t.i and depth < 9:
        t, depth = t.head, depth + 1
    return depth if t.i == top.i else 99


def _acted_on(verb, role: str) -> list:
    kids = list(verb.children)
    if role == "subj":
        return [t for t in kids if t.dep_ in ("nsubj", "nsubjpass")]
    passive = [t for t in kids if t.dep_ == "nsubjpass"]
    if passive:
        return passive
    objs = [t for t in kids if t.dep_ in ("dobj", "obj")]
    if objs:
        return objs
    # "shot dead two men": the parser may hang the object on the particle
    for t in kids:
        if _DEATH_PARTICLES.match(t.text.lower()):
            objs += [c for c in t.children if c.dep_ in ("dobj", "npadvmod", "obj")]
    if not objs and verb.dep_ == "acl" and verb.tag_ == "VBN":
        return [verb.head]  # "two men killed in the raid": the noun the participle describes
    return objs


def _conjuncts(head) -> list:
    """The head and the nouns coordinated with it by "and"; a name set off by a comma after a
    noun ("a commander, Ali Omar, was killed") is that noun again, not another victim."""
    out, todo = [], [head]
    while todo:
        t = todo.pop(0)
        out.append(t)
        todo += [c for c in t.children if c.dep_ == "conj"]
    if len(out) > 1 and not any(c.dep_ == "cc" and c.lower_ in ("and", "&") for t in out for c in t.children):
        return [head]
    return [t for t in out if t.i == head.i or not _appositive(t)]


def _appositive(t) -> bool:
    prev = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
    return pos(t) == "PROPN" and pos(t.head) == "NOUN" and prev is not None and prev.text == ","


def _named_list(head) -> list:
    """ "a man, identified as A, and his son": a relative joined to the name, not to the head."""
    out = []
    for acl in head.children:
        if acl.dep_ != "acl":
            continue
        for t in acl.subtree:
            if t.dep_ == "conj" and t.tag_ == "NN" and any(c.dep_ == "poss" for c in t.children):
                out.append(t)
    return out


def _count_of(head) -> tuple[Count, str, tuple[int, int]] | None:
    """(count, category, token span) of one victim noun phrase."""
    if head.lower_ in _NOT_PEOPLE or pos(head) in ("DET", "NUM", "ADJ"):
        return None
    if lemma(head) in _CONTAINERS:
        inner = [c for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                 for c in p.children if c.dep_ == "pobj"]
        if inner:
            return _count_of(inner[0])
    if pos(head) == "PRON":
        if head.lower_ in ("him", "her", "he", "she"):
            return Count(None, 1, None, head.text), "total", (head.i, head.i + 1)
        return None
    nums = [c for c in head.children if c.dep_ == "nummod"]
    cat = _PLURAL.get(head.lower_) or _SINGULAR.get(head.lower_) or "total"
    left = min([head.i] + [c.left_edge.i for c in head.children if c.dep_ in ("det", "nummod", "amod",
                                                                                "compound", "poss")])
    if nums:
        n = nums[0]
        phrase = head.doc[n.left_edge.i:n.right_edge.i + 1].text
        count = parse_count(phrase)
        if count is None:
            return None
        return count, cat, (n.left_edge.i, head.i + 1)
    one = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in head.children)
    if head.tag_ in ("NNS", "NNPS") and not one:
        return None  # "killed civilians": how many the text does not say; "a personnel" is one
    if head.tag_ not in ("NN", "NNP", "NNS", "NNPS"):
        return None
    return Count(None, 1, None, head.doc[left:head.i + 1].text), cat, (left, head.i + 1)


# "claiming the lives of", "took the life of", "the killing of", "the death of": the victims
# follow "of" after a noun that names the death.
_LIFE_VERBS = frozenset("claim take cost".split())
_DEATH_NOUNS = frozenset("killing death murder assassination execution beheading".split())
_FOUND_VERBS = frozenset("find recover discover retrieve exhume".split())
_BODIES = frozenset("body corpse remains".split())


def _of_phrase(noun) -> list:
    return [c for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
            for c in p.children if c.dep_ == "pobj"]


def _nominal_victims(tok) -> list:
    """Victim heads of a death told as a noun: the object "lives" of "claiming", "the
    killing of X", or the body found ("the body of X was found", "his body was recovered")."""
    word = lemma(tok)
    if word in _LIFE_VERBS:
        return [h for o in tok.children if o.dep_ == "dobj" and lemma(o) == "life"
                for h in _of_phrase(o)]
    if pos(tok) == "NOUN" and word in _DEATH_NOUNS:
        return _of_phrase(tok)
    if word in _FOUND_VERBS:
        bodies = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj") and lemma(c) in _BODIES]
        return [h for b in bodies for h in (_of_phrase(b) or [b])]
    return []


def figures_from_parse(doc, start: int, end: int, offset: int, group: int = 0) -> list[Figure]:
    """Casualty figures of the parsed text ``doc`` (a clause) whose verb lies in [start, end)
    (offsets in ``doc``); ``offset`` places ``doc`` in the article."""
    out: list[Figure] = []
    for verb in doc:
        if not (start <= verb.idx < end) or any(c.dep_ == "neg" for c in verb.children):
            continue
        heads = _nominal_victims(verb)
        if heads:
            outcome = "killed"
        else:
            got = _outcome(verb) if pos(verb) in ("VERB", "AUX") else None
            if got is None or _lumped(verb):
                continue  # "were killed or wounded": one figure for both, which the spec cannot split
            outcome, role = got
            heads = _victim_heads(verb, role)
        parts = []
        for h in heads:
            members = _conjuncts(h)
            if len(members) == 1 and not any(c.dep_ == "nummod" for c in h.children):
                members += _named_list(h)
            for m in members:
                c = _count_of(m)
                if c is not None:
                    parts.append(c)
        if parts:
            out += _emit(doc, parts, outcome, offset, group + len(out))
    return out


def _emit(doc, parts: list, outcome: str, offset: int, group: int) -> list[Figure]:
    first = min(p[2][0] for p in parts)
    last = max(p[2][1] for p in parts)
    a, b = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    text = doc.text[a:b]
    figs = []
    total = _sum([p[0] for p in parts])
    total.text = parts[0][0].text if len(parts) == 1 else text
    figs.append(Figure(offset + a, offset + b, total.text, total, outcome, "total", text, group))
    by_cat: dict[str, list[Count]] = {}
    for count, cat, _ in parts:
        if cat != "total":
            by_cat.setdefault(cat, []).append(count)
    for cat, counts in by_cat.items():
        c = _sum(counts)
        c.text = counts[0].text if len(counts) == 1 else text
        figs.append(Figure(offset + a, offset + b, c.text, c, outcome, cat, text, group))
    return figs


# A victim joined to another ("and his wife", ", a villager and one policeman"): the grammar
# may have counted only one of them.
_LIST = re.compile(r"(?:\band|,|\b(?:along|together) with)\s+(?:also\s+)?(?:a|an|one|another|his|her|their|its|the|"
                   r"two|three|four|five|six|seven|eight|nine|ten|\d+)\s", re.IGNORECASE)


def needs_parse(clause: str, figures: list[Figure]) -> bool:
    """Whether the parse can add to the figures: none found, or victims listed."""
    low = fold(clause)
    if not folded(CUE).search(low):
        return False
    return not figures or bool(folded(_LIST).search(low))


def combine(found: list[Figure], parsed: list[Figure]) -> list[Figure]:
    """The grammar's figures, with the parse's where the grammar found none for an outcome or
    counted only part of a list of victims ("a teacher, a villager and a policeman"). A
    figure that the parse makes the subject or object of the other outcome's verb ("a guard
    was killed and eight others were injured") is dropped from the grammar's reading."""
    def contradicting(f: Figure) -> list[Figure]:
        return [p for p in parsed if p.outcome != f.outcome and p.start <= f.start and f.end <= p.end]

    corrected = [p for f in found for p in contradicting(f)]
    found = sorted([f for f in found if not contradicting(f)] +
                   [p for i, p in enumerate(corrected) if p not in corrected[:i]], key=lambda f: f.start)
    out = list(found)
    for outcome in ("killed", "injured"):
        mine = [f for f in found if f.outcome == outcome]
        theirs = [f for f in parsed if f.outcome == outcome]
        if not theirs:
            continue
        if not mine:
            out += theirs
            continue
        total = next((f for f in theirs if f.category == "total"), None)
        if total is None:
            continue
        # the grammar's figures inside the parse's list are parts of it; others stay
        inside = [f for f in mine if total.start <= f.start and f.end <= total.end]
        best = [f.count.value() or 0 for f in inside if f.category == "total"] or [0]
        if not inside or (total.count.value() or 0) <= max(best):
            continue
        cats = {f.category for f in theirs} | {"total"}
        out = sorted([f for f in out if not (f in inside and f.category in cats)] + theirs,
                     key=lambda f: f.start)
    return out
