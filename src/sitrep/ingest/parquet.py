"""Parquet files of articles, one article per row, with the JSON reader's field names (`id`
or `article_id`, `title`, `text`, `published`, `outlet`, and their aliases).

The file is read one row group at a time, so a large archive is never held whole; a file
that is not Parquet, or a row without text, is an IngestError naming it (``file:row 7``).
pyarrow is imported only when a Parquet file is read.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator

from ..records import Article
from .errors import IngestError
from .items import Defaults, has_text_field, make_article


def read_parquet(path: Path, defaults: Defaults) -> Iterator[Article | IngestError]:
    name = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield IngestError(name, "reading Parquet needs pyarrow: pip install 'sitrep[scale]' (or pyarrow)")
        return
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # noqa: BLE001
        yield IngestError(name, f"could not be read as Parquet ({type(e).__name__}: {e})")
        return
    columns = pf.schema_arrow.names
    if not has_text_field(columns):
        yield IngestError(name, "no text column (expected one of text, content, body, article_content)")
        return
    rows = pf.metadata.num_rows
    if rows == 0:
        yield IngestError(name, "no rows")
        return
    several = rows > 1
    number = 0
    try:
        for batch in pf.iter_batches(batch_size=1024):
            for fields in batch.to_pylist():
                number += 1
                label = f"row {number}"
                fallback = f"{path.stem}-{number}" if several else path.stem
                made = make_article({k: _plain(v) for k, v in fields.items()}, fallback_id=fallback,
                                    source=f"{name}:{label}", defaults=defaults)
                if isinstance(made, IngestError):
                    made.source = f"{name}:{label}"
                yield made
    except Exception as e:  # noqa: BLE001 - a corrupt row group ends this file, not the batch
        yield IngestError(f"{name}:row {number + 1}", f"could not be read ({type(e).__name__}: {e})")


def _plain(value: Any) -> Any:
    """Parquet's typed values as the JSON reader would see them: dates as ISO strings."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def count_parquet(path: Path) -> int:
    try:
        import pyarrow.parquet as pq
        return max(1, pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # noqa: BLE001
        return 1
