"""Words of a text as stable integer features, shared by the scorer and the wire detector.

Words are lowercased, ASCII-folded and passed through ``name_key`` so that transliterations
of one name meet ("Khan Sheikhoun" / "Khan Shaykhun", "Raqa" / "Raqqa"), and hashed with
blake2b into a fixed space: the same word gets the same id in every process and run.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ..knowledge.names import name_key, strip_accents

HASH_BITS = 24  # feature ids lie in [0, 2**24)

_WORD = re.compile(r"[a-z0-9]+")
# Compounds written as one word or two ("air strike" / "airstrike").
_COMPOUNDS = re.compile(r"\b(air|car|barrel|suicide|death)[\s\-]+(strikes?|raids?|bombs?|bombers?|tolls?)\b")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
me more most my no nor not now of off on once only or other our out over own same she should
so some such than that the their them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your
said says say told according added adding also including however since while would could
may might one two three four five six seven eight nine ten first second last least
mr mrs ms yesterday today
""".split())


def fold(text: str) -> str:
    """Lowercase ASCII text with compounds joined, ready to be split into words."""
    text = strip_accents(text).lower().replace("\u2019", "").replace("'", "")
    return _COMPOUNDS.sub(r"\1\2", text)


@lru_cache(maxsize=200_000)
def word_id(word: str) -> int:
    """The feature id of one word (its ``name_key``, hashed)."""
    key = name_key(word) if not word.isdigit() else word
    digest = hashlib.blake2b((key or word).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") & ((1 << HASH_BITS) - 1)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def content_ids(text: str) -> list[int]:
    """Feature ids of the content words of ``text`` (stopwords and one-letter words dropped)."""
    return [word_id(w) for w in words(text) if len(w) > 1 and w not in STOPWORDS]


def all_ids(text: str) -> list[int]:
    """Feature ids of every word, in order (for shingles, where function words matter)."""
    return [word_id(w) for w in words(text)]
