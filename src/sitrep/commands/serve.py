"""`sitrep serve`: the web page and the HTTP API over the database.

    sitrep serve [--db URL] [--host 127.0.0.1] [--port 8000] [--max-body BYTES] [--allow-host NAME]...
                 [--extract-queue N] [--extract-timeout SECONDS] [--max-extract-chars N]

Brings the incident index up to date (a large database takes a while the first time), then
serves until interrupted. Listening beyond the loopback interface (``--host 0.0.0.0``),
writes through the API need ``Authorization: Bearer $SITREP_TOKEN``; without SITREP_TOKEN
they are refused. Requests whose ``Host`` names neither the address served nor an
``--allow-host`` name are refused (DNS rebinding), and so are writes from other sites'
pages (sitrep.serve.origin). A SQLite file that does not exist is an error (exit 2), as
for `sitrep incidents`. SIGTERM or Ctrl-C stops it within a few seconds: articles waiting to
be extracted are answered 503, and requests still open after ``SHUTDOWN_SECONDS`` are cut.
"""
from __future__ import annotations

import os
import re
from typing import TextIO

DEFAULT_MAX_BODY = 1_048_576   # bytes; create_app's default too
SHUTDOWN_SECONDS = 3   # how long a stop waits for open requests (a large export) before cutting them
from . import DB_HELP, database_errors, database_failure, open_existing_store, whole_number
from .helptext import examples


def register(subparsers) -> None:
    # the server's modules (FastAPI and all) are imported when the command runs, not here
    p = subparsers.add_parser(
        "serve", help="serve the web page and the HTTP API over the database",
        description="Serve the reconciled incidents: a web page (map, timeline, filters, each "
                    "incident with its claims and evidence, outlets, checking a new article) and "
                    "the JSON API it reads (/api/...; the schema at /openapi.json). Listening "
                    "beyond loopback, writes need the header 'Authorization: Bearer "
                    "$SITREP_TOKEN' (and are refused when SITREP_TOKEN is not set). Ctrl-C stops it.",
        epilog=examples("sitrep serve --db sitrep.db",
                        "sitrep serve --db postgresql://localhost/news --port 8080",
                        "SITREP_TOKEN=secret sitrep serve --host 0.0.0.0"))
    p.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=whole_number("a port number", 0, 65535), default=8000, help="the port (default 8000)")
    p.add_argument("--max-body", type=whole_number("a number of bytes", 1), default=DEFAULT_MAX_BODY, metavar="BYTES",
                   help=f"refuse request bodies larger than this (default {DEFAULT_MAX_BODY:,})")
    from ..serve.defaults import DEFAULT_CAPACITY, DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests for this host name (repeatable): the name clients "
                        "use when it is not the --host address (default: that address, localhost "
                        "and IP addresses only, against DNS rebinding)")
    p.add_argument("--extract-queue", type=whole_number("a number of articles", 1), default=DEFAULT_CAPACITY,
                   metavar="N", help=f"articles that may wait to be extracted (POST /api/extract, "
                                     f"/api/articles); more are answered 503 (default {DEFAULT_CAPACITY})")
    p.add_argument("--extract-timeout", type=whole_number("a number of seconds", 1), default=int(DEFAULT_TIMEOUT),
                   metavar="SECONDS", help=f"answer 503 to an extraction not done within this, waiting "
                                           f"included (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--max-extract-chars", type=whole_number("a number of characters", 1),
                   default=DEFAULT_MAX_CHARS, metavar="N",
                   help=f"refuse (413) texts longer than this for extraction (default {DEFAULT_MAX_CHARS:,})")
    p.set_defaults(func=cmd_serve)


def shown_db(url: str | None) -> str:
    """The database as the banner names it (a PostgreSQL password left out)."""
    from ..store.db import parse_url
    dialect, target = parse_url(url)
    if dialect == "sqlite":
        return target
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1@", target)


def cmd_serve(args, out: TextIO, err: TextIO) -> int:
    from ..serve import create_app
    from ..serve.origin import HostRule
    from ..serve.security import is_loopback, parse_reviewers

    try:
        open_existing_store(args.db).close()   # a missing SQLite file is an error, not a new database
        token = os.environ.get("SITREP_TOKEN") or None
        public = not is_loopback(args.host)
        reviewers = parse_reviewers(os.environ.get("SITREP_REVIEWERS"))
        app = create_app(args.db, token=token, require_token=public, max_body=args.max_body,
                         reviewers=reviewers, hosts=HostRule.serving(args.host, args.allow_host),
                         extract_queue=args.extract_queue, extract_timeout=args.extract_timeout,
                         max_extract_chars=args.max_extract_chars)
    except database_errors() as exc:
        return database_failure(exc, err)
    except ValueError as exc:
        print(f"error: {exc}", file=err)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"sitrep: serving {shown_db(args.db)} at http://{host}:{args.port}/", file=out, flush=True)
    if public and not token:
        print("note: listening beyond loopback without SITREP_TOKEN: writes through the API are "
              "refused", file=err, flush=True)
    import uvicorn
    server = _server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning",
                                    access_log=False, server_header=False,
                                    timeout_graceful_shutdown=SHUTDOWN_SECONDS),
                     on_stop=app.state.extraction.close)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot listen (it has said why)
        print(f"error: cannot serve on {host}:{args.port}", file=err)
        return 2 if exc.code else 0
    if not server.started:
        print(f"error: cannot serve on {host}:{args.port}", file=err)
        return 2
    print("sitrep: stopped", file=out, flush=True)
    return 0


def _server(config, on_stop=None):
    """A uvicorn server for ``config`` (uvicorn imported only when serving); ``on_stop()`` is
    called as soon as it is told to stop, before it waits for open requests."""
    import contextlib
    import signal
    import threading

    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, but Ctrl-C or SIGTERM is the normal end of `sitrep serve`: after
        the graceful shutdown the command exits 0, where uvicorn raises the signal again and
        the process dies of it (which `make demo` reports as a failure)."""

        @contextlib.contextmanager
        def capture_signals(self):
            if threading.current_thread() is not threading.main_thread():
                yield  # signals reach the main thread only (a server run from a test thread)
                return
            handled = (signal.SIGINT, signal.SIGTERM)
            original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

        async def shutdown(self, sockets=None) -> None:
            # in the event loop, not the signal handler, which may interrupt the queue's own locks
            if on_stop is not None:
                on_stop()   # the requests waiting for an extraction are answered now, not after it
            await super().shutdown(sockets)

    return Server(config)
