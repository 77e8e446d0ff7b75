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


def undated_warning(undated: int) -> str | None:
    """The one line a batch prints when articles came without a publication date (no
    dateline, no date in the input's metadata, no --published): their relative dates ("on
    Friday") cannot be resolved, and their incidents say ``date_precision: unknown``."""
    if not undated:
        return None
    which = "1 article has" if undated == 1 else f"{undated} articles have"
    return (f"warning: {which} no publication date (no dateline, no date in the input, no "
            f"--published): their incidents' relative dates are unknown; give --published DATE")
