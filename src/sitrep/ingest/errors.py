"""The record a reader yields instead of raising when an input item is bad."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO


@dataclass
class IngestError:
    """One bad input item; the rest of the batch goes on without it."""

    source: str  # names the item: "path/to/file.json", "feed.csv:row 17", "stdin"
    reason: str  # one clear human sentence: "truncated JSON (line 3, column 10)", ...

    def __str__(self) -> str:
        return error_line(self.source, self.reason)


def shown_name(name: str) -> str:
    """A file or item name as an error line may print it: as is when every character is
    printable, else quoted with its escapes (as ``repr`` writes it), so that a name holding
    a newline or a terminal escape code can neither forge another line nor colour the
    terminal."""
    return name if name.isprintable() else repr(name)


def error_line(source: str, reason: str) -> str:
    """``source: reason`` with both made safe to print (see ``shown_name``)."""
    shown_reason = reason if reason.isprintable() else repr(reason)[1:-1]
    return f"{shown_name(source)}: {shown_reason}"


def report_error(source: str, reason: str, err: TextIO) -> None:
    """The one line a batch prints on standard error for a bad item: ``error: source: reason``."""
    print(f"error: {error_line(source, reason)}", file=err)


def undated_warning(undated: int) -> str | None:
    """The one line a batch prints when articles came without a publication date (no
    dateline, no date in the input's metadata, no --published): their relative dates ("on
    Friday") cannot be resolved, and their incidents say ``date_precision: unknown``."""
    if not undated:
        return None
    which = "1 article has" if undated == 1 else f"{undated} articles have"
    return (f"warning: {which} no publication date (no dateline, no date in the input, no "
            f"--published): their incidents' relative dates are unknown; give --published DATE")
