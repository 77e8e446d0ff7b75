"""Which requests the server answers, by where they come from: what a web page the user
visits could otherwise make the user's browser send to the server on their machine.

- ``HostCheck``: the ``Host`` header must name the server (DNS rebinding: a page served
  from the attacker's name, which then resolves to 127.0.0.1, reaches the server with that
  name in ``Host``). Accepted: the address the server listens on, ``localhost``, the names
  given with ``--allow-host``, and IP addresses (a rebinding needs a name; an address in
  ``Host`` is what the browser connects to): loopback addresses only when the server listens
  on loopback. Anything else is 400.
- ``SameOriginWrites``: a write (POST, PUT, PATCH, DELETE) is refused with 403 when the
  browser says it comes from another site (``Sec-Fetch-Site`` other than ``same-origin`` or
  ``none``, or an ``Origin`` that is not this server's), and with 415 when it carries a
  body that is not JSON: a form on another site can post form fields or plain text without
  the browser asking the server first, but not JSON.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_response

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAME_SITE_FETCH = frozenset({"same-origin", "none"})   # "none": typed by the user, a bookmark


@dataclass(frozen=True)
class HostRule:
    """The ``Host`` names the server answers to (lower case, no port)."""

    names: frozenset[str] = field(default_factory=frozenset)
    loopback_only: bool = True   # which IP addresses: loopback ones only, or any

    @classmethod
    def serving(cls, host: str, extra: tuple[str, ...] | list[str] = ()) -> "HostRule":
        """The rule of a server started on ``host`` (``--host``), with the ``--allow-host`` names."""
        from .security import is_loopback
        names = {"localhost", _hostname(host)} | {_hostname(n) for n in extra if n.strip()}
        return cls(frozenset(names - {""}), loopback_only=is_loopback(host))

    def allows(self, host_header: str) -> bool:
        name = _hostname(host_header)
        if name in self.names:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        return address.is_loopback or not self.loopback_only


def _hostname(value: str) -> str:
    """"Example.org:8000" -> "example.org"; "[::1]:8000" -> "::1"; a trailing dot dropped."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class HostCheck:
    """ASGI middleware: 400 for a ``Host`` the rule does not allow."""

    def __init__(self, app: ASGIApp, rule: HostRule) -> None:
        self.app = app
        self.rule = rule

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _header(scope, b"host")
            # No Host at all is HTTP/1.0 from a tool, never a browser (which a rebinding needs).
            if host is not None and not self.rule.allows(host):
                shown = host if host.isprintable() else repr(host)
                response = error_response(400, f"Host {shown[:100]} is not served here (the server "
                                               "answers to the names given with --allow-host)",
                                          parameter="Host")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SameOriginWrites:
    """ASGI middleware: writes only from the server's own pages (or from tools), in JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITE_METHODS:
            refusal = _refusal(scope)
            if refusal is not None:
                status, message, parameter = refusal
                await error_response(status, message, parameter=parameter)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refusal(scope: Scope) -> tuple[int, str, str] | None:
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None and fetch_site.strip().lower() not in SAME_SITE_FETCH:
        return 403, f"cross-site write refused (Sec-Fetch-Site: {fetch_site.strip()[:40]})", "Sec-Fetch-Site"
    origin = _header(scope, b"origin")
    if origin is not None and not _same_origin(origin, scope.get("scheme", "http"), _header(scope, b"host") or ""):
        return 403, f"cross-site write refused (Origin: {origin.strip()[:100]})", "Origin"
    media = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and (media or _has_body(scope)):
        return 415, "a write takes a JSON body (Content-Type: application/json)", "Content-Type"
    return None


def _same_origin(origin: str, scheme: str, host: str) -> bool:
    """Whether the ``Origin`` header names the server the request reached (``scheme``, ``Host``)."""
    if origin.strip().lower() == "null":   # sandboxed frames, file: pages, some redirects
        return False
    parts = urlsplit(origin.strip().lower())
    default = {"http": 80, "https": 443}.get(scheme)
    try:
        origin_port = parts.port or default
    except ValueError:
        return False
    host = host.strip().lower()
    host_name = _hostname(host)
    tail = host.rsplit("]", 1)[-1] if host.startswith("[") else host
    host_port = int(tail.rsplit(":", 1)[1]) if ":" in tail and tail.rsplit(":", 1)[1].isdigit() else default
    return parts.scheme == scheme and parts.hostname == host_name and origin_port == host_port


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return _header(scope, b"transfer-encoding") is not None


__all__ = ["HostCheck", "HostRule", "SameOriginWrites"]
