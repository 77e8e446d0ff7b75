"""The HTTP API and the web page over the incident database, as one FastAPI application.

    from sitrep.serve import create_app
    app = create_app("sitrep.db", token=None, require_token=False)   # then: uvicorn.run(app)

Every answer is JSON (errors too: :mod:`.errors`), compressed when large; the page's files
come from ``static/``. The routes are listed in the README and in ``/openapi.json``; the
interactive /docs and /redoc pages are off (they load scripts from a CDN, which the page's
Content-Security-Policy forbids, and nothing here reaches the network).
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from . import errors, extraction, pages
from .origin import HostCheck, HostRule, SameOriginWrites
from .routes import articles, check, exports, health, incidents, outlets, review
from .security import BodyLimit, SecurityHeaders
from .service import Service

DEFAULT_MAX_BODY = 1_048_576
GZIP_MIN_BYTES = 1024
# Answers are compressed as they go out: level 1 takes a third of the time of level 5 for a
# quarter more bytes, the better trade for a server on the analyst's machine or network
# (the large answers that are asked for again are cached compressed harder: routes.Body).
GZIP_LEVEL = 1


def create_app(db_url: str | None, *, token: str | None, require_token: bool,
               max_body: int = DEFAULT_MAX_BODY, static_dir: str | Path | None = None,
               reviewers: dict[str, str] | None = None, hosts: HostRule | None = None,
               extract_queue: int = extraction.DEFAULT_CAPACITY,
               extract_timeout: float = extraction.DEFAULT_TIMEOUT,
               max_extract_chars: int = extraction.DEFAULT_MAX_CHARS) -> FastAPI:
    """The application over the database at ``db_url`` (as ``--db``).

    ``require_token``: writes need ``Authorization: Bearer <token>`` (the server listens
    beyond loopback); with no ``token`` they are refused. ``max_body``: the largest request
    body in bytes. ``static_dir``: where the page's files are (default: the package's).
    ``reviewers``: {token: reviewer name}, each a write token naming its reviewer.
    ``hosts``: the ``Host`` names answered (:class:`.origin.HostRule`; None: any, as in tests).
    ``extract_queue``, ``extract_timeout``, ``max_extract_chars``: the extraction queue's
    room, its time limit per request (seconds) and the longest text it takes (:mod:`.extraction`).
    The incident index is brought up to date here, so that errors of the database surface
    to the caller before anything is served.
    """
    service = Service(db_url)
    service.refresh_now()
    extractions = extraction.ExtractionQueue(capacity=extract_queue, timeout=extract_timeout,
                                             max_chars=max_extract_chars)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        extractions.close()
        service.close()

    from .. import __version__
    app = FastAPI(title="sitrep", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Reconciled conflict incidents with their sources and evidence.")
    app.state.service = service
    app.state.extraction = extractions
    app.state.write_token = token or None
    app.state.require_token = bool(require_token)
    app.state.reviewers = dict(reviewers or {})
    errors.install(app)
    for module in (health, incidents, review, articles, outlets, exports, check):
        app.include_router(module.router)
    pages.mount(app, static_dir)
    # added last = outermost: the security headers go on every answer, the 413 included
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(extraction.ExtractionGate)
    app.add_middleware(SameOriginWrites)
    if hosts is not None:
        app.add_middleware(HostCheck, rule=hosts)
    app.add_middleware(SecurityHeaders)
    return app


__all__ = ["create_app", "DEFAULT_MAX_BODY"]
