"""Read, extract and store a batch: what `sitrep ingest` does.

Bad items are reported as `sitrep extract` reports them (one ``error: SOURCE: REASON`` line
each) and counted, never dropped silently; the rest of the batch goes on. Articles already
stored by this extractor version are not extracted again (``unchanged``), so running a batch
again, after a crash or not, only does the work that is missing.
"""
from __future__ import annotations

import sys
from typing import TextIO

from .db import data_errors
from .repository import Store, content_hash

PROGRESS_MIN = 20  # show a progress bar from this many articles on (as `sitrep extract`)


class Tally:
    """What a batch did: read, extracted and failed (as `sitrep extract`), and what was stored:
    ``unchanged`` counts the articles the database held already (by this extractor version),
    ``duplicates`` the texts met earlier in this same input (never extracted twice)."""

    def __init__(self) -> None:
        self.read = self.extracted = self.failed = 0
        self.added = self.unchanged = self.replaced = self.duplicates = 0
        self.undated = 0  # articles read without a publication date

    def line(self) -> str:
        return (f"{self.read} articles read, {self.extracted} extracted, {self.failed} failed; "
                f"{self.added} added, {self.replaced} replaced, {self.unchanged} already stored, "
                f"{self.duplicates} duplicates in this input")

    def __repr__(self) -> str:
        return f"Tally({self.line()})"


def ingest_paths(store: Store, paths: list[str], *, published: str | None = None,
                 outlet: str | None = None, max_bytes: int = 5_000_000, progress: bool = True,
                 err: TextIO | None = None, engine=None) -> Tally:
    """Read ``paths`` (files, directories, "-"), extract each article and store it.

    Each article is committed on its own, so an interrupted batch keeps what it stored and a
    second run adds exactly the rest. Returns the Tally; ``tally.failed`` counts bad inputs,
    articles the extractor refused (not English) or failed on, and articles the database
    refused.
    """
    from ..engines.local import LocalEngine
    from ..extract.pipeline import EXTRACTOR_VERSION, NotEnglish
    from ..ingest import IngestError, count_inputs, read_inputs, report_error

    err = err if err is not None else sys.stderr
    tally = Tally()
    refused = data_errors()
    bar = None
    if progress:
        total = count_inputs(paths)
        if total is None or total >= PROGRESS_MIN:
            from tqdm import tqdm
            bar = tqdm(total=total, unit="article", file=err, disable=None, leave=False)

    def step() -> None:
        if bar is not None:
            bar.update(1)

    seen: set[str] = set()  # the texts of this input so far (content hashes)

    def to_extract():
        for item in read_inputs(paths, published=published, outlet=outlet, max_bytes=max_bytes):
            tally.read += 1
            if isinstance(item, IngestError):
                tally.failed += 1
                step()
                report_error(item.source, item.reason, err)
                continue
            tally.undated += item.published is None
            key = content_hash(item.text)
            if key in seen:
                tally.duplicates += 1
                step()
                continue
            seen.add(key)
            if not store.needs_extraction(item, EXTRACTOR_VERSION):
                tally.unchanged += 1
                step()
                continue
            yield item

    try:
        # The engine (sitrep.engines: this process, or Ray workers) only extracts; this
        # process writes, one transaction per article, so each is stored exactly once.
        for article, result in (engine or LocalEngine()).pipe(to_extract()):
            step()
            name = article.source or article.article_id
            if isinstance(result, Exception):
                tally.failed += 1
                reason = str(result) if isinstance(result, NotEnglish) else f"extraction failed: {result!r}"
                report_error(name, reason, err)
                continue
            tally.extracted += 1
            try:
                outcome = store.add(article, result, EXTRACTOR_VERSION)
            except refused as exc:
                tally.failed += 1
                report_error(name, f"not stored: {exc}", err)
                continue
            setattr(tally, outcome, getattr(tally, outcome) + 1)
    finally:
        if bar is not None:
            bar.close()
    return tally
