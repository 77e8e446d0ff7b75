"""The store's data classes built in memory from extractor output, without a database.

For tests, the benchmark and any caller that has ``(Article, ArticleRecord)`` pairs at hand:
``stored_from_records(pairs)`` numbers articles and incidents as a store would (pk from 1) and
returns ``(articles, incidents)``.
"""
from __future__ import annotations

import hashlib
from typing import Iterable

from ..records import Article, ArticleRecord
from ..store.model import StoredArticle, StoredIncident


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def stored_from_records(pairs: Iterable[tuple[Article, ArticleRecord]], start_pk: int = 1
                        ) -> tuple[list[StoredArticle], list[StoredIncident]]:
    articles: list[StoredArticle] = []
    incidents: list[StoredIncident] = []
    ipk = start_pk
    for apk, (art, rec) in enumerate(pairs, start=start_pk):
        published = rec.published or art.published
        articles.append(StoredArticle(pk=apk, article_id=rec.article_id, content_hash=content_hash(art.text),
                                      text=art.text, title=art.title, published=published,
                                      outlet=art.outlet, source=art.source, summary=rec.summary))
        for i, inc in enumerate(rec.incidents):
            incidents.append(StoredIncident(pk=ipk, article_pk=apk, article_id=rec.article_id,
                                            outlet=art.outlet, published=published, index=i, incident=inc))
            ipk += 1
    return articles, incidents
