"""The API's routes, one module per resource. Each route gets the :class:`~sitrep.serve.service.Service`
through :func:`service` and asks it for a store inside its own body (a store belongs to the
worker thread that runs the route; FastAPI may run a dependency in another)."""
from __future__ import annotations

import json
import zlib
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import Response

from ..service import Service

GZIP_MIN_BYTES = 1024
CACHED_GZIP_LEVEL = 5   # a cached answer is compressed once, so harder than the middleware does


async def service(request: Request) -> Service:
    return request.app.state.service


def json_bytes(value: Any) -> bytes:
    """Compact JSON, as the responses carry it (the caches keep these bytes)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="application/json")


class Body:
    """A cached JSON answer and, once a client has asked for it, its gzip form."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._gz: bytes | None = None

    def gz(self) -> bytes:
        if self._gz is None:
            c = zlib.compressobj(CACHED_GZIP_LEVEL, zlib.DEFLATED, 31)   # 31: the gzip container
            self._gz = c.compress(self.raw) + c.flush()
        return self._gz


def cached_json(request: Request, svc: Service, store, key: tuple, make: Callable[[], Any]) -> Response:
    """The JSON of ``make()``, kept for the index version (the map's points and the timeline
    are large and asked for again and again); sent compressed when the client accepts it
    (the GZip middleware leaves an answer that is already encoded alone)."""
    body: Body = svc.cached(store, key, lambda: Body(json_bytes(make())))
    if len(body.raw) >= GZIP_MIN_BYTES and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(body.gz(), media_type="application/json",
                        headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return json_response(body.raw)
