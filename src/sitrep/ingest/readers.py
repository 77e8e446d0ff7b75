"""Files, directories and standard input to a stream of Articles and IngestErrors.

Nothing here raises on bad input: a missing path, an empty or binary file, broken JSON, a
broken CSV row each become one IngestError, and the rest of the batch goes on.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Mapping, TextIO

from ..records import Article
from .datelines import parse_date
from .encoding import _ftfy, decode_raw, looks_binary
from .errors import IngestError
from .feeds import FeedProblem, looks_like_feed, read_feed
from .html import declared_charset, parse_page
from .items import Defaults, has_text_field, make_article
from .jsonfiles import JsonItem, JsonProblem, count_json, read_json, read_json_lines
from .tables import BadRow, header_of, read_rows

DEFAULT_MAX_BYTES = 5_000_000

# Formats known from a file's extension; anything else is sniffed from its bytes.
_BY_EXTENSION = {
    "": "text", ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".rss": "feed", ".atom": "feed", ".xml": "xml",
}
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|article|main|!--)[\s>]",
                         re.IGNORECASE)


@dataclass(frozen=True)
class _Input:
    name: str  # how errors name it: the path as given, or "stdin"
    origin: str  # Article.source: the path, or "-" for standard input
    stem: str  # the article id of an item that has none
    fmt: str | None  # from the extension; None to sniff


def read_inputs(
    paths: Iterable[str],
    *,
    published: str | None = None,
    outlet: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | IngestError]:
    """Articles from files, directories (walked recursively) and "-" (standard input).

    published and outlet are used for items that give none (the CLI's --published and
    --outlet); a dateline printed in the text still wins over both.
    """
    option_date = parse_date(published) if published else None
    if published and not option_date:
        yield IngestError("--published", f"not a date: {published!r}; it is ignored")
    defaults = Defaults(published=option_date, outlet=outlet)
    for path in paths:
        if path == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, defaults, max_bytes)
        else:
            yield from _read_path(path, defaults, max_bytes)


def count_inputs(paths: Iterable[str]) -> int | None:
    """A cheap estimate of how many items read_inputs will yield; None if unknown (stdin).

    Only a progress bar reads it: whatever a file holds, counting it never raises (a file
    that cannot be counted counts as one item, and reading it reports what is wrong)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        try:
            if p.is_dir():
                total += sum(1 if isinstance(f, IngestError) else _count_file(f) for f in _walk(p))
            else:
                total += _count_file(p)
        except Exception:  # noqa: BLE001 - an estimate: never worth failing the batch
            total += 1
    return total


# --- paths ---------------------------------------------------------------------------------

def _read_path(path: str, defaults: Defaults, max_bytes: int) -> Iterator[Article | IngestError]:
    p = Path(path)
    try:
        p.stat()
    except FileNotFoundError:
        yield IngestError(path, "no such file or directory")
        return
    except OSError as e:
        yield IngestError(path, f"cannot read it ({e.strerror or e})")
        return
    files = _walk(p) if p.is_dir() else [p]
    for f in files:
        yield from _read_file(f, defaults, max_bytes)


# A folder of articles often carries its own notes; they are not articles. Named
# explicitly on the command line, such a file is still read (and sniffed).
_DOC_SUFFIXES = {".md", ".rst", ".markdown"}


def _walk(root: Path) -> Iterator[Path | IngestError]:
    """Files under root in sorted order, hidden files, folders and notes left out; a folder
    that cannot be listed is an IngestError (os.walk would skip it silently)."""
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        yield from _folder_errors(unreadable)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() not in _DOC_SUFFIXES:
                yield Path(dirpath) / name
    yield from _folder_errors(unreadable)


def _folder_errors(unreadable: list[OSError]) -> Iterator[IngestError]:
    while unreadable:
        e = unreadable.pop(0)
        yield IngestError(str(e.filename), f"cannot read the folder ({e.strerror or e}): skipped")


# What a path that is not a regular file is, for the line that says it is skipped: reading
# a named pipe or a device would block or never end.
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a folder"))


def _not_regular(mode: int) -> str | None:
    """Why a file of this stat mode is not read; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: skipped"


def _read_file(path: Path | IngestError, defaults: Defaults,
               max_bytes: int) -> Iterator[Article | IngestError]:
    if isinstance(path, IngestError):  # a folder the walk could not list
        yield path
        return
    name = str(path)
    try:
        info = path.stat()
        why = _not_regular(info.st_mode)
        if why:
            yield IngestError(name, why)
            return
        size = info.st_size
        if size > max_bytes:
            # Checked before reading: a huge file is never loaded just to be rejected.
            yield IngestError(name, f"file is {size:,} bytes, more than {_limit(max_bytes)}")
            return
        if path.suffix.lower() == ".parquet":  # binary, columnar: read by row group, not whole
            from .parquet import read_parquet
            yield from read_parquet(path, defaults)
            return
        data = path.read_bytes()
    except OSError as e:
        yield IngestError(name, f"cannot read it ({e.strerror or e})")
        return
    fmt = _BY_EXTENSION.get(path.suffix.lower())
    yield from _read_data(data, _Input(name, name, path.stem or path.name, fmt), defaults)


def _read_stdin(stream: TextIO | BinaryIO, defaults: Defaults,
                max_bytes: int) -> Iterator[Article | IngestError]:
    source = getattr(stream, "buffer", stream)  # sys.stdin: read bytes, decode ourselves
    try:
        raw = source.read(max_bytes + 1)
    except (OSError, ValueError) as e:
        yield IngestError("stdin", f"cannot read it ({e})")
        return
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        yield IngestError("stdin", f"input is more than {_limit(max_bytes)}")
        return
    yield from _read_data(data, _Input("stdin", "-", "stdin", None), defaults)


def _limit(max_bytes: int) -> str:
    return f"the {max_bytes:,}-byte limit (raise it with --max-bytes)"


# --- formats -------------------------------------------------------------------------------

def _read_data(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    """The items of one input's bytes, by its format (from the extension, else sniffed)."""
    if not data.strip():
        yield IngestError(inp.name, "empty file")
        return
    if looks_binary(data):
        yield IngestError(inp.name, "binary file")
        return
    fmt = inp.fmt or _sniff(data)
    try:
        yield from _READERS[fmt](data, inp, defaults)
    except Exception as e:  # noqa: BLE001
        # A parser's surprise on one input must not end the batch; the message keeps the
        # exception's type so that a bug here still shows.
        yield IngestError(inp.name, f"could not be read as {fmt} ({type(e).__name__}: {e})")


def _sniff(data: bytes) -> str:
    head = decode_raw(data[:65536]).lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        lines = [line for line in head.splitlines() if line.strip()][:50]
        if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
            return "jsonl"
        return "json"
    if head.startswith("<"):
        if looks_like_feed(head):
            return "feed"
        return "html" if _HTML_START.match(head) or "<html" in head[:4096].lower() else "xml"
    first_line = head.split("\n", 1)[0]
    header = header_of(first_line)
    if header and len(header) > 1 and has_text_field(header):
        return "csv"
    return "text"


def _read_text(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    fields = {"text": decode_raw(data)}
    yield _article(fields, inp.stem, inp.origin, inp.name, defaults)


def _read_html(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    page = parse_page(_decode_html(data))
    if not page.text:
        yield IngestError(inp.name, "no article text found in the page")
        return
    fields = {"text": page.text, "title": page.title, "published": page.published,
              "outlet": page.outlet}
    yield _article(fields, inp.stem, inp.origin, inp.name, defaults)


def _decode_html(data: bytes) -> str:
    charset = declared_charset(data)
    if charset and charset.replace("-", "").replace("_", "") not in ("utf8", "usascii"):
        _ftfy()  # registers ftfy's "sloppy-*" codecs, which a page may declare too
        try:
            codecs.lookup(charset)
        except LookupError:
            return decode_raw(data)
        # Pages that declare latin-1 are nearly always cp1252 in fact (as browsers assume).
        if codecs.lookup(charset).name in ("latin-1", "iso8859-1"):
            charset = "sloppy-windows-1252"
        return data.decode(charset, errors="replace")
    return decode_raw(data)


def _read_json(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    yield from _json_items(read_json(decode_raw(data)), inp, defaults)


def _read_jsonl(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    yield from _json_items(read_json_lines(decode_raw(data)), inp, defaults)


def _json_items(found: Iterable[JsonItem | JsonProblem], inp: _Input,
                defaults: Defaults) -> Iterator[Article | IngestError]:
    items = list(found)
    several = len(items) > 1
    for item in items:
        label_name = f"{inp.name}:{item.label}" if item.label else inp.name
        if isinstance(item, JsonProblem):
            yield IngestError(label_name, item.reason)
            continue
        fallback = f"{inp.stem}-{item.number}" if several else inp.stem
        origin = f"{inp.origin}:{item.label}" if item.label else inp.origin
        yield _article(item.value, fallback, origin, label_name, defaults)


def _read_csv(data: bytes, inp: _Input, defaults: Defaults,
              delimiter: str | None = None) -> Iterator[Article | IngestError]:
    text = decode_raw(data)
    header = header_of(text, delimiter)
    if not header or not has_text_field(header):
        yield IngestError(inp.name, "no text column in the header (expected one of text, "
                                    "content, body, article_content)")
        return
    rows = list(read_rows(text, delimiter))
    if not rows:
        yield IngestError(inp.name, "no rows after the header")
        return
    several = len(rows) > 1
    for row in rows:
        label = f"row {row.number}"
        if isinstance(row, BadRow):
            yield IngestError(f"{inp.name}:{label}", row.reason)
            continue
        fallback = f"{inp.stem}-{row.number}" if several else inp.stem
        yield _article(row.fields, fallback, f"{inp.origin}:{label}",
                       f"{inp.name}:{label}", defaults)


def _read_tsv(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    yield from _read_csv(data, inp, defaults, delimiter="\t")


def _read_feed(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    entries = read_feed(data)
    if isinstance(entries, FeedProblem):
        yield IngestError(inp.name, entries.reason)
        return
    several = len(entries) > 1
    for entry in entries:
        label = f"item {entry.number}"
        fallback = f"{inp.stem}-{entry.number}" if several else inp.stem
        yield _article(entry.fields, fallback, f"{inp.origin}:{label}",
                       f"{inp.name}:{label}", defaults, entry.date_fallback)


def _read_xml(data: bytes, inp: _Input, defaults: Defaults) -> Iterator[Article | IngestError]:
    if looks_like_feed(decode_raw(data[:65536])):
        yield from _read_feed(data, inp, defaults)
    else:
        yield IngestError(inp.name, "XML that is not an RSS or Atom feed")


def _article(fields: Mapping[str, Any], fallback_id: str, origin: str, name: str,
             defaults: Defaults, date_fallback: str | None = None) -> Article | IngestError:
    made = make_article(fields, fallback_id=fallback_id, source=origin, defaults=defaults,
                        date_fallback=date_fallback)
    if isinstance(made, IngestError):
        made.source = name  # errors name the item the way the user would look for it
    return made


_READERS = {
    "text": _read_text, "html": _read_html, "json": _read_json, "jsonl": _read_jsonl,
    "csv": _read_csv, "tsv": _read_tsv, "feed": _read_feed, "xml": _read_xml,
}


# --- counting ------------------------------------------------------------------------------

def _count_file(path: Path) -> int:
    fmt = _BY_EXTENSION.get(path.suffix.lower())
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return 1  # a pipe or a device is never opened: reading reports it
        if path.suffix.lower() == ".parquet":
            from .parquet import count_parquet
            return count_parquet(path)
        if fmt in ("jsonl", "csv", "tsv"):
            with path.open("rb") as f:
                lines = sum(1 for line in f if line.strip())
            return max(1, lines - (0 if fmt == "jsonl" else 1))
        if fmt in ("feed", "xml"):
            data = path.read_bytes()
            return max(1, data.count(b"<item") + data.count(b"<entry"))
        if fmt == "json" and path.stat().st_size <= DEFAULT_MAX_BYTES:
            return count_json(decode_raw(path.read_bytes())) or 1
    except Exception:  # noqa: BLE001 - a file that cannot be counted is one item; reading it says why
        return 1
    return 1
