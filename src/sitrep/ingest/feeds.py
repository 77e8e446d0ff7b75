"""RSS and Atom feeds: one item per entry, text stripped of its HTML."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


from .html import html_to_text

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)


@dataclass
class FeedEntry:
    number: int  # 1-based position in the feed
    fields: dict[str, Any]  # id, title, text, published (raw string), outlet
    date_fallback: str | None  # feedparser's own reading (in UTC), if the raw one fails


@dataclass
class FeedProblem:
    reason: str


def looks_like_feed(head: str) -> bool:
    """True when a document's root element is rss, feed (Atom) or rdf:RDF (RSS 1.0)."""
    return bool(_FEED_ROOT.search(head[:4096]))


def read_feed(data: bytes) -> FeedProblem | list[FeedEntry]:
    """The entries of a feed, or the reason it cannot be read as one."""
    import feedparser  # here, not at import: most inputs are not feeds

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            return FeedProblem(f"malformed feed ({parsed.get('bozo_exception')})")
        return FeedProblem("feed has no items")
    outlet = parsed.feed.get("title")
    return list(_entries(parsed.entries, outlet))


def _entries(entries: list[Any], outlet: str | None) -> Iterator[FeedEntry]:
    for number, entry in enumerate(entries, start=1):
        fields = {
            "id": entry.get("id") or entry.get("link"),
            "title": html_to_text(entry.get("title") or ""),
            "text": html_to_text(_body(entry)),
            "published": entry.get("published") or entry.get("updated") or entry.get("created"),
            "outlet": (entry.get("source") or {}).get("title") or outlet,
        }
        yield FeedEntry(number, fields, _struct_date(entry))


def _body(entry: Any) -> str:
    """The fullest text an entry carries: content:encoded / Atom content, else the summary."""
    contents = [c.get("value") or "" for c in entry.get("content") or []]
    best = max(contents, key=len, default="")
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _struct_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return None
