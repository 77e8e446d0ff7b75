"""sitrep: conflict news in, incident records with evidence out."""
from __future__ import annotations

from .records import (Article, ArticleRecord, Claim, Count, Incident, Location, Span,
                      Summary)

# The subpackage `sitrep.extract` is loaded first so that the function below, which shares
# its name, is what `sitrep.extract` means to users (`sitrep.extract(text)`); later imports of
# `sitrep.extract.pipeline` find the subpackage in sys.modules and leave the name alone.
from . import extract as _extract_package  # noqa: E402,F401

__version__ = "0.1.0"


def extract(text: str, published: str | None = None, outlet: str | None = None,
            article_id: str = "article", title: str | None = None) -> ArticleRecord:
    """Extract the incidents of one article's text.

    ``published`` (ISO date) anchors relative dates; a dateline printed at the head of the
    text takes precedence, as in the readers.

    The first call in a process loads spaCy and its English model (about 6 seconds; the
    logger ``sitrep`` says so at INFO); later calls take milliseconds. To pay that cost
    ahead of time, call ``sitrep.extract.pipeline.default_pipeline()`` once at start-up.
    """
    from .extract.pipeline import default_pipeline
    from .ingest.datelines import find_dateline, parse_date

    pub = parse_date(published) if published else None
    found = find_dateline(text, title)
    if found:
        pub = found[0]
    article = Article(article_id=article_id, text=text, title=title, published=pub, outlet=outlet)
    return default_pipeline()(article)


__all__ = ["extract", "Article", "ArticleRecord", "Claim", "Count", "Incident", "Location",
           "Span", "Summary", "__version__"]
