"""CSV and TSV files: one article per row, and one error per broken row.

Python's csv module either swallows the rest of a file after an unbalanced quote or stops
at the first error. Here every record is parsed strictly, and a record that fails (bad
quoting, wrong number of fields) is reported and parsing resumes on the line after the one
it started on, so one bad row never costs the rows after it.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

_DELIMITERS = (",", "\t", ";", "|")


@dataclass
class Row:
    number: int  # 1 = the first row after the header
    line: int  # the file line the row starts on (1-based)
    fields: dict[str, str]


@dataclass
class BadRow:
    number: int
    line: int
    reason: str


class _Lines:
    """A line iterator whose position can be moved back, to resume after a bad record."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index = 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self.index >= len(self.lines):
            raise StopIteration
        self.index += 1
        return self.lines[self.index - 1]


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line most; comma when none does.

    Kept rather than csv.Sniffer, which on one header line prefers the comma whenever it
    occurs: of 23 headers (our fixtures, ../shared's files and hand-made ones) it misread 3
    that this reads right, all tab- or semicolon-separated with a comma inside a column name
    ("id<TAB>title, with comma<TAB>text"); on the other 20 the two agree."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_of(text: str, delimiter: str | None = None) -> list[str] | None:
    """The column names on the first non-blank line, or None for an empty table."""
    for line in text.splitlines():
        if line.strip():
            d = delimiter or sniff_delimiter(line)
            try:
                return [c.strip().lstrip("\ufeff") for c in next(csv.reader([line], delimiter=d))]
            except csv.Error:
                return None
    return None


def read_rows(text: str, delimiter: str | None = None) -> Iterator[Row | BadRow]:
    """Rows of a table with a header line, each as a dict keyed by the header's names."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return
    delimiter = delimiter or sniff_delimiter(lines[start])
    header = header_of(lines[start], delimiter) or []
    # Long articles exceed the csv module's default field limit of 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    source = _Lines(lines)
    source.index = start + 1
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    number = 0
    # After a bad record that ran over several lines, parsing resumes inside it; the lines
    # that fail there belong to the same breakage and are reported with it, once.
    pending: BadRow | None = None
    while True:
        first = source.index
        try:
            fields = next(reader)
            problem = None
        except StopIteration:
            break
        except csv.Error as e:
            fields, problem = [], f"broken quoting ({e})"
        if not problem and not any(f.strip() for f in fields):
            continue  # blank line
        if not problem and len(fields) != len(header):
            problem = (f"expected {len(header)} fields, found {len(fields)} "
                       "(an unquoted delimiter or a broken quote?)")
        if problem:
            spanned = source.index - first > 1
            if spanned:
                source.index = first + 1
            if pending is None:
                number += 1
                bad = BadRow(number, first + 1, f"{problem} at line {first + 1}")
                if spanned:
                    pending = bad
                else:
                    yield bad
            continue
        if pending is not None:
            yield pending
            pending = None
        number += 1
        yield Row(number, first + 1, dict(zip(header, fields)))
    if pending is not None:
        yield pending

