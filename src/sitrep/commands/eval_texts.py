"""`sitrep eval satp FILE` and `sitrep eval case FILE`: data sets of short texts in their own
layouts, extracted in one batch through the same path as `sitrep extract`.

Only the id and the text of each item reach the extractor (the hand-coded fields stay with
the scorer), written to a scratch JSON Lines file; items carry no publication date. The
batch's error lines name an item by its line in that file, which is how a refusal's reason
("not English: ...") is tied back to the item's id.
"""
from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path
from typing import TextIO

_ERROR_LINE = re.compile(r"^error: .*?:line (\d+): (.*)$")
MAX_BATCH_BYTES = 1 << 31  # the scratch file is ours: never refuse it for its size


class ErrorLines(io.TextIOBase):
    """A stand-in for standard error that passes everything on and keeps the error lines."""

    def __init__(self, err: TextIO) -> None:
        super().__init__()
        self.err = err
        self.lines: list[str] = []
        self._partial = ""

    def write(self, s: str) -> int:
        self.err.write(s)
        # A progress bar's carriage-return updates may precede an error line on one line.
        *done, self._partial = (self._partial + s).replace("\r", "\n").split("\n")
        self.lines += [line[line.index("error: "):] for line in done if "error: " in line]
        return len(s)

    def flush(self) -> None:
        self.err.flush()

    def isatty(self) -> bool:  # the progress bar shows only on a terminal
        return bool(getattr(self.err, "isatty", lambda: False)())

    @property
    def encoding(self) -> str | None:  # the bar draws with Unicode blocks where it may
        return getattr(self.err, "encoding", None)

    def reasons(self, ids_by_line: dict[int, str]) -> dict[str, str]:
        """Item id -> the reason its error line gives."""
        out = {}
        for line in self.lines:
            m = _ERROR_LINE.match(line)
            if m and int(m.group(1)) in ids_by_line:
                out[ids_by_line[int(m.group(1))]] = m.group(2)
        return out


def extract_texts(items: list[dict], err: TextIO) -> tuple[list[dict], dict[str, str], str]:
    """Records of the items (dicts with ``id`` and ``text``), the reasons of the ones that
    failed by id, and the batch's closing count line."""
    from ..cli import Tally, extract_records

    tally = Tally()
    capture = ErrorLines(err)
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-") as tmp:
        batch = Path(tmp) / "items.jsonl"
        ids_by_line = {}
        with open(batch, "w", encoding="utf-8") as fh:
            for n, item in enumerate(items, 1):
                fh.write(json.dumps({"id": str(item["id"]).strip(), "text": item["text"]},
                                    ensure_ascii=False) + "\n")
                ids_by_line[n] = str(item["id"]).strip()
        records = [r.to_dict() for r in extract_records(
            [str(batch)], published=None, outlet=None, max_bytes=MAX_BATCH_BYTES, tally=tally,
            err=capture)]
    return records, capture.reasons(ids_by_line), tally.line()


def eval_texts(args, out: TextIO, err: TextIO) -> int:
    """`sitrep eval satp|case FILE [--pred FILE] [--json OUT] [--limit N]`."""
    from .. import evaluate
    from ..evaluate.case import read_case, score_case
    from ..evaluate.satp import read_satp, score_satp

    read, score = (read_satp, score_satp) if args.what == "satp" else (read_case, score_case)
    try:
        items, unreadable = read(args.path, args.limit)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    reasons: dict[str, str] = {}
    closing = None
    if args.pred:
        predictions = evaluate.load_predictions(args.pred)
    else:
        predictions, reasons, closing = extract_texts(items, err)
    report = score(predictions, items, source=args.path, unreadable=unreadable,
                   refused_reasons=reasons)
    out.write(evaluate.format_report(report) + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, ensure_ascii=False)
    if closing:
        print(closing, file=err)
    return 0
