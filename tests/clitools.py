"""Shared by the CLI tests: running `sitrep` in-process, and a batch of good and bad inputs."""
import csv
import io
import sys
from pathlib import Path

from sitrep.cli import main

GOOD = ("Saturday 7 October 2017\nShelling by rebels killed three civilians in the Aleppo "
        "neighbourhood of al-Hamdaniyah on Friday, state news agency SANA said.")

# An article in French: refused with one error line, the batch going on.
NOT_ENGLISH = {"id": "fr-1", "title": "Frappe", "text": "Une frappe aérienne a tué dix civils dans la "
               "ville de Douma selon les secouristes et les habitants de la région qui ont vu les "
               "avions du régime bombarder le marché central de la ville hier matin."}


def run(argv, stdin=None):
    """(exit code, stdout, stderr) of `sitrep ARGV`, with ``stdin`` as standard input."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    try:
        code = main(argv, out, err)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def write_batch(d: Path, huge: bool = False) -> Path:
    """Three good articles (one with no incident, one a CSV row) among the bad inputs the
    issue lists: empty, binary, truncated JSON, a broken CSV row, non-English, and with
    ``huge`` a 50 MB file (sparse on disk)."""
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "quiet.txt").write_text("Ministers met in Geneva on Monday to discuss aid deliveries to the north.")
    (d / "empty.txt").write_text("")
    (d / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (d / "cut.json").write_text('{"id": "c1", "text": "Rockets hit the port and killed two')
    with open(d / "rows.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "text", "published"])
        w.writerow(["r1", "Strike", "An air strike killed five fighters in Raqqa on Tuesday, the monitor said.", "2017-08-23"])
        w.writerow(["r2", "Empty", "", "2017-08-23"])
    (d / "fr.txt").write_text("Au moins douze civils ont été tués vendredi dans une attaque contre un "
                              "village du centre du Mali, selon les autorités locales de la région.")
    if huge:
        with open(d / "huge.txt", "wb") as fh:
            fh.truncate(50 * 1024 * 1024)
    return d
