"""The extraction pipeline: an ordered list of named components, built from configuration.

As in spaCy, each component is a callable from ``Doc`` to ``Doc`` registered under a name
with the fields it requires and assigns; a pipeline is a list of names, checked when it is
built, so it is changed by configuration (``Pipeline(["sentences", ...])``), not code.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..knowledge.caseless import fold
from ..records import Article, ArticleRecord, Incident, Summary
from .language import NotEnglish, check_english, looks_english  # noqa: F401 (callers import them here)

EXTRACTOR_VERSION = "1.1.0"  # 1.1.0: ACLED coding, non-violent acts; 1.0.1: claimant names normalised (voices), undated incidents say "unknown"


@dataclass
class Doc:
    """What the components read and write for one article."""

    article: Article
    text: str
    published: str | None
    body_start: int = 0
    sentences: list[tuple[int, int]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    places: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    claimants: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    summary: Summary | None = None
    language_ok: bool = True
    parses: dict = field(default_factory=dict)  # (start, end) of a clause -> its dependency parse
    original: Article | None = None  # the article as written, where "truecase" recased it
    split_totals: list[Incident] = field(default_factory=list)  # totals told as split into located parts


@dataclass
class Component:
    name: str
    func: Callable[[Doc], Doc]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


REGISTRY: dict[str, Component] = {}


def component(name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    def register(func: Callable[[Doc], Doc]) -> Callable[[Doc], Doc]:
        REGISTRY[name] = Component(name, func, requires, assigns)
        return func
    return register


DEFAULT_PIPELINE = ("truecase", "sentences", "countries", "places", "actors", "mentions", "incidents",
                    "summary", "restore_case")


@functools.lru_cache(maxsize=1)
def _gazetteer():
    from ..knowledge.places import Gazetteer
    return Gazetteer.load()


@functools.lru_cache(maxsize=1)
def _actors():
    from ..knowledge.actors import ActorDictionary
    from ..knowledge.gazetteer import no_collection
    with no_collection():  # its tries live as long as the process: out of later sweeps too
        return ActorDictionary.load()


@component("truecase", assigns=("text",))
def _truecase(doc: Doc) -> Doc:
    """All lower case or all capitals: restore the capitals the finders read (same offsets)."""
    from .truecase import recase_article

    g = _gazetteer()
    got = recase_article(doc.article.title, doc.text, g.index,
                         lambda head: conflict_first(g.article_countries(head)))
    if got is not None:
        doc.original = doc.article
        doc.article = dataclasses.replace(doc.article, title=got[0], text=got[1])
        doc.text = got[1]
        doc.sentences = []  # split again: the recased text's sentences are clearer
    return doc


@component("sentences", assigns=("sentences", "body_start"))
def _sentences(doc: Doc) -> Doc:
    from ..ingest.datelines import find_dateline
    from .nlp import sentence_spans

    found = find_dateline(doc.text, doc.article.title)
    if found:
        doc.body_start = found[2]
    if not doc.sentences:
        doc.sentences = sentence_spans(doc.text)
    doc.body_start = _skip_repeated_title(doc.text, doc.body_start, doc.article.title)
    m = _PLACE_DATELINE.match(doc.text, doc.body_start)
    if m:
        doc.body_start = m.end()
    doc.sentences = _without_subheads(doc.text, _before_related_links(doc.text, doc.sentences, doc.body_start))
    return doc


# A wire story's section heading set between dashes in running text ("... dissent. - Troops
# kill 10 children - Meanwhile the Observatory said ..."): a headline of the paragraph after
# it, which that paragraph tells in full.
_SUBHEAD = re.compile(r"(?:^|(?<=[.!?\"'\u201d] ))[-\u2013\u2014] [A-Z][^.!?\n]{2,90}? [-\u2013\u2014] (?=[A-Z\"\u201c])")


def _without_subheads(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    heads = [(m.start(), m.end()) for m in _SUBHEAD.finditer(text)]
    if not heads:
        return sentences
    out = []
    for s, e in sentences:
        for hs, he in heads:
            if s <= hs < e:
                if text[s:hs].strip():
                    out.append((s, hs))
                s = max(s, he)
        if text[s:e].strip():
            out.append((s, e))
    return out


# Where a page's list of links to other stories begins ("Related News", "Views 729 Related
# IS group claims ...", "Read more:"): their headlines are other articles' news.
_RELATED = re.compile(r"(?i:\bRelated (?:News|Articles|Stories|Posts|Content|Coverage|Topics|Links)\b"
                      r"|\bRead (?:more|also)\b:?|\bSee also\b:|\bYou may also like\b)"
                      r"|(?<![a-z,] )\bRelated(?= [A-Z0-9])")
MIN_BODY_CHARS = 200  # a marker so early is part of the story ("Related to the attack, ...")


# Words every match of _RELATED holds, in the folded text (knowledge.caseless): a text with
# none of them needs no search (a tenth of a millisecond an article).
_RELATED_WORDS = ("related ", "read more", "read also", "see also", "you may also like")


def _before_related_links(text: str, sentences: list[tuple[int, int]], body_start: int) -> list[tuple[int, int]]:
    low = fold(text)
    if not any(w in low for w in _RELATED_WORDS):
        return sentences
    m = _RELATED.search(text, body_start + MIN_BODY_CHARS)
    if not m:
        return sentences
    cut = m.start()
    return [(s, min(e, cut)) for s, e in sentences if s < cut and text[s:min(e, cut)].strip()]


# "MOSUL, Iraq, June 23 —", "KABUL (Reuters) -", "AMMAN": where the story was filed, not where
# anything happened.
_PLACE_DATELINE = re.compile(
    r"\s*(?:"
    # capitals, then optional country and yearless date, then a dash: "MOSUL, Iraq, June 23 -"
    r"[A-Z][A-Z'.\-]+(?:\s[A-Z][A-Z'.\-]+){0,2}(?:,\s*[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s\d{1,2})?\s*(?:\((?:Reuters|AFP|AP|dpa|UPI|Xinhua|Sputnik|Anadolu)\))?"
    r"\s*(?:[\u2014\u2013]|--?|:)"
    # a title-case city before a long dash: "Moscow —"
    r"|[A-Z][a-z'.\-]+(?:\s[A-Z][a-z'.\-]+)?\s*(?:\((?:Reuters|AFP|AP)\)\s*)?[\u2014\u2013]"
    # capitals alone before the first sentence, as aggregators keep them: "AMMAN Nearly 50"
    r"|[A-Z]{3,}(?:\s[A-Z]{3,})?(?=\s+[A-Z][a-z])"
    r")\s*")


def _skip_repeated_title(text: str, start: int, title: str | None) -> int:
    """Aggregated articles often repeat the headline as their first line: it is not news
    of its own (the body tells the same act with its source)."""
    if not title:
        return start
    words = re.findall(r"\w+", title.lower())[:12]
    if len(words) < 3:
        return start
    got = _words_lead(text[start:start + len(title) + 40].lower(), words)
    if got is None:
        return start
    end = start + got
    # the headline's own closing punctuation ("... at least 112.") goes with it
    stop = re.match(r"[.!?:]?", text[end:])
    return end + stop.end()


_WORD_RUN = re.compile(r"\w+")


def _words_lead(low: str, words: list[str]) -> int | None:
    """Where ``words`` end if ``low`` opens with them, as the pattern ``\\W*w1\\W+w2 ... wn``
    matches (each word the whole of a word of the text, the last one the start of one;
    anything but word characters between them), without compiling a pattern per article."""
    runs = _WORD_RUN.finditer(low)
    for k, w in enumerate(words):
        m = next(runs, None)
        if m is None:
            return None
        if k < len(words) - 1:
            if m.group() != w:
                return None
        elif not m.group().startswith(w):
            return None
    return m.start() + len(words[-1])


@component("countries", assigns=("countries",))
def _countries(doc: Doc) -> Doc:
    head = (doc.article.title or "") + "\n" + doc.text
    countries = conflict_first(_gazetteer().article_countries(head))
    home = _actors().home_countries(head)
    if home and home[0] not in countries:
        # the armed groups and forces of one country, in a text that names it nowhere: the
        # place names that suggested another ("Narayanpur" is in Bangladesh too) are weaker
        countries = [home[0]] + countries
    doc.countries = countries
    return doc


@functools.lru_cache(maxsize=1)
def _war_countries() -> frozenset[str]:
    """The countries at war our knowledge covers (those with divisions in admin1.yaml)."""
    from importlib import resources

    from ..knowledge.compiled import load_yaml
    data = load_yaml(resources.files("sitrep.knowledge").joinpath("admin1.yaml").read_text(), "admin1.yaml")
    return frozenset(d["country"] for d in data)


def conflict_first(countries: list[str], top: int = 3) -> list[str]:
    """Among the article's leading countries, one at war comes first: a report from Syria's
    border with Turkey names Turkey often, but its acts are in Syria."""
    lead = countries[:top]
    war = [c for c in lead if c in _war_countries()]
    if not war or war[0] == countries[0]:
        return countries
    return [war[0]] + [c for c in countries if c != war[0]]


@component("places", requires=("countries",), assigns=("places",))
def _places(doc: Doc) -> Doc:
    doc.places = _gazetteer().find(doc.text, doc.countries)
    return doc


@component("actors", requires=("countries",), assigns=("actors", "claimants"))
def _actors_component(doc: Doc) -> Doc:
    d = _actors()
    doc.actors = d.find_actors(doc.text, doc.countries)
    doc.claimants = d.find_claimants(doc.text, doc.countries)
    return doc


@component("mentions", requires=("sentences", "places", "actors"), assigns=("mentions",))
def _mentions(doc: Doc) -> Doc:
    from .mentions import build_mentions
    doc.mentions = build_mentions(doc, _actors(), _gazetteer())
    return doc


@component("incidents", requires=("mentions",), assigns=("incidents",))
def _incidents(doc: Doc) -> Doc:
    from ..knowledge.actors import actor_kind
    from .events import dominant_type, find_triggers
    from .incidents import (credit_blamed, drop_echoed_reporter_claims, drop_nonfactual, drop_split_totals,
                            drop_unsupported, has_figures, infer_air_power, localise_country_level,
                            merge_coarse_tellings, merge_mentions, merge_retold, to_incidents)

    fallback = dominant_type(find_triggers(doc.article.title or "")) or \
        dominant_type(find_triggers(doc.text[:600]))
    drafts = merge_mentions(doc.mentions, doc.text, fallback)
    drafts = merge_coarse_tellings(merge_retold(localise_country_level(drafts)), doc.text)
    kept = drop_split_totals(drafts)
    kept_ids = {id(d) for d in kept}
    split = [d for d in drafts if id(d) not in kept_ids]
    drafts = drop_unsupported(kept)
    factual = _factual_in_rounds(doc, [d.triggers for d in drafts if not has_figures(d)])
    drafts = drop_nonfactual(drafts, factual)
    credit_blamed(drafts)
    infer_air_power(drafts)
    drop_echoed_reporter_claims(drafts)
    doc.incidents = to_incidents(drafts, doc.text, actor_kind)
    doc.split_totals = to_incidents(split, doc.text, actor_kind)
    return doc


def _factual_in_rounds(doc: Doc, tellings: list[list[tuple[int, int, int]]]):
    """``_factual`` for drop_nonfactual, with the clauses it will read parsed beforehand, one
    batch a round: it reads an act's tellings in order and stops at the first told as having
    happened, so the later tellings of most acts need no parse (a tenth of all the parses)."""
    from .nlp import parse_spans

    verdicts: dict[tuple[int, int, int], bool] = {}
    pending = [list(ts) for ts in tellings if ts]
    while pending:
        parse_spans(doc, [ts[0][:2] for ts in pending])
        later = []
        for ts in pending:
            if ts[0] not in verdicts:
                verdicts[ts[0]] = _factual(doc, *ts[0])
            if not verdicts[ts[0]] and len(ts) > 1:
                later.append(ts[1:])
        pending = later

    def factual(start: int, end: int, offset: int) -> bool:
        got = verdicts.get((start, end, offset))
        return _factual(doc, start, end, offset) if got is None else got
    return factual


def _factual(doc: Doc, start: int, end: int, offset: int) -> bool:
    """Whether the trigger at an article offset, in the clause [start, end), is told as an act
    that happened."""
    from .factuality import is_factual
    from .nlp import parsed_span

    parsed = parsed_span(doc, start, end)
    return True if parsed is None else is_factual(parsed, offset - start)


_EXECUTION = re.compile(r"\bexecut|behead|firing squad", re.IGNORECASE)


@component("summary", requires=("incidents",), assigns=("summary",))
def _summary(doc: Doc) -> Doc:
    from .summary import headline_total, main_incident, summarise
    g, a = _gazetteer(), _actors()
    from .events import dominant_type, find_triggers
    title = doc.article.title or ""
    main = main_incident(doc.incidents, title, dominant_type(find_triggers(title)))
    execution = bool(main and any(_EXECUTION.search(e.text) for c in main.claims for e in c.evidence))
    doc.summary = summarise(doc.incidents, doc.published, g.fakes_location, a.fakes_actor, main, execution,
                            [m.canonical for m in doc.actors if m.means == "air"],
                            a.perpetrators(doc.article.title or "", doc.countries),
                            [g.fakes_location(p.location) for p in doc.places if p.kind != "country"],
                            headline_total(doc.split_totals, main, title))
    return doc


@component("restore_case", requires=("incidents",), assigns=("incidents",))
def _restore_case(doc: Doc) -> Doc:
    """Evidence quotes the article as written, not as "truecase" recased it."""
    if doc.original is not None:
        from .truecase import restore_evidence
        restore_evidence(doc.incidents, doc.original.text, doc.text)
    return doc


class Pipeline:
    def __init__(self, names: Iterable[str] = DEFAULT_PIPELINE):
        self.components: list[Component] = []
        assigned: set[str] = set()
        for name in names:
            if name not in REGISTRY:
                raise ValueError(f"unknown pipeline component {name!r}; known: {sorted(REGISTRY)}")
            comp = REGISTRY[name]
            missing = [r for r in comp.requires if r not in assigned]
            if missing:
                raise ValueError(f"component {name!r} requires {missing}, which no earlier component assigns")
            assigned.update(comp.assigns)
            self.components.append(comp)

    def __call__(self, article: Article, sentences: list[tuple[int, int]] | None = None) -> ArticleRecord:
        check_english(article.text)
        doc = Doc(article=article, text=article.text, published=article.published,
                  sentences=list(sentences or []))
        for comp in self.components:
            doc = comp.func(doc)
        return ArticleRecord(article.article_id, article.published, doc.incidents,
                             doc.summary or Summary(date=article.published))

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[tuple[Article, ArticleRecord | Exception]]:
        """Extract many articles, sentence-splitting them in batches; errors are yielded, not raised."""
        from .nlp import sentence_spans_many

        with _fewer_collections():
            batch: list[Article] = []
            for art in articles:
                batch.append(art)
                if len(batch) >= batch_size:
                    yield from self._run_batch(batch, sentence_spans_many)
                    batch = []
            if batch:
                yield from self._run_batch(batch, sentence_spans_many)

    def _run_batch(self, batch, splitter):
        from .parse_batches import run_in_turns

        try:
            spans = splitter([a.text for a in batch])
        except Exception:  # one bad text must not lose the batch: fall back to one by one
            spans = [None] * len(batch)
        # the batch's articles in turns, so that the clauses they have parsed make one batch
        results = run_in_turns([functools.partial(self, art, sp) for art, sp in zip(batch, spans)])
        yield from zip(batch, results)


# The young objects the collector lets pile up while articles are extracted: an article makes
# and drops hundreds of thousands (tokens, parses, matches), nearly none in cycles, and the
# default threshold (700) had the collector walk them every few hundred.
YOUNG_THRESHOLD = 20_000
_raised = 0  # pipes running that raised the threshold
_saved: tuple[int, int, int] = (0, 0, 0)  # the thresholds before the first of them


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's first threshold raised while extracting, put back after the last."""
    global _raised, _saved
    if _raised == 0:
        _saved = gc.get_threshold()
        if 0 < _saved[0] < YOUNG_THRESHOLD:
            gc.set_threshold(YOUNG_THRESHOLD, _saved[1], _saved[2])
    _raised += 1
    try:
        yield
    finally:
        _raised -= 1
        if _raised == 0:
            gc.set_threshold(*_saved)


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
