"""The ingest stage: files, feeds and CSV to Articles, with clean text and a publication date.

Imports only sitrep.records (and sitrep.knowledge); the extractor reads what this produces.
"""
from __future__ import annotations

from .datelines import find_dateline, parse_date
from .encoding import decode_bytes, repair_text
from .errors import IngestError, error_line, report_error, shown_name, undated_warning
from .readers import count_inputs, read_inputs

__all__ = [
    "IngestError",
    "count_inputs",
    "decode_bytes",
    "error_line",
    "find_dateline",
    "parse_date",
    "read_inputs",
    "repair_text",
    "report_error",
    "shown_name",
    "undated_warning",
]
