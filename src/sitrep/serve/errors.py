"""Every error the API answers, as JSON: ``{"error": {"status": code, "message": "..."}}``.

Validation errors (422) also name the offending ``parameter`` (a query parameter, a path
parameter or a field of the JSON body) so that the page can point at it.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .security import SECURITY_HEADERS

log = logging.getLogger("sitrep.serve")

REASONS = {400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
           405: "method not allowed", 413: "request body too large", 422: "invalid request",
           500: "internal error"}


class ApiError(Exception):
    """Raised by a route to answer ``status`` with ``message`` (and ``parameter`` for a 422)."""

    def __init__(self, status: int, message: str, *, parameter: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter
        self.headers = dict(headers or {})


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None,
                   **extra: Any) -> JSONResponse:
    body = {"error": {"status": status, "message": message, **extra}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _parameter(loc: tuple | list) -> str:
    """The name a validation error's location stands for: ("query", "min_killed") -> min_killed."""
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) if parts else "body"


def _validation_message(err: dict) -> tuple[str, str]:
    param = _parameter(err.get("loc") or ())
    if err.get("type") == "json_invalid":
        return "body", f"body: not valid JSON ({err.get('ctx', {}).get('error', 'parse error')})"
    msg = str(err.get("msg") or "invalid value")
    return param, f"{param}: {msg}"


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as JSON."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        extra = {"parameter": exc.parameter} if exc.parameter else {}
        return error_response(exc.status, exc.message, exc.headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        found = [_validation_message(e) for e in exc.errors()]
        if not found:  # pragma: no cover - FastAPI always lists at least one
            return error_response(422, "invalid request")
        param, message = found[0]
        return error_response(422, message, parameter=param,
                              errors=[{"parameter": p, "message": m} for p, m in found])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        if status == 404 and exc.detail in (None, "Not Found"):
            message = f"not found: {request.url.path}"
        elif status == 405 and exc.detail in (None, "Method Not Allowed"):
            message = f"method {request.method} not allowed on {request.url.path}"
        else:
            message = str(exc.detail) if exc.detail else REASONS.get(status, "error")
        return error_response(status, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        # This handler runs outside the middleware stack (Starlette's ServerErrorMiddleware),
        # so the security headers are set here as well.
        log.exception("error answering %s %s", request.method, request.url.path)
        return error_response(500, "internal error (see the server's log)",
                              {k.decode(): v.decode() for k, v in SECURITY_HEADERS})


__all__ = ["ApiError", "error_response", "install"]
