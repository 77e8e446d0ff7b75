"""Attribution: who asserts what a clause reports, and whether they deny it.

A clause's claimants are the speakers of its first verb of saying that has one, found from
the shape of the phrase around the verb rather than from a fixed list of names:

  - the noun phrase before the verb ("Turkish security sources said", "Jaish al-Islam
    spokesman Islam Alloush said"), or after it when the order is inverted ('"...," said
    the Observatory'); a passive ("were reported killed") has no speaker;
  - the phrase after "according to" or "citing", or between "quoted" and "as saying";
  - "A and B said": each coordinated source is a claimant of its own ("official media and
    opposition activists").

A speaker is named, in order: by the dictionary claimant inside its phrase, unless a name
of another body qualifies that claimant ("Turkish health ministry" is not the Syrian one,
"SDF military source" not the Syrian army's); by the party it speaks for ("Jaish al-Islam
spokesman" is Jaish al-Islam); by a source noun with the words that qualify it ("local
sources", "Homs governor"; a person's name after the title is dropped); by an outlet's or
a person's own name ("Al Masdar News", "Hadi Abdullah"). A pronoun or a bare generic
subject ("it said", "the group added") stands for the last named claimant. A phrase that is
none of these (a fragment of the sentence: "people including children opposition") names
no one. The speaker of a quotation the clause sits inside, and the article's own voice
("reporter"), are decided by the caller.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..knowledge.actors import actor_kind
from ..knowledge.caseless import fold, folded

REPORTER = "reporter"

_SAY_WORDS = frozenset("""said says say saying told tells reported reports reporting announced announces
    announcing added adding adds stated states stating claimed claims confirmed confirms confirming
    documented quoted accused accuses accusing denied denies denying insisted warned estimated
    counted recorded noted explained declared reiterated reiterates asserted blamed blames blaming
    alleged alleges tweeted wrote described condemned condemns suggested suggest suggests repeated
    deny""".split())
# Participles that take the subject of their clause ("X cast doubt on it, saying ...").
_PARTICIPLES = frozenset("saying adding stating claiming noting accusing denying insisting warning".split())
# "put the toll at", "gave a toll of": a verb that speaks only with its object.
_TOLL_VERB = re.compile(r"\b(?:put|puts|putting|gave|gives|giving|raised|raising)\s+(?:the|a|its)\s+"
                        r"(?:death\s+|casualty\s+)?toll\b", re.IGNORECASE)
_LISTENER = re.compile(r"\b(?:told|tells|telling|speaking to|spoke to|(?:in )?(?:a |an )?(?:statement|remarks|"
                       r"interview) (?:to|with))\s+", re.IGNORECASE)
# Any cue of speech at all: most clauses have none and need no closer reading.
_ANY_CUE = re.compile(r"\b(?:" + "|".join(sorted(_SAY_WORDS)) + r"|according|citing|quoting|toll)\b",
                      re.IGNORECASE)
# What a source issues: "according to a new toll from X" names X
_DOCUMENTS = frozenset("toll tolls tally count statement statements report reports figures figure data "
                       "estimate estimates records record list bulletin communique".split())
# "X quoted Y as saying", "cited Y as saying": Y speaks, X relays
_SPEECH_CUE = re.compile(r"\b(?:according to|citing|quoting)\s+|"
                         r"\b(?:cited|cites|quoted|quotes)\s+(?=[^.;:]{1,80}?\bas\s+say(?:ing|s)\b)",
                         re.IGNORECASE)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected (?:the |any )?(?:claims?|accusations?|reports?)|"
    r"dismissed (?:the )?(?:claims?|reports?)|did not carry out|was not involved|were not involved|"
    r"had nothing to do with|no (?:Russian|Syrian|coalition|Israeli|US) (?:jets|aircraft|planes) (?:had|were))\b",
    re.IGNORECASE)
_NOT_DENIAL = re.compile(r"\b(?:did not|didn't|would not|not) deny\b", re.IGNORECASE)

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019.\-][^\W_]+)*|[^\w\s]")

# Titles of people, capitalised before their names ("Foreign Minister Walid Muallem").
_PERSON_TITLES = frozenset("""minister ambassador envoy governor mayor commander spokesman director-general
    inspector-general superintendent commandant collector magistrate inspector sub-inspector sp asp dsp ssp
    dig ig igp dgp adgp sdpo""".split())
# Heads of noun phrases that name a source: a person, a body, an outlet.
_SOURCE_HEADS = frozenset("""resident residents activist activists witness witnesses eyewitness eyewitnesses
    source sources official officials spokesman spokesmen spokeswoman spokeswomen spokesperson
    officer officers member members commander commanders soldier soldiers volunteer volunteers
    nurse nurses journalist journalists diplomat diplomats elder elders leader leaders locals
    neighbour neighbours neighbor neighbors shopkeeper shopkeepers farmer farmers teacher teachers
    coordinator coordinators doctor doctors medic medics paramedic paramedics police governor
    mayor rescuer rescuers worker workers monitor monitors observers observer network agency collective
    ministry ministries directorate department committee council hospital army military statement
    television tv channel group groups media website websites opposition rebels insurgents
    militants villagers survivor survivors relatives relative minister ambassador envoy
    authorities authority government command office centre center reports report daily
    newspaper broadcaster outlet outlets radio coalition forces director chairman president
    representative secretary researcher bulletin release""".split()) | _PERSON_TITLES
# Heads through which a party speaks as itself ("the Taliban spokesman", "an IS statement").
_VOICE_HEADS = frozenset("spokesman spokesmen spokeswoman spokesperson statement statements media office "
                         "command channel website".split())
# Heads of outlets: their own name follows ("the pro-regime website Al Masdar News").
_OUTLET_HEADS = frozenset("website websites agency channel television tv newspaper daily broadcaster outlet "
                          "radio network".split())
# Lowercase words that may qualify a source noun; any capitalised word may too.
_MODIFIERS = frozenset("""local opposition rebel military security medical health rights human government
    state state-run state-owned official senior high-ranking top regional provincial field police army
    hospital civil defence defense rescue media news activist independent intelligence tribal
    religious monitoring war press foreign interior information western other eyewitness
    emergency humanitarian anti-government pro-government pro-regime anti-regime pro-damascus
    opposition-run rebel-run general deputy chief head public prosecutor aid relief""".split())
# Capitalised words that open a sentence or a clause but name nothing.
_FUNCTION = frozenset("""in on at but and or meanwhile also however earlier later elsewhere while when after
    before as since during with from by for of to then still yet both all there here this that
    it its their his her our we they he she i separately moreover furthermore nevertheless
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight overnight
    last next""".split())
_DETERMINERS = frozenset("a an the one two three several some many most this that these those no any each "
                         "every all".split())
_NAME_LINKS = frozenset("of for in on at de al el bin ibn and".split())
_PRONOUNS = frozenset("it he she they we i".split())
# A bare head after "the" that points back to a source already named.
_BACK_HEADS = frozenset("""group monitor source sources statement ministry agency official spokesman bulletin release
    spokeswoman organisation organization observatory report army military coalition network
    committee council directorate command""".split())
# Words between a subject and its verb of saying.
_SKIP_BEFORE_VERB = frozenset("""also later had has have earlier then previously separately further again
    subsequently reportedly initially separately had also""".split())
_PASSIVE = frozenset("was were is are been being be".split())
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday".split())
# A day before the verb ("the ministry on Monday said").
_ON_DAY = re.compile(r"^(?:on|late|early)$", re.IGNORECASE)
_MAX_NAME = 6


@dataclass
class Attribution:
    claimed_by: str
    denial: bool = False
    also: list[str] = field(default_factory=list)  # further sources of the same words
    via: str | None = None  # the outlet the source spoke to ("told SANA"): a relay, no source

    def names(self) -> list[str]:
        return [self.claimed_by] + [n for n in self.also if n != self.claimed_by]


@dataclass(slots=True)  # every word of every clause that may name a speaker
class _Tok:
    start: int
    end: int
    text: str
    known: bool = False  # inside a name the dictionary knows (a claimant or an actor)
    noun: bool = False  # a word of saying used as a noun ("reports")

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()

    @property
    def word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def np(self) -> bool:
        """A word that may be part of a source's noun phrase."""
        if self.known or self.noun:
            return True
        if not self.word or self.text[0].isdigit():
            return False
        low = self.low
        if low in _DETERMINERS or low in _FUNCTION or low in _PASSIVE or (low in _SAY_WORDS and not self.capital):
            return False
        return self.capital or "-" in low or low in _MODIFIERS or low in _SOURCE_HEADS


def is_denial(text: str) -> bool:
    low = fold(text)
    return bool(folded(_DENIAL).search(low)) and not folded(_NOT_DENIAL).search(low)


def attribute(clause: str, claimants: list, last_claimant: str | None, canonical,
              actors: list = (), people: dict[str, str] | None = None,
              seen: list[str] = ()) -> Attribution | None:
    """The claimant(s) a clause names, or None when it names none.

    ``claimants`` and ``actors`` are the dictionary's mentions inside the clause (offsets
    relative to the clause); ``canonical`` maps a free-text source name to a canonical
    claimant or None; ``people`` (kept by the caller across an article's clauses) maps the
    names of people who spoke to the claimant they speak for, so that "Alloush said" after
    "Jaish al-Islam spokesman Islam Alloush said" is Jaish al-Islam's; ``seen`` are the
    claimants named before, so that "the Coalition" after "the Syrian Coalition" is the same.
    """
    denial = is_denial(clause)
    if not folded(_ANY_CUE).search(fold(clause)):
        found, via = [], None
    else:
        speakers = _Speakers(clause, claimants, actors, last_claimant, canonical,
                             people if people is not None else {}, seen)
        found, via = speakers.find(), speakers.listener()
    if found:
        return Attribution(found[0], denial, found[1:], via if via not in found else None)
    if claimants and denial:
        return Attribution(claimants[0].canonical, True)
    return None


@dataclass
class _Phrase:
    """A speaker's noun phrase: its words (without a leading determiner), that determiner,
    and whether a preposition governs it ("at the Aleppo Police Command")."""

    words: list[_Tok]
    det: str | None = None
    governed: bool = False


class _Speakers:
    """The speakers of one clause."""

    def __init__(self, clause: str, claimants: list, actors: list, last: str | None, canonical,
                 people: dict[str, str], seen: list[str] = ()) -> None:
        self.clause = clause
        self.seen = seen
        # civilians never speak as a party: "killing four civilians residents said"
        actors = [a for a in actors if a.canonical != "civilians"]
        self.claimants, self.actors = claimants, actors
        self.last, self.canonical, self.people = last, canonical, people
        covered = bytearray(len(clause) + 1)
        for m in list(claimants) + list(actors):
            covered[max(0, m.start):max(0, m.end)] = b"\x01" * (max(0, m.end) - max(0, m.start))
        self.toks = [_Tok(m.start(), m.end(), m.group(), bool(covered[m.start()] and covered[m.end() - 1]))
                     for m in _TOKEN.finditer(clause)]
        words = [t for t in self.toks if t.word]
        first = words[0] if words else None
        if first is not None and not first.known and self._sentence_start(first) and \
                first.low in _SOURCE_HEADS | _MODIFIERS | _RANKS and \
                not (len(words) > 1 and words[1].capital):
            first.text = first.low  # "Residents said": a common noun, not a name
        # the last word of a party named by its means ("government aircraft", "Turkish
        # army"): a phrase of its own unless a voice head follows ("Turkish army statement")
        ends = {m.end for m in actors if m.means}
        self.means_end = {i for i, t in enumerate(self.toks) if t.end in ends}
        # a party named by a plural noun ("US-backed fighters") is a phrase of its own
        ends = {m.end for m in actors}
        self.means_end |= {i for i, t in enumerate(self.toks)
                           if t.end in ends and not t.capital and t.low.endswith("s")}
        for i, t in enumerate(self.toks):
            if t.low in _SAY_WORDS and t.low in _SOURCE_HEADS:
                nxt = next((x for x in self.toks[i + 1:] if x.word and x.low not in _ASIDES), None)
                if nxt is not None and nxt.low in _SAY_WORDS:
                    t.noun = True  # "media reports suggest", "unconfirmed reports, however, said"

    def find(self) -> list[str]:
        toks = self.toks
        # "X reported, citing Y", "according to Y": Y is the source of the words
        low = fold(self.clause)
        cues = [(0, "forward", self._index_at(m.end())) for m in folded(_SPEECH_CUE).finditer(low)]
        for i, t in enumerate(toks):
            if t.low in _SAY_WORDS and (not t.capital or self._sentence_start(t)) and \
                    not folded(_NOT_SPEECH).match(low, t.start) and not t.noun:
                cues.append((1, "verb", i))
        for m in folded(_TOLL_VERB).finditer(low):
            cues.append((1, "verb", self._index_at(m.start())))
        for _, kind, i in sorted(cues, key=lambda c: (c[0], c[2] if c[2] is not None else 0)):
            if i is None:
                continue
            if kind == "forward":
                at = self._past_document(i)
                if at is None:
                    # "according to the statement": the source that issued it, named before
                    if self.last:
                        return [self.last]
                    continue
                phrases = self._phrases_after(at)
            else:
                phrases = self._subject(i)
                if phrases is None:
                    continue  # a passive ("were reported killed") or "no group has claimed"
                if toks[i].low not in ("told", "tells") and not any(_within(self.claimants, p.words) for p in phrases):
                    # '... two soldiers said Observatory director X': the inverted speaker
                    # wins over a subject that names no known source (or none at all)
                    inverted = self._phrases_after(i + 1, inverted=True)
                    if not phrases or any(_within(self.claimants, p.words) for p in inverted):
                        phrases = inverted
            names = []
            for ph in phrases:
                name = self._name(ph)
                if name and name not in names:
                    names.append(name)
            if names:
                return names
            if kind == "verb" and toks[i].low in _PARTICIPLES and not phrases:
                # "X cast doubt on the findings, saying ...": the clause's own subject
                first = self._phrases_after(0, inverted=False)[:1]
                name = self._name(first[0]) if first and not first[0].det in ("a", "an") else None
                if name:
                    return [name]
            if kind == "verb" and toks[i].low in ("adding", "added") and self.last and not phrases:
                return [self.last]  # ", adding ...": the same speaker goes on
        return []

    def _past_document(self, i: int) -> int | None:
        """Where the source starts in "according to a new toll from X", "figures issued by
        X": past a noun for what a source issues and its preposition; None for a document
        of no named source ("according to the bulletin")."""
        toks = self.toks
        j = i
        while j < len(toks) and j - i < 4 and toks[j].low not in _DOCUMENTS:
            if not toks[j].word or toks[j].capital:
                return i
            j += 1
        if j + 1 < len(toks) and toks[j].low in _DOCUMENTS:
            k = j + 1
            if toks[k].low in ("issued", "released", "published", "compiled") and k + 1 < len(toks):
                k += 1
            if toks[k].low in ("from", "by", "of"):
                return k + 1
            if j > i and toks[i].low in ("the", "this", "that", "its", "their"):
                return None
        return i

    def listener(self) -> str | None:
        """The outlet a source spoke to ("told SANA", "in a statement to SANA")."""
        m = folded(_LISTENER).search(fold(self.clause))
        if m is None:
            return None
        i = self._index_at(m.end())
        phrases = self._phrases_after(i) if i is not None else []
        if not phrases:
            return None
        return self.canonical(" ".join(t.text for t in phrases[0].words))

    def _index_at(self, pos: int) -> int | None:
        for i, t in enumerate(self.toks):
            if t.start >= pos:
                return i
        return None

    def _index(self, t: _Tok) -> int:
        return next(i for i, x in enumerate(self.toks) if x is t)

    # --- the phrase before a verb ---------------------------------------------------------

    def _subject(self, v: int) -> list[_Phrase] | None:
        """The coordinated noun phrases before a verb of saying; None for a passive verb."""
        toks = self.toks
        j = v - 1
        while j >= 0 and (toks[j].low in _SKIP_BEFORE_VERB or toks[j].low in _DAYS or
                          (toks[j].low.endswith("ly") and not toks[j].capital and len(toks[j].low) > 4) or
                          (_ON_DAY.match(toks[j].text) and j + 1 < v and toks[j + 1].low in _DAYS)):
            j -= 1
        if j >= 2 and toks[j].text == "," and toks[j - 1].low in _ASIDES and toks[j - 2].text == ",":
            j -= 3  # "Unconfirmed reports, however, said"
        if j >= 0 and toks[j].low in _PASSIVE:
            return None
        if j >= 0 and toks[j].low in _PRONOUNS:
            return [_Phrase([toks[j]])]
        if j >= 1 and toks[j].text == ",":
            # "X, head of the Syrian Observatory, told AFP": an appositive naming a source;
            # "an official with X, formerly known as Y, said": the source it renames
            ph = self._phrase_before(j - 1)
            if ph is not None and _within(self.claimants, ph.words):
                return [ph]
            if ph is not None and self._renamed(self._index(ph.words[0]) - (2 if ph.det else 1)) is not None:
                j -= 1
        rel = None
        if not self._names_someone(self._phrase_before(j)):
            rel = self._relative(j)
            if rel is not None:
                j = rel  # "Monitors at the Observatory, which tracks ..., said": its antecedent
        phrases: list[_Phrase] = []
        while True:
            ph = self._phrase_before(j, governed_ok=rel is not None)
            if ph is None and not phrases:
                ph = self._past_place(j)
            if ph is None:
                break
            if ph.det == "no":
                return None  # "no group has claimed responsibility"
            k = self._index(ph.words[0]) - (2 if ph.det else 1)
            named_as = self._renamed(k)
            if named_as is not None and not phrases:
                # "an official with X formerly known as Y", "a witness named Ahmad": the
                # source is the phrase the name is given to
                earlier = self._phrase_before(named_as)
                if earlier is not None:
                    ph = earlier
                    k = self._index(ph.words[0]) - (2 if ph.det else 1)
            if k >= 1 and ph.det in ("a", "an") and not phrases:
                comma = toks[k].text == ","
                earlier = self._phrase_before(k - 1 if comma else k)
                if earlier is not None and (comma or all(t.capital or t.low in _NAME_LINKS for t in earlier.words)):
                    # "Hadi Abdullah, a Syrian activist, said", "the Aleppo Media Center an
                    # activist collective said": the name, not its description
                    ph = earlier
                    k = self._index(ph.words[0]) - (2 if ph.det else 1)
            phrases.insert(0, ph)
            if k >= 1 and (toks[k].low in ("and", "or") or (toks[k].text == "," and len(phrases) > 1)):
                j = k - 1
                continue
            break
        return phrases

    def _renamed(self, k: int) -> int | None:
        """Where the phrase ends that a name is given to ("X formerly known as", "a witness
        named"), given the index k before the name."""
        toks = self.toks
        if k >= 1 and toks[k].low in ("named", "called", "dubbed"):
            return k - 1
        if k >= 2 and toks[k].low == "as" and toks[k - 1].low in ("known", "identified"):
            j = k - 2
            while j >= 0 and toks[j].low in ("formerly", "also", "previously", "now"):
                j -= 1
            return j - 1 if j >= 1 and toks[j].text == "," else j
        return None

    def _names_someone(self, ph: _Phrase | None) -> bool:
        """Whether a phrase may name a source at all ("civil war" names no one)."""
        return ph is not None and (_head(ph.words) is not None or
                                   any(t.capital or t.known for t in ph.words))

    def _relative(self, j: int) -> int | None:
        """Where the antecedent of a relative clause ends ("X who went to the site said")."""
        toks = self.toks
        for k in range(j, max(0, j - 15), -1):
            t = toks[k]
            if t.text in _QUOTES or (t.low in _SAY_WORDS and not t.capital):
                return None
            if t.low in ("which", "who") and k >= 1:
                k -= 1
                if toks[k].text == ",":
                    k -= 1
                return k
        return None

    def _past_place(self, j: int) -> _Phrase | None:
        """ "Local sources in the city told": the subject before a phrase of place."""
        toks = self.toks
        for k in range(j, max(-1, j - 5), -1):
            if toks[k].low in _PLACE_PREPOSITIONS and k > 0:
                ph = self._phrase_before(k - 1)
                return ph if ph is not None and _head(ph.words) is not None else None
            if not toks[k].word:
                return None
        return None

    def _phrase_before(self, j: int, governed_ok: bool = False) -> _Phrase | None:
        toks = self.toks
        out: list[_Tok] = []
        det = None
        while j >= 0 and len(out) < 9:
            t = toks[j]
            if t.low in _DETERMINERS and t.known and out and out[0].known and j > 0 and toks[j - 1].known:
                out.insert(0, t)  # "the" inside a known name ("... of the warring parties")
                j -= 1
                continue
            if t.low in _DETERMINERS or t.low in ("its", "their"):
                if out:
                    det = t.low
                    j -= 1
                break
            if t.text in ("'s", "\u2019s") or (t.text in _QUOTES and out) or \
                    (t.text == "." and out and j > 0 and len(toks[j - 1].text) == 1 and toks[j - 1].capital):
                j -= 1  # "Kondagaon SP J. S. Watti": the initials of a name
                continue
            if t.np:
                if j in self.means_end and out and not (len(out) == 1 and out[0].low in _VOICE_HEADS):
                    break  # "... government aircraft, residents said"
                if out and t.low in _SOURCE_HEADS and t.low not in _MODIFIERS and not t.capital and \
                        t.low.endswith("s") and any(o.low in _SOURCE_HEADS for o in out):
                    break  # "... US-backed fighters, opposition activists said": two phrases
                out.insert(0, t)
                j -= 1
                continue
            # "Observatory for Human Rights", "head of the Syrian Observatory": a linking word
            # inside a name, between capitalised words
            if t.low in _NAME_LINKS and t.low != "and" and out and out[0].capital and j > 0 and \
                    (toks[j - 1].capital or toks[j - 1].low == "the"):
                out.insert(0, t)
                j -= 1
                continue
            if t.low == "including" and out and j > 0:
                # "opposition media groups including Aleppo Today": the groups speak
                group = self._phrase_before(j - 1)
                if group is not None and _head(group.words) is not None:
                    return group
            break
        while out and out[0].low in _NAME_LINKS and not out[0].known:
            out.pop(0)
        if not out:
            return None
        ph = _Phrase(out, det)
        if j >= 0:
            at = self._source_at(j, ph)
            if at is not None:
                return at
        if j >= 0 and toks[j].low in _PLACE_PREPOSITIONS:
            ph.governed = True
            # "In Hama rights groups said": the place belongs to the preposition; with nothing
            # to give it ("close to the government reported"), the phrase is its object
            dropped = 0
            while out and out[0].capital and not out[0].known and out[0].low not in _SOURCE_HEADS:
                out.pop(0)
                dropped += 1
            if not out or (not dropped and not governed_ok):
                return None
        return ph

    def _source_at(self, j: int, org: _Phrase) -> _Phrase | None:
        """ "A source at Aleppo Police Command", "an official with X": the body the source
        speaks from is named, with the source's own words unless it is a bare "source"."""
        toks = self.toks
        if toks[j].low not in ("at", "in", "from", "with", "of") or j < 1 or toks[j - 1].low not in _SOURCE_HEADS | _TITLES \
                or not any(t.capital for t in org.words):
            return None
        if not (org.words[-1].known or org.words[-1].low in _SOURCE_HEADS | _BODY_WORDS):
            return None  # "a witness in Akcakale": a place, not a body
        k = j - 1
        person = [toks[k]]
        while k - 1 >= 0 and toks[k - 1].low in _MODIFIERS:
            k -= 1
            person.insert(0, toks[k])
        if len(person) == 1 and person[0].low in ("source", "sources"):
            return _Phrase(org.words, org.det)
        return _Phrase(org.words + person, org.det)

    # --- the phrase after a cue -----------------------------------------------------------

    def _phrases_after(self, i: int, inverted: bool = False) -> list[_Phrase]:
        """The coordinated noun phrases that start at token i ("according to X and Y")."""
        toks = self.toks
        phrases = []
        while i < len(toks):
            j = i
            out: list[_Tok] = []
            det = None
            while j < len(toks) and toks[j].text in _QUOTES and not inverted:
                j += 1
            if j < len(toks) and (toks[j].low in _DETERMINERS or toks[j].low in ("its", "their")):
                det = toks[j].low
                j += 1
            while j < len(toks) and len(out) < 9:
                t = toks[j]
                if t.np and t.low not in ("and", "or"):
                    out.append(t)
                    j += 1
                    continue
                if t.low in _NAME_LINKS and t.low != "and" and out and j + 1 < len(toks) and \
                        (toks[j + 1].capital or toks[j + 1].low == "the") and out[-1].capital:
                    out.append(t)
                    j += 1
                    continue
                if t.low in ("of", "in") and out and (out[-1].low in _SOURCE_HEADS or out[-1].low in _MODIFIERS) \
                        and j + 1 < len(toks) and \
                        (toks[j + 1].low in _MODIFIERS or toks[j + 1].capital):
                    out.append(t)  # "the directorate of health in Idlib"
                    j += 1
                    continue
                if t.text in ("'s", "\u2019s") or t.text in _QUOTES:
                    j += 1
                    continue
                break
            while out and out[-1].low in _NAME_LINKS:
                out.pop()
                j -= 1
            if not out:
                break
            if inverted and j < len(toks) and toks[j].word and (
                    toks[j].low not in _STOP_AFTER_INVERTED or
                    (toks[j].low == "and" and j + 1 < len(toks) and toks[j + 1].np)):
                break  # "said X would ...": X is what was said, not who said it
            phrases.append(_Phrase(out, det))
            if j < len(toks) and toks[j].low in ("and", "or") and not inverted:
                i = j + 1
                continue
            break
        return phrases

    # --- naming ---------------------------------------------------------------------------

    def _name(self, ph: _Phrase) -> str | None:
        """The claimant a speaker's noun phrase names, or None when it names no source."""
        words = ph.words
        if len(words) == 1 and words[0].low in _PRONOUNS:
            return self.last
        named = _within(self.claimants, words)
        parties = _within(self.actors, words)
        head = _head(words)
        if named:
            c = named[0]
            surface = self.clause[c.start:c.end].split()[-1].lower()
            if len(words) == 1 and words[0].low == surface:
                # "the Coalition" after "the Syrian Coalition", "the military" after "the
                # Turkish army": the body named before, not the dictionary's guess
                for earlier in reversed(self.seen):
                    last_word = earlier.lower().rsplit(" ", 1)[-1]
                    if earlier != c.canonical and " " in earlier and (
                            last_word == surface or {last_word, surface} <= _ARMED and
                            not self._another_force(words[0], parties, earlier)):
                        return earlier
            qualified = any(t.capital and not _within(self.claimants, [t]) and
                            (t.low not in _MODIFIERS or not self._sentence_start(t)) for t in words)
            generic = re.sub(r"^(?:the|a|an)\s+", "", self.clause[c.start:c.end], flags=re.IGNORECASE)
            if generic.islower() and qualified:
                # "Turkish health ministry", "SDF military source": another body's, named so
                return self._remember(words, _phrase_name(words, head))
            return self._remember(words, c.canonical)
        if head is not None and all(t is head or t.low in _BACK_HEADS or t.low in _OUTLET_HEADS or
                                    (t.capital and words.index(t) > words.index(head)) for t in words) \
                and head.low in _BACK_HEADS | _OUTLET_HEADS and not self._another_force(head, parties):
            # "the group said", "its spokesman John Kirby said", "the TV network said": the
            # source just named
            return self.last
        if parties:
            p = parties[-1]
            inside = [i for i, t in enumerate(words) if p.start <= t.start < p.end]
            after = words[inside[-1] + 1:] if inside else []
            if not after or (head is not None and head.low in _VOICE_HEADS and head in after):
                return self._remember(words, _party_name(p, self.canonical))
        if head is not None:
            own = _outlet_name(words, head) if head.low in _OUTLET_HEADS else _body_after(words, head)
            if own:
                return self._remember(words, _canonical_or(self.canonical, own))
            return self._remember(words, _canonical_or(self.canonical, _phrase_name(words, head)))
        if all(t.capital or t.low in _NAME_LINKS for t in words):
            spoken = {self.people.get(t.low) for t in words if t.capital}
            if len(spoken) == 1 and None not in spoken:
                return spoken.pop()  # "Alloush said": the spokesman named before
            if len(words) <= 4 and not ph.governed:
                return self._remember(words, _canonical_or(self.canonical, " ".join(t.text for t in words)))
        return None

    def _another_force(self, head: _Tok, parties: list, earlier: str | None = None) -> bool:
        """"The army said" after the RSF spoke: the army, not the armed group named before
        (after "the Turkish military" it is that military: a state's army either way)."""
        earlier = earlier or self.last
        if head.low not in _ARMED | {"coalition"} or not parties or not earlier:
            return False
        force = self.canonical(earlier, role="actor")
        return force not in {p.canonical for p in parties} and \
            actor_kind(force) not in ("state", "coalition")

    def _remember(self, words: list[_Tok], name: str | None) -> str | None:
        """Keep the name of the person in a speaker's phrase, after the title or the body
        ("spokesman Islam Alloush"), for the claimant the person speaks for."""
        title = max((i for i, t in enumerate(words) if t.low in _SOURCE_HEADS and not t.capital or
                     t.low in _PERSON_TITLES), default=None)
        if name and title is not None:
            for t in words[title + 1:]:
                if t.capital and len(t.text) > 2:
                    self.people.setdefault(t.low, name)
        return name

    def _sentence_start(self, t: _Tok) -> bool:
        before = self.clause[:t.start].rstrip()
        return not before or before[-1] in '.!?"\u201c\u201d'


_BODY_WORDS = frozenset("news agency center centre office front brigade brigades movement party".split())
_RANKS = frozenset("high-ranking senior top junior other another several".split())
_ASIDES = frozenset("however also though moreover".split())
# Words for the person at the head of a body ("head of the Observatory").
_TITLES = frozenset("head chief".split())
# Words that name a state's armed forces as a speaker: one may stand for another named before.
_ARMED = frozenset("army military forces".split())
_PLACE_PREPOSITIONS = frozenset("in at near from inside outside across around of to towards".split())
_QUOTES = frozenset('"\u201c\u201d')
# "claimed the lives of", "claims lives", "claimed several persons": a toll, not a statement.
_NOT_SPEECH = re.compile(r"claim(?:ed|s)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:lives|persons|people|victims|casualties)\b",
                         re.IGNORECASE)
# After an inverted speaker ('..." said the ministry on Monday'): the clause goes on with
# these, or ends.
_STOP_AFTER_INVERTED = frozenset("""on in at late early who which that adding and as from to of a an the
    told quoted citing according during after before""".split()) | _DAYS


def _within(mentions: list, words: list[_Tok]) -> list:
    """The mentions that share a word with the phrase, in text order."""
    return sorted((m for m in mentions if any(m.start < t.end and t.start < m.end for t in words)),
                  key=lambda m: m.start)


def _head(words: list[_Tok]) -> _Tok | None:
    """The last source noun of the phrase ("governor" in "Homs governor Talal al-Barazi"); a
    capitalised word inside a name is no head ("Aleppo Police Command")."""
    for t in reversed(words):
        if t.low in _SOURCE_HEADS and (not t.capital or t is words[0] or t.low in _PERSON_TITLES):
            return t
    return None



def _phrase_name(words: list[_Tok], head: _Tok | None) -> str:
    """The qualifiers and the head of a source phrase, without the person's name after it."""
    m = _OF_IN.fullmatch(" ".join(t.text for t in words))
    if m:  # "directorate of health in Idlib" is the Idlib health directorate
        return f"{m.group('place')} {m.group('field')} {m.group('head')}"
    end = words.index(head) + 1 if head is not None else len(words)
    if head is not None and head.capital:
        # "Ministry of Defence": a capitalised head goes on through "of" and its name
        while end + 1 < len(words) and words[end].low in ("of", "for") and words[end + 1].capital:
            end += 2
            while end < len(words) and words[end].capital and len(words[end].text) > 1:
                end += 1
    kept = words[:end][-_MAX_NAME:]
    # "a high-ranking Syrian opposition official", "other opposition websites": rank and
    # number are not part of the source's name
    while kept and (kept[0].low in _NAME_LINKS or kept[0].low in _RANKS) and len(kept) > 1:
        kept = kept[1:]
    return " ".join(t.text for t in kept)


_OF_IN = re.compile(r"(?P<head>directorate|department|ministry|office|authority|authorities|council|"
                    r"committee) of (?P<field>[a-z]+(?: [a-z]+)?) (?:in|of) (?P<place>(?:[A-Z][\w'-]*\s?)+)")


def _body_after(words: list[_Tok], head: _Tok) -> str:
    """A body's own name after a word that only qualifies it ("the official Anadolu
    Agency"): a capitalised run ending in a word for a body, not a person's name."""
    run = words[words.index(head) + 1:]
    if len(run) >= 2 and all(t.capital or t.low in _NAME_LINKS for t in run) and \
            run[-1].low in _SOURCE_HEADS | _BODY_WORDS:
        return " ".join(t.text for t in run)
    return ""


def _outlet_name(words: list[_Tok], head: _Tok) -> str:
    """An outlet's own name, after its noun ("the website Al Masdar News") or before it
    ("the Cham TV network")."""
    at = words.index(head)
    run = []
    for t in words[at + 1:]:
        if not (t.capital or t.low in _NAME_LINKS):
            break
        run.append(t)
    if not run:
        for t in reversed(words[:at + 1 if head.capital else at]):
            if not t.capital or t.known or t.low in _MODIFIERS:
                break
            run.insert(0, t)
        if all(t.low in _OUTLET_HEADS for t in run):
            return ""
    return " ".join(t.text for t in run)


def _party_name(party, canonical) -> str:
    """A party to the war that speaks: the claimant the dictionary knows by that name ("the
    Syrian regime" speaks as the Syrian government); else its own name as written when its
    entry gathers many groups ("Jaish al-Islam", not "Syrian opposition forces"); else the
    entry's name ("Daesh" is the Islamic State)."""
    text = re.sub(r"^(?:the|a|an)\s+", "", party.text, flags=re.IGNORECASE)
    known = canonical(text)
    if known and known != party.canonical:
        return known
    if re.search(r"\b(?:forces|separatists|civilians)\b", party.canonical):
        return text
    return party.canonical


def _canonical_or(canonical, name: str) -> str | None:
    name = name.strip(" \"'\u201c\u201d,")
    if not name:
        return None
    return canonical(name) or name


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
