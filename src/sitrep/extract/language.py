"""Is this article English? A language model's judgement, lenient where the text is short.

The extractor's lexicons and spaCy model are English: on another language they would find
nothing true, so such articles are refused (``NotEnglish``) and the batch goes on. Refusing
English is worse than reading a foreign article (which yields nothing), so the rule leans to
English: a text is refused only when the model names another language with confidence AND
gives English almost no chance. The model is py3langid's naive Bayes over byte n-grams,
shipped inside its wheel (nothing is downloaded). Its probabilities are tempered by the
square root of the text's length, so a headline or a one-line item, which carries little
evidence, spreads its probability over many languages and passes; so does a text made of
names and numbers, which looks like no language in particular.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

log = logging.getLogger("sitrep")

# The opening of an article says which language it is in; reading more only costs time (the
# model walks a table of tens of megabytes a byte at a time: a twelfth of the extraction of
# FA-KES at 3,000 characters). Every verdict on the dev sets (gold, FA-KES, CASE, SATP) is the
# same at 1,000 as at 3,000, the least English share included.
SAMPLE_CHARS = 1000
# Labels that count as English: Nigerian Pidgin is English-lexified, and West African or
# Indian English full of local names often scores there.
ENGLISH_LIKE = ("en", "pcm")
# The model's label for text with no linguistic content: never a reason to refuse.
NO_LANGUAGE = "zxx"
# The other language must hold at least this share of the probability: below it the model
# is choosing among lookalikes (a list of names scores Javanese, Somali, Catalan ... alike).
CONFIDENT = 0.5
# ... and English-like labels together must be below this. English on the dev sets never
# scores under 0.05; another language's paragraph, even a six-word headline, under 0.001.
ENGLISH_FLOOR = 0.01


class NotEnglish(ValueError):
    """The article is not in English: the extractor's lexicons would find nothing true."""


@dataclass(frozen=True)
class Verdict:
    language: str       # the model's best label
    confidence: float   # its probability
    english: float      # the probability of the English-like labels together

    @property
    def english_ok(self) -> bool:
        if self.language in ENGLISH_LIKE or self.language == NO_LANGUAGE:
            return True
        return self.confidence < CONFIDENT or self.english >= ENGLISH_FLOOR


@functools.lru_cache(maxsize=1)
def _identifier():
    """The model, loaded once per process (about a second); None if it cannot be loaded."""
    try:
        from ..blas import import_numpy_on_one_thread
        import_numpy_on_one_thread()  # py3langid imports numpy, before spaCy does
        import py3langid
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        from ..knowledge.compiled import cached_mapped
        # unpacking the compressed model takes half a second; its arrays, memory-mapped, a
        # millisecond (a pickle of the whole model took a tenth of a second)
        source = f"py3langid {_version(py3langid)}\nmapped\n".encode() + (MODEL_DIR / MODEL_FILE).read_bytes()
        parts = cached_mapped("langid", source, lambda: _parts(
            LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)))
        return _from_parts(LanguageIdentifier, parts)
    except Exception as exc:  # a broken install must not stop extraction: read everything
        log.warning("language model could not be loaded (%s); no article is refused", exc)
        return None


def _version(package) -> str:
    """The package's ``__version__``; its installed metadata where it has none (reading
    that scans every installed package's metadata: 25 ms of every start)."""
    got = getattr(package, "__version__", None)
    if isinstance(got, str):
        return got
    from importlib.metadata import version
    return version(package.__name__)


def _parts(ident) -> dict:
    """What ``LanguageIdentifier(...)`` is made of, its big tables as numpy arrays (kept out
    of the pickle by ``cached_mapped``)."""
    import numpy as np
    nextmove = ident.tk_nextmove  # an array.array, read item by item while the text is walked
    return {"nb_ptc": ident.nb_ptc, "nb_pc": ident.nb_pc, "nb_classes": ident.nb_classes,
            "tk_nextmove": np.frombuffer(nextmove, dtype=np.dtype(f"u{nextmove.itemsize}")),
            "tk_nextmove_type": nextmove.typecode,
            "tk_output": np.asarray(ident.tk_output, dtype=np.int64), "tk_row": ident.tk_row,
            "norm_probs": ident._norm_probs}


def _from_parts(cls, parts: dict):
    """The identifier again: the same tables (a memoryview stands in for the array.array:
    indexing either gives the same ints), the rest as ``from_model_file`` passes it."""
    nextmove = memoryview(parts["tk_nextmove"]).cast("B").cast(parts["tk_nextmove_type"])
    return cls(parts["nb_ptc"], parts["nb_pc"], parts["nb_classes"], nextmove,
               parts["tk_output"].tolist(), norm_probs=parts["norm_probs"], tk_row=parts["tk_row"])


def identify(text: str) -> Verdict:
    ident = _identifier()
    if ident is None:
        return Verdict("en", 0.0, 1.0)
    ranked = ident.rank(text[:SAMPLE_CHARS])
    language, confidence = ranked[0]
    english = sum(p for lang, p in ranked if lang in ENGLISH_LIKE)
    return Verdict(language, confidence, english)


def looks_english(text: str) -> bool:
    """False only where the text is confidently another language (see the module's note)."""
    return identify(text).english_ok


def check_english(text: str) -> None:
    """Raise ``NotEnglish`` for an article the extractor cannot read."""
    if not looks_english(text):
        raise NotEnglish("not English: sitrep reads English articles only")
