"""An article sent to the API (``POST /api/extract``, ``POST /api/articles``): the JSON body
and its extraction.

The text is extracted as given, so that the evidence offsets of the record point into the
text the client holds. Extraction runs in the server's extraction queue, one article at a
time (the pipeline is shared).
"""
from __future__ import annotations

import datetime as dt

from fastapi import Request

from pydantic import BaseModel, Field, field_validator

from ..records import Article, ArticleRecord
from ..store import content_hash
from .errors import ApiError
from .fields import Text


class ArticleIn(BaseModel):
    text: Text = Field(description="the article's text (plain text)")
    published: Text = Field(description="publication date, YYYY-MM-DD: relative dates resolve against it")
    title: Text | None = None
    outlet: Text | None = None
    article_id: Text | None = Field(None, description="the article's own id (default: from its text)")

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("published")
    @classmethod
    def _published(cls, v: str) -> str:
        try:
            return dt.date.fromisoformat(v.strip()).isoformat()
        except ValueError:
            raise ValueError(f"not a date (YYYY-MM-DD): {v!r}") from None


def to_article(body: ArticleIn) -> Article:
    aid = (body.article_id or "").strip() or f"api-{content_hash(body.text)[:16]}"
    return Article(article_id=aid, text=body.text, title=(body.title or "").strip() or None,
                   published=body.published, outlet=(body.outlet or "").strip() or None,
                   source="api", published_from="metadata")


async def extract(request: Request, article: Article) -> ArticleRecord:
    """The article's record, from the server's extraction queue (:mod:`.extraction`); a text
    the extractor refuses (not English) is a 422."""
    from ..extract.pipeline import NotEnglish
    try:
        return await request.app.state.extraction.extract(article)
    except NotEnglish as exc:
        raise ApiError(422, f"text: {exc}", parameter="text") from None


__all__ = ["ArticleIn", "to_article", "extract"]
