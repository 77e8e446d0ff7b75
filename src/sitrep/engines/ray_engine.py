"""Extraction on Ray: a pool of actors, each building the pipeline once, fed batches of
articles; results come back in input order, a bad article as its exception (as in one
process), never lost.

Without an address a local Ray starts (and stops at the end) with ``num_workers`` CPUs; with
one (``auto``, ``ray://host:10001``) the pool joins that cluster. Ray is imported only here.
"""
from __future__ import annotations

import os
import pickle
from collections import deque
from typing import Iterable, Iterator

from ..records import Article, ArticleRecord
from . import EngineError

BATCH = 32  # articles per task: large enough to amortise a round trip, small enough to balance
IN_FLIGHT = 3  # batches queued per worker, so that none waits on the driver


def _import_ray():
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'sitrep[scale]' (or ray)") from None
    return ray


class _Worker:
    """One extraction worker: the pipeline is built once, when the actor starts."""

    def __init__(self) -> None:
        from ..extract.pipeline import default_pipeline
        self.pipeline = default_pipeline()
        self.pipeline(Article("warm-up", "The army said the strike killed two people in the town."))

    def extract(self, batch: list[Article]) -> list[ArticleRecord | Exception]:
        out: list[ArticleRecord | Exception] = []
        for _, result in self.pipeline.pipe(batch, batch_size=len(batch) or 1):
            if isinstance(result, Exception):
                result = _portable(result)
            out.append(result)
        return out

    def ready(self) -> int:
        return os.getpid()

    def peak_rss(self) -> int:
        """This worker's peak resident memory, in bytes."""
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _portable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling unchanged (so the driver reports it as one
    process would), else a RuntimeError carrying its repr."""
    try:
        back = pickle.loads(pickle.dumps(exc))
        if repr(back) == repr(exc):
            return exc
    except Exception:  # noqa: BLE001
        pass
    return RuntimeError(repr(exc))


class RayEngine:
    name = "ray"

    def __init__(self, address: str | None = None, num_workers: int | None = None,
                 batch_size: int = BATCH) -> None:
        if num_workers is not None and num_workers < 1:
            raise EngineError("--num-workers must be at least 1")
        self.address, self.num_workers, self.batch_size = address, num_workers, batch_size
        self._ray = None
        self._started_ray = False
        self.workers: list = []

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> "RayEngine":
        if self.workers:
            return self
        ray = self._ray = _import_ray()
        if not ray.is_initialized():
            try:
                import logging
                quiet = dict(log_to_driver=False, logging_level=logging.WARNING)
                if self.address:
                    ray.init(address=self.address, **quiet)
                else:
                    ray.init(num_cpus=self.num_workers or os.cpu_count() or 1,
                             include_dashboard=False, **quiet)
            except Exception as exc:  # noqa: BLE001
                raise EngineError(f"cannot start Ray ({type(exc).__name__}: {exc})") from exc
            self._started_ray = True
        n = self.num_workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1)(_Worker)
        self.workers = [actor.remote() for _ in range(n)]
        ray.get([w.ready.remote() for w in self.workers])  # every pipeline loaded
        return self

    def close(self) -> None:
        if self._ray is None:
            return
        for w in self.workers:
            self._ray.kill(w)
        self.workers = []
        if self._started_ray:
            self._ray.shutdown()
            self._started_ray = False

    def __enter__(self) -> "RayEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        self.start()
        return self._ray.get([w.ready.remote() for w in self.workers])

    def peak_rss(self) -> list[int]:
        """Each worker's peak resident memory, in bytes."""
        self.start()
        return self._ray.get([w.peak_rss.remote() for w in self.workers])

    # -- work --------------------------------------------------------------------------------

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, ArticleRecord | Exception]]:
        """Batches go to the least busy worker; results are yielded in input order."""
        self.start()
        ray = self._ray
        pending: deque = deque()  # (batch, ref, worker index) in input order
        load = [0] * len(self.workers)
        limit = IN_FLIGHT * len(self.workers)

        def submit(batch: list[Article]) -> None:
            i = min(range(len(load)), key=load.__getitem__)
            load[i] += 1
            pending.append((batch, self.workers[i].extract.remote(batch), i))

        def collect() -> Iterator[tuple[Article, ArticleRecord | Exception]]:
            batch, ref, i = pending.popleft()
            try:
                results = ray.get(ref)
            except Exception as exc:  # noqa: BLE001 - a worker died: its articles are failures, not lost
                results = [RuntimeError(f"worker failed: {type(exc).__name__}")] * len(batch)
            load[i] -= 1
            yield from zip(batch, results)

        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= self.batch_size:
                submit(batch)
                batch = []
                while len(pending) >= limit:
                    yield from collect()
        if batch:
            submit(batch)
        while pending:
            yield from collect()
