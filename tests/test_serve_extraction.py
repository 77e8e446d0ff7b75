"""The server's extraction queue: bounded (503 when full), a size limit (413), a time limit
(503), answered at once when the server stops, and never in the way of the other routes."""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from sitrep.records import Article, ArticleRecord
from sitrep.serve import create_app
from sitrep.serve.errors import ApiError
from sitrep.serve.extraction import ExtractionQueue
from sitrep.store import open_store

TEXT = "Shelling killed two people in Aleppo on Monday, the monitor said."


class Blocking:
    """A stand-in extractor that holds each article until released, counting what it ran."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.ran: list[str] = []

    def __call__(self, article: Article) -> ArticleRecord:
        self.ran.append(article.article_id)
        self.started.set()
        assert self.release.wait(30), "never released"
        return ArticleRecord(article.article_id, article.published, [])


def _article(n: int, text: str = TEXT) -> Article:
    return Article(f"a-{n}", text, published="2024-01-02")


async def _outcome(q: ExtractionQueue, article: Article):
    try:
        return await q.extract(article)
    except ApiError as exc:
        return exc


def test_full_line_is_503_at_once_and_the_rest_are_extracted_in_turn():
    run = Blocking()
    q = ExtractionQueue(run, capacity=2, timeout=30)

    async def main():
        first = asyncio.ensure_future(_outcome(q, _article(1)))
        await asyncio.get_running_loop().run_in_executor(None, run.started.wait, 10)
        waiting = [asyncio.ensure_future(_outcome(q, _article(n))) for n in (2, 3)]
        await asyncio.sleep(0)
        started = time.monotonic()
        refused = await _outcome(q, _article(4))
        assert time.monotonic() - started < 5   # not queued: answered at once
        run.release.set()
        return refused, await first, await asyncio.gather(*waiting)

    refused, first, waited = asyncio.run(main())
    q.close()
    assert isinstance(refused, ApiError) and refused.status == 503 and "busy" in refused.message
    assert refused.headers["Retry-After"]
    assert first.article_id == "a-1" and [r.article_id for r in waited] == ["a-2", "a-3"]
    assert run.ran == ["a-1", "a-2", "a-3"]


def test_too_long_text_is_413_naming_it_and_never_queued():
    run = Blocking()
    q = ExtractionQueue(run, max_chars=100)
    refused = asyncio.run(_outcome(q, _article(1, "word " * 100)))
    q.close()
    assert refused.status == 413 and refused.parameter == "text" and "500 characters" in refused.message
    assert run.ran == []


def test_time_limit_is_503_and_an_article_past_it_is_never_started():
    run = Blocking()
    q = ExtractionQueue(run, capacity=4, timeout=0.5)

    async def main():
        return await asyncio.gather(_outcome(q, _article(1)), _outcome(q, _article(2)))

    late = asyncio.run(main())
    assert [getattr(r, "status", None) for r in late] == [503, 503]
    assert "took more than 0.5 s" in late[0].message
    run.release.set()
    time.sleep(0.3)   # the worker finishes a-1, then finds a-2 past its time
    q.close()
    assert run.ran == ["a-1"]


def test_close_answers_the_waiting_requests_at_once():
    run = Blocking()
    q = ExtractionQueue(run, capacity=8, timeout=60)

    async def main():
        pending = [asyncio.ensure_future(_outcome(q, _article(n))) for n in range(5)]
        await asyncio.get_running_loop().run_in_executor(None, run.started.wait, 10)
        started = time.monotonic()
        q.close()
        done = await asyncio.gather(*pending)
        return done, time.monotonic() - started

    done, took = asyncio.run(main())
    run.release.set()
    assert took < 5 and all(r.status == 503 and "shutting down" in r.message for r in done)
    assert run.ran == ["a-0"]
    assert asyncio.run(_outcome(q, _article(9))).status == 503   # and after


def test_other_routes_answer_while_extraction_is_full(tmp_path):
    """The worker busy, the line full and more requests refused: health and reads answer."""
    path = str(tmp_path / "x.db")
    open_store(path).close()
    run = Blocking()
    app = create_app(path, token=None, require_token=False, extract_queue=2)
    app.state.extraction.close()
    app.state.extraction = ExtractionQueue(run, capacity=2, timeout=60)
    body = {"text": TEXT, "published": "2024-01-02"}
    with TestClient(app) as c, ThreadPoolExecutor(48) as pool:
        posts = [pool.submit(c.post, "/api/extract", json=body) for _ in range(45)]
        assert run.started.wait(30)
        deadline = time.monotonic() + 60
        while sum(f.done() for f in posts) < 42:   # refused without waiting for the worker
            assert time.monotonic() < deadline, sum(f.done() for f in posts)
            time.sleep(0.05)
        for _ in range(5):
            assert c.get("/api/health").status_code == 200
            assert c.get("/api/incidents").status_code == 200
        run.release.set()
        answers = [f.result(60) for f in posts]
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(200) == 3 and statuses.count(503) == 42, statuses
    assert all(r.json()["error"]["message"].startswith("busy") for r in answers if r.status_code == 503)


@pytest.mark.parametrize("route", ["/api/extract", "/api/articles"])
def test_the_size_limit_applies_to_both_routes(tmp_path, route):
    path = str(tmp_path / "x.db")
    open_store(path).close()
    with TestClient(create_app(path, token=None, require_token=False, max_extract_chars=50)) as c:
        r = c.post(route, json={"text": TEXT, "published": "2024-01-02"})
    assert r.status_code == 413 and r.json()["error"]["parameter"] == "text"


def test_a_full_line_refuses_before_reading_the_body(tmp_path):
    """Answered 503 from the headers alone: even a body that is not JSON is never parsed."""
    path = str(tmp_path / "x.db")
    open_store(path).close()
    run = Blocking()
    app = create_app(path, token=None, require_token=False)
    app.state.extraction.close()
    app.state.extraction = ExtractionQueue(run, capacity=1, timeout=60)
    with TestClient(app) as c, ThreadPoolExecutor(2) as pool:
        body = {"text": TEXT, "published": "2024-01-02"}
        running = pool.submit(c.post, "/api/extract", json=body)
        assert run.started.wait(30)
        waiting = pool.submit(c.post, "/api/extract", json=body)
        deadline = time.monotonic() + 30
        while not app.state.extraction.busy():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        for route in ("/api/extract", "/api/articles"):
            r = c.post(route, content=b"not json at all", headers={"Content-Type": "application/json"})
            assert r.status_code == 503 and r.headers["Retry-After"] and r.json()["error"]["message"].startswith("busy")
        run.release.set()
        assert running.result(30).status_code == 200 and waiting.result(30).status_code == 200
