"""JSON and JSON Lines: the shapes articles come in, and the errors when they do not."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .items import has_text_field

# Keys under which a JSON document may hold its list of articles.
_LIST_KEYS = ("articles", "items", "entries", "data", "results")


@dataclass
class JsonItem:
    label: str  # "" for a document that is one article, "item 3", "line 7"
    number: int  # 1-based position, for ids of items that have none
    value: Any


@dataclass
class JsonProblem:
    label: str  # "" for the whole file
    reason: str


def describe_error(e: json.JSONDecodeError, document: str) -> str:
    """'truncated JSON (line 3, column 10)' when the text ends early, else the parser's words."""
    where = f"line {e.lineno}, column {e.colno}"
    if e.msg.startswith("Unterminated string"):
        return f"truncated JSON (a string starting at {where} never ends)"
    if e.pos >= len(document.rstrip()):
        return f"truncated JSON ({where})"
    return f"invalid JSON: {e.msg} ({where})"


def read_json(text: str) -> Iterator[JsonItem | JsonProblem]:
    """The article objects of a JSON document (an object, a list, or {"articles": [...]})."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and text.lstrip().startswith("{"):
            # One object per line in a file named .json: read it as JSON Lines.
            yield from read_json_lines(text)
            return
        yield JsonProblem("", describe_error(e, text))
        return
    except (ValueError, RecursionError) as e:  # nesting too deep, an integer too long
        yield JsonProblem("", f"invalid JSON ({e or type(e).__name__})")
        return
    items = _article_list(data)
    if items is None:
        if isinstance(data, dict):
            yield JsonItem("", 1, data)
        else:
            yield JsonProblem("", f"expected an article object or a list of them, found {_kind(data)}")
        return
    for number, value in enumerate(items, start=1):
        label = f"item {number}"
        if isinstance(value, dict):
            yield JsonItem(label, number, value)
        else:
            yield JsonProblem(label, f"expected an article object, found {_kind(value)}")


def read_json_lines(text: str) -> Iterator[JsonItem | JsonProblem]:
    """One article object per line; a bad line is reported and the others still come."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label = f"line {number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as e:
            yield JsonProblem(label, describe_error(e, line).replace("line 1, column", "column"))
            continue
        except (ValueError, RecursionError) as e:
            yield JsonProblem(label, f"invalid JSON ({e or type(e).__name__})")
            continue
        if isinstance(value, dict):
            yield JsonItem(label, number, value)
        else:
            yield JsonProblem(label, f"expected an article object, found {_kind(value)}")


def count_json(text: str) -> int | None:
    """How many articles the document holds; None when it cannot be parsed (reading it
    reports why)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # broken, nesting too deep, an integer too long
        return None
    items = _article_list(data)
    return len(items) if items is not None else 1


def _article_list(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and not has_text_field(list(data)):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
    return None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")
