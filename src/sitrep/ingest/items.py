"""One input item (a JSON object, a CSV row, a feed entry, a page) to an Article.

Every reader ends here, so field aliases, text repair and the choice of publication date
(dateline, then metadata, then the caller's option) are decided once for all formats.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..records import Article
from .datelines import find_dateline, parse_date
from .encoding import repair_text
from .errors import IngestError

# Field names readers accept, best first. FA-KES's layout (unit_id, article_title,
# article_content, source, date) is covered by these too.
ID_FIELDS = ("id", "article_id", "unit_id", "guid", "uid", "uuid")
TITLE_FIELDS = ("title", "article_title", "headline")
TEXT_FIELDS = ("text", "content", "body", "article_content", "article_text", "full_text",
               "maintext", "description")
DATE_FIELDS = ("published", "date", "published_at", "publication_date", "date_published",
               "datepublished", "pubdate", "publish_date", "published_date")
OUTLET_FIELDS = ("outlet", "source", "publisher", "source_name", "site", "site_name")

# The longest text read as one article. spaCy refuses longer ones (after minutes and most of
# a gigabyte), and an "article" this long is a document dump: it is refused here, where
# --max-bytes refuses large files, with a message saying what to do.
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class Defaults:
    """What the caller supplies for items that lack it (the CLI's --published, --outlet)."""

    published: str | None = None  # ISO already
    outlet: str | None = None


def pick(fields: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    """The first non-empty value among names; keys compare case-insensitively."""
    lowered = {str(k).strip().lower(): v for k, v in fields.items()}
    for name in names:
        value = lowered.get(name)
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        if isinstance(value, (list, dict)) and not value:
            continue
        return value
    return None


def has_text_field(names: list[str]) -> bool:
    lowered = {n.strip().lower() for n in names}
    return any(f in lowered for f in TEXT_FIELDS)


def make_article(
    fields: Mapping[str, Any],
    *,
    fallback_id: str,
    source: str,
    defaults: Defaults,
    date_fallback: str | None = None,
) -> Article | IngestError:
    """An Article from an item's fields, or an IngestError naming what is missing."""
    raw_text = _as_text(pick(fields, TEXT_FIELDS))
    if len(raw_text) > MAX_TEXT_CHARS:  # checked before the repair, which costs time on such a text
        return IngestError(source, f"text is {len(raw_text):,} characters, more than the "
                                   f"{MAX_TEXT_CHARS:,} read as one article: split it into articles")
    text = repair_text(raw_text)
    if not text:
        return IngestError(source, "no text (expected a 'text', 'content' or 'body' field)")
    raw_title = pick(fields, TITLE_FIELDS)
    title = repair_text(_as_text(raw_title)) or None
    raw_id = pick(fields, ID_FIELDS)
    article_id = _as_text(raw_id).strip() or fallback_id
    outlet = repair_text(_as_text(_outlet_name(pick(fields, OUTLET_FIELDS)))) or defaults.outlet
    metadata_date = _as_text(pick(fields, DATE_FIELDS)) or None
    published, published_from = choose_published(
        text, title, metadata_date, defaults.published, date_fallback)
    return Article(
        article_id=article_id,
        text=text,
        title=title,
        published=published,
        outlet=outlet,
        source=source,
        published_from=published_from,
    )


def choose_published(
    text: str,
    title: str | None,
    metadata: str | None,
    option: str | None,
    metadata_fallback: str | None = None,
) -> tuple[str | None, str | None]:
    """The publication date and where it came from.

    The printed dateline wins: aggregated data sets often carry the crawl date as metadata.
    metadata_fallback is a second reading of the metadata (a feed parser's), used only when
    the raw value cannot be parsed.
    """
    dateline = find_dateline(text, title)
    if dateline:
        return dateline[0], "dateline"
    parsed = (parse_date(metadata) if metadata else None) or (
        parse_date(metadata_fallback) if metadata_fallback else None)
    if parsed:
        return parsed, "metadata"
    if option:
        return option, "option"
    return None, None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        # Some exports give the body as a list of paragraphs.
        return "\n".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return _as_text(value.get("text") or value.get("value") or value.get("name"))
    return str(value)


def _outlet_name(value: Any) -> Any:
    # NewsAPI and similar give {"id": ..., "name": ...} for the source.
    if isinstance(value, dict):
        return value.get("name") or value.get("title") or value.get("id")
    return value
