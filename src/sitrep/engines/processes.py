"""Extraction on this machine's cores: a pool of worker processes, each building the pipeline
once, fed batches of articles; results come back in input order, a bad article as its
exception (as in one process), never lost.

The workers are spawned, not forked, so that no thread state of the parent (BLAS pools, a
progress bar) is copied into them; each loads the model and the gazetteer once, which costs
about two seconds at the start of a run.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from typing import Iterable, Iterator

from ..records import Article, ArticleRecord

BATCH = 16  # articles per task: enough to amortise the round trip, few enough to balance
# ... and more where they are short (one-line summaries), up to this much text: a task's
# articles are one batch for the sentence model and the parser, whose every call costs a few
# milliseconds whatever its size (sixteen summaries made a parse batch of a dozen clauses)
TASK_CHARS = 24_000
MAX_BATCH = 64
IN_FLIGHT = 3  # batches queued per worker

_PIPELINE = None


def _start() -> None:
    global _PIPELINE
    from ..extract.pipeline import default_pipeline
    _PIPELINE = default_pipeline()
    _PIPELINE(Article("warm-up", "The army said the strike killed two people in the town."))


def _extract(batch: list[Article]) -> list[ArticleRecord | Exception]:
    from .ray_engine import _portable
    return [_portable(r) if isinstance(r, Exception) else r
            for _, r in _PIPELINE.pipe(batch, batch_size=len(batch) or 1)]


def _peak_rss(_: int) -> int:
    # VmHWM, not getrusage: a spawned child's ru_maxrss starts from its parent's high mark
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _tasks(articles: Iterable[Article]) -> Iterator[list[Article]]:
    task: list[Article] = []
    chars = 0
    for art in articles:
        task.append(art)
        chars += len(art.text)
        if len(task) >= MAX_BATCH or (len(task) >= BATCH and chars >= TASK_CHARS):
            yield task
            task, chars = [], 0
    if task:
        yield task


class ProcessEngine:
    name = "processes"

    def __init__(self, num_workers: int | None = None) -> None:
        self.num_workers = max(1, num_workers or os.cpu_count() or 1)
        self._pool = multiprocessing.get_context("spawn").Pool(self.num_workers, initializer=_start)

    def __enter__(self) -> "ProcessEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def peak_rss(self) -> list[int]:
        """Each worker's peak resident memory so far, in bytes (one task per worker, so a
        busy pool may answer for one worker twice)."""
        return self._pool.map(_peak_rss, range(self.num_workers), chunksize=1)

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, ArticleRecord | Exception]]:
        batches = _tasks(articles)
        pending: deque[list[Article]] = deque()
        # The pool reads its input as fast as it can: a few batches per worker in flight keep
        # every core busy without reading a large input into memory at once.
        room = threading.BoundedSemaphore(IN_FLIGHT * self.num_workers)

        def feed():
            for batch in batches:
                room.acquire()
                pending.append(batch)
                yield batch

        for results in self._pool.imap(_extract, feed()):
            batch = pending.popleft()
            room.release()
            yield from zip(batch, results)
