"""The record a reader yields instead of raising when an input item is bad."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestError:
    """One bad input item; the rest of the batch goes on without it."""

    source: str  # names the item: "path/to/file.json", "feed.csv:row 17", "stdin"
    reason: str  # one clear human sentence: "truncated JSON (line 3, column 10)", ...

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
