"""The single-process engine: the extraction pipeline in this process (the default)."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..records import Article, ArticleRecord


class LocalEngine:
    name = "local"

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, ArticleRecord | Exception]]:
        from ..extract.pipeline import default_pipeline
        yield from default_pipeline().pipe(articles)
