"""What keeps the server safe to run: response headers, a body limit, and the write token.

- Every response carries a Content-Security-Policy that allows the page's own files only (no
  inline script or style, no other origin), ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: no-referrer``.
- A request body larger than the limit is refused with 413 before the application sees it:
  at once when ``Content-Length`` says so, else as soon as the streamed (chunked) body passes
  the limit. The body is buffered (it is at most the limit) and handed on whole.
- Writes (``POST /api/articles``, ``POST /api/link``) need ``Authorization: Bearer <token>``
  equal to ``SITREP_TOKEN`` when the server listens beyond the loopback interface: 401 when
  the header is missing or wrong, 403 when no token is configured (writes are then off).
  On loopback the machine's own users may write without one.
- Review writes (corrections, merge, split, review) name their reviewer: a reviewer's own
  token (``SITREP_REVIEWERS="ana:TOKEN1,ben:TOKEN2"``) names them and lets them make review
  writes (not other writes) without the shared token; otherwise (the shared token, or loopback) the header ``X-Sitrep-Reviewer`` does
  (URL-encoded, so that any name fits in a header); with neither, 422.
"""
from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import unquote

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_NAMES = {name for name, _ in SECURITY_HEADERS}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (what the server binds to) is reachable from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name that may resolve anywhere: treat it as public


class SecurityHeaders:
    """ASGI middleware: the security headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message["headers"] = headers + list(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large_message(limit: int) -> str:
    return f"request body too large: the limit is {limit} bytes"


class BodyLimit:
    """ASGI middleware: refuse request bodies larger than ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0  # the server rejects a malformed length itself
                if declared > self.max_body:
                    await self._refuse(scope, receive, send)
                    return
        chunks: list[bytes] = []
        size = 0
        first: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                first = message  # the client went away: let the application see it
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                await self._refuse(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                if first is not None:
                    return first
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from .errors import error_response
        response = error_response(413, too_large_message(self.max_body), {"Connection": "close"})
        await response(scope, receive, send)


def check_writer(request: Request) -> None:
    """FastAPI dependency of the routes that write: the token rule above."""
    from .errors import ApiError
    state = request.app.state
    if not state.require_token:
        return
    token = state.write_token
    if not token:
        raise ApiError(403, "writes are disabled: set SITREP_TOKEN")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "a write needs the header 'Authorization: Bearer <SITREP_TOKEN>'",
                       headers={"WWW-Authenticate": "Bearer"})


def parse_reviewers(text: str | None) -> dict[str, str]:
    """``SITREP_REVIEWERS`` ("name:token,name:token") as {token: name}; ValueError when malformed."""
    out: dict[str, str] = {}
    for entry in (text or "").split(","):
        if not entry.strip():
            continue
        name, sep, token = entry.strip().rpartition(":")
        if not sep or not name.strip() or len(token.strip()) < 8:
            raise ValueError(f"SITREP_REVIEWERS: {entry.strip()!r} is not 'name:token' "
                             "(a token of at least 8 characters)")
        out[token.strip()] = name.strip()
    return out


def _bearer(request: Request) -> str:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def check_reviewer(request: Request) -> str:
    """FastAPI dependency of the review writes: who writes (the rule above), or 401/403/422."""
    from .errors import ApiError
    given = _bearer(request).encode()
    for token, name in (getattr(request.app.state, "reviewers", None) or {}).items():
        if given and hmac.compare_digest(given, token.encode()):
            return name
    check_writer(request)
    name = unquote(request.headers.get("x-sitrep-reviewer", "")).strip()
    if not name or len(name) > 100:
        raise ApiError(422, "name the reviewer: the header 'X-Sitrep-Reviewer: <name>' (1 to 100 "
                            "characters), or a reviewer's own token", parameter="X-Sitrep-Reviewer")
    return name


__all__ = ["CSP", "check_reviewer", "parse_reviewers", "SECURITY_HEADERS", "SecurityHeaders", "BodyLimit", "check_writer", "is_loopback",
           "too_large_message"]
