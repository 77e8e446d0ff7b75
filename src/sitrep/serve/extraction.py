"""Where the API's extractions run (``POST /api/extract``, ``POST /api/articles``): one worker
thread behind a bounded waiting line, apart from everything else the server does.

Extraction costs seconds of CPU and the pipeline is shared, so requests take turns. Had they
waited for their turn in the server's thread pool, a few dozen of them would hold every
thread and ``/api/health`` would wait behind them. Here a request waits on the event loop,
holding no thread; the line has room for ``capacity`` articles and a request that finds it
full is answered 503 at once (with ``Retry-After``); a text longer than ``max_chars`` is
refused before it waits (413); a request not answered within ``timeout`` seconds, waiting
included, is answered 503 (an article not started by then is never extracted). ``close()``
(when the server is told to stop) answers every waiting request 503 at once, so that
shutting down never waits for a line of extractions.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from ..records import Article, ArticleRecord
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ApiError, error_response

log = logging.getLogger("sitrep.serve")

from .defaults import DEFAULT_CAPACITY, DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT  # noqa: E402 (re-exported)
RETRY_AFTER_SECONDS = 5
EXTRACTING_PATHS = frozenset({"/api/extract", "/api/articles"})


class ShuttingDown(Exception):
    """The server is stopping: the article was not extracted."""


@dataclass
class _Job:
    article: Article
    deadline: float
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


def _default_run(article: Article) -> ArticleRecord:
    from ..extract.pipeline import default_pipeline
    return default_pipeline()(article)


class ExtractionQueue:
    def __init__(self, run: Callable[[Article], ArticleRecord] = _default_run, *,
                 capacity: int = DEFAULT_CAPACITY, timeout: float = DEFAULT_TIMEOUT,
                 max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.run = run
        self.capacity = capacity
        self.timeout = timeout
        self.max_chars = max_chars
        self._line: queue.Queue[_Job | None] = queue.Queue(maxsize=capacity)
        self._running: _Job | None = None
        self._closed = False
        self._lock = threading.Lock()
        # A daemon: a process told to stop must not wait for an extraction under way (the
        # worker writes nothing; the requests that store an article store it afterwards).
        self._worker = threading.Thread(target=self._work, name="sitrep-extraction", daemon=True)
        self._worker.start()

    async def extract(self, article: Article) -> ArticleRecord:
        """The article's record, or an ApiError: 413 (too long), 503 (line full, too slow,
        server stopping); the pipeline's own refusals (not English) are raised as they are."""
        if len(article.text) > self.max_chars:
            raise ApiError(413, f"text: {len(article.text):,} characters, more than the "
                                f"{self.max_chars:,} this server extracts in one request",
                           parameter="text")
        job = _Job(article, time.monotonic() + self.timeout)
        with self._lock:
            if self._closed:
                raise _stopping()
            try:
                self._line.put_nowait(job)
            except queue.Full:
                raise _busy(self.capacity) from None
        try:
            return await asyncio.wait_for(asyncio.wrap_future(job.future), self.timeout)
        except (asyncio.TimeoutError, TimeoutError):
            job.future.cancel()  # not started yet: the worker skips it
            raise ApiError(503, f"extraction took more than {self.timeout:g} s (waiting included); "
                                f"try again later or send a shorter text",
                           headers={"Retry-After": str(RETRY_AFTER_SECONDS)}) from None
        except ShuttingDown:
            raise _stopping() from None

    def busy(self) -> ApiError | None:
        """The answer a new extraction would get now because the line is full or the server
        stopping (None when it would be queued): what ``ExtractionGate`` answers before it
        reads a request's body."""
        if self._closed:
            return _stopping()
        if self._line.full():
            return _busy(self.capacity)
        return None

    def close(self) -> None:
        """Answer every waiting request (and the one being extracted) 503, and stop the worker."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pending = [self._running]
            while True:
                try:
                    pending.append(self._line.get_nowait())
                except queue.Empty:
                    break
        for job in pending:
            if job is not None:
                _settle(job.future, exception=ShuttingDown())
        self._line.put(None)   # room for it: the line was just emptied

    def _work(self) -> None:
        while True:
            job = self._line.get()
            if job is None:
                return
            if time.monotonic() > job.deadline or not job.future.set_running_or_notify_cancel():
                continue   # its request was already answered
            self._running = job
            try:
                _settle(job.future, result=self.run(job.article))
            except BaseException as exc:  # noqa: BLE001 - the request answers it; the worker goes on
                _settle(job.future, exception=exc)
            finally:
                self._running = None


def _settle(future: concurrent.futures.Future, *, result=None, exception: BaseException | None = None) -> None:
    """Give ``future`` its outcome unless it has one (closing and the worker may race)."""
    try:
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(result)
    except (concurrent.futures.InvalidStateError, RuntimeError):
        pass


def _busy(capacity: int) -> ApiError:
    return ApiError(503, f"busy: {capacity} articles are waiting to be extracted; try again in a "
                         f"few seconds", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _stopping() -> ApiError:
    return ApiError(503, "the server is shutting down", headers={"Connection": "close"})


class ExtractionGate:
    """ASGI middleware: an extraction request that the queue would refuse is answered 503
    before its body is read. A flood of large requests then costs the server their headers
    only, not the reading and parsing of every body on the event loop (which made the
    other requests wait)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in EXTRACTING_PATHS:
            refusal = scope["app"].state.extraction.busy()
            if refusal is not None:
                # the body is left unread: the connection is closed after the answer
                response = error_response(refusal.status, refusal.message, {**refusal.headers, "Connection": "close"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


__all__ = ["ExtractionGate", "ExtractionQueue", "ShuttingDown", "DEFAULT_CAPACITY", "DEFAULT_TIMEOUT", "DEFAULT_MAX_CHARS"]
