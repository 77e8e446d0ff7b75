"""The value types of the API's parameters and body fields, bounded so that no value a
client can send reaches the database or Python in a form they refuse (a 500).

- Whole numbers stop at the largest the databases store (2^63 - 1, a signed 64-bit
  integer); larger ones are a 422 naming the parameter, not an overflow inside the driver.
- Strings of a JSON body must not hold NUL (422); they may hold a lone UTF-16 surrogate (``"\\ud800"``), which no encoder
  accepts: it is replaced by U+FFFD, as ``sitrep ingest`` replaces it when it reads a file
  (one character for one, so evidence offsets still point into the text the client holds).
"""
from __future__ import annotations

import math
import re
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BeforeValidator, Field

MAX_INT = 2**63 - 1

_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (nested ones too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def _no_nul(value: str) -> str:
    # the databases refuse NUL in text (PostgreSQL always, SQLite's text functions stop at it)
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# A string field of a JSON body.
Text = Annotated[str, AfterValidator(without_surrogates), AfterValidator(_no_nul)]
# A field of any JSON value (a correction's value): its strings cleaned, its numbers bounded.
AnyValue = Annotated[Any, BeforeValidator(lambda v: _bounded(without_surrogates(v)))]
# Ids in bodies (stored incidents' pks, an incident id).
BodyId = Annotated[int, Field(ge=0, le=MAX_INT)]


def _bounded(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):  # Python's JSON reads NaN, Infinity
        raise ValueError("a finite number")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise ValueError(f"a whole number of at most {MAX_INT}")
    if isinstance(value, list):
        return [_bounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _bounded(v) for k, v in value.items()}
    return value


def path_id(description: str):
    """A path parameter that is a database id."""
    return Path(ge=0, le=MAX_INT, description=description)


def count_query(description: str | None = None, *, ge: int = 0, le: int = MAX_INT):
    """A query parameter that is a whole number (an offset, a minimum)."""
    return Query(ge=ge, le=le, description=description)


__all__ = ["AnyValue", "BodyId", "MAX_INT", "Text", "count_query", "path_id", "without_surrogates"]
