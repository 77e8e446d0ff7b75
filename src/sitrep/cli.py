"""The `sitrep` command: a thin layer over the library.

    sitrep extract FILE_OR_DIR... [--published DATE] [--outlet NAME] [--format jsonl|json|table|csv] [-o OUT]
    sitrep eval gold DIR [--pred FILE] [--json OUT]
    sitrep eval fakes CSV [--pred FILE] [--json OUT]
    sitrep eval satp FILE [--pred FILE] [--json OUT] [--limit N]
    sitrep eval case FILE [--pred FILE] [--json OUT] [--limit N]
    sitrep eval corrections [--db URL] [--json OUT]
    sitrep gazetteer build

Bad input never stops a batch: each bad item gets one line on standard error naming it and
why, the rest is extracted, and the exit code is 1 if any item failed.
"""
from __future__ import annotations

import argparse
import csv
import importlib
import json
import sys
from typing import Iterable, Iterator, TextIO

from .records import Article, ArticleRecord, incident_figures
from .tables import Column, add_columns_option

FORMATS = ("jsonl", "json", "table", "csv")
PROGRESS_MIN = 20  # show a progress bar from this many articles on


class Tally:
    def __init__(self) -> None:
        self.read = self.extracted = self.failed = 0
        self.undated = 0  # articles read without a publication date

    def line(self) -> str:
        return f"{self.read} articles read, {self.extracted} extracted, {self.failed} failed"


def extract_records(paths: list[str], *, published: str | None, outlet: str | None,
                    max_bytes: int, tally: Tally, err: TextIO = sys.stderr,
                    progress: bool = True, stdin=None, engine=None) -> Iterator[ArticleRecord]:
    """Read, extract and yield records; count and report every failure. ``engine`` (from
    sitrep.engines) says where extraction runs; default: this process."""
    from .engines.local import LocalEngine
    from .extract.pipeline import NotEnglish
    from .ingest import count_inputs, read_inputs, report_error

    items = read_inputs(paths, published=published, outlet=outlet, stdin=stdin, max_bytes=max_bytes)
    articles = _split_errors(items, tally, err)
    total = count_inputs(paths) if progress else None
    bar = None
    if progress and (total is None or total >= PROGRESS_MIN):
        from tqdm import tqdm
        bar = tqdm(total=total, unit="article", file=err, disable=None, leave=False)
    try:
        for article, result in (engine or LocalEngine()).pipe(articles):
            if bar is not None:
                bar.update(1)
            if isinstance(result, Exception):
                tally.failed += 1
                reason = str(result) if isinstance(result, NotEnglish) else f"extraction failed: {result!r}"
                report_error(article.source or article.article_id, reason, err)
                continue
            tally.extracted += 1
            yield result
    finally:
        if bar is not None:
            bar.close()


def _split_errors(items: Iterable, tally: Tally, err: TextIO) -> Iterator[Article]:
    from .ingest import IngestError, report_error
    for item in items:
        tally.read += 1
        if isinstance(item, IngestError):
            tally.failed += 1
            report_error(item.source, item.reason, err)
            continue
        tally.undated += item.published is None
        yield item


INCIDENT_COLUMNS = ("article_id", "published", "event_type", "date", "date_end", "date_precision",
                    "place", "admin1", "country", "lat", "lon", "place_precision", "perpetrator",
                    "target", "killed_low", "killed_best", "killed_high", "injured_best",
                    "claimants", "denial")


def incident_rows(record: ArticleRecord) -> Iterator[dict]:
    for inc in record.incidents:
        killed_low, killed_best, killed_high, injured_best = incident_figures(inc)
        loc = inc.location
        yield {
            "article_id": record.article_id, "published": record.published,
            "event_type": inc.event_type, "date": inc.date, "date_end": inc.date_end,
            "date_precision": inc.date_precision, "place": loc.name, "admin1": loc.admin1,
            "country": loc.country, "lat": loc.lat, "lon": loc.lon, "place_precision": loc.precision,
            "perpetrator": "; ".join(inc.perpetrator), "target": inc.target,
            "killed_low": killed_low, "killed_best": killed_best,
            "killed_high": killed_high, "injured_best": injured_best,
            "claimants": "; ".join(c.claimed_by + (" (denies)" if c.denial else "") for c in inc.claims),
            "denial": any(c.denial for c in inc.claims),
        }


def write_records(records: Iterable[ArticleRecord], fmt: str, out: TextIO,
                  columns: list[str] | None = None) -> None:
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump([r.to_dict() for r in records], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=INCIDENT_COLUMNS)
        w.writeheader()
        for r in records:
            for row in incident_rows(r):
                w.writerow(row)
    elif fmt == "table":
        out.write(format_table(records, columns))


TABLE_COLUMNS = [Column("article"), Column("type"), Column("date", min_width=10), Column("place"),
                 Column("admin1"), Column("perpetrator"), Column("killed", numeric=True),
                 Column("inj", numeric=True), Column("claimed by", whole_words=False)]


def format_table(records: Iterable[ArticleRecord], columns: list[str] | None = None,
                 width: int | None = None) -> str:
    from .tables import render

    rows = []
    for r in records:
        incidents = list(incident_rows(r))
        if not incidents:
            rows.append([r.article_id, "(no incident)"] + [None] * 7)
        for row in incidents:
            killed = "" if row["killed_best"] is None and row["killed_low"] is None else str(
                row["killed_best"] if row["killed_best"] is not None else f"{row['killed_low']}+")
            if row["killed_high"] not in (None, row["killed_best"]):
                killed += f"-{row['killed_high']}"
            rows.append([row["article_id"], row["event_type"], row["date"], row["place"], row["admin1"],
                         row["perpetrator"], killed, row["injured_best"], row["claimants"]])
    shown = set(columns or [c.name for c in TABLE_COLUMNS])
    killed = [str(row[6]) for row in rows if row[6]]
    notes = []
    if "killed" in shown and any("-" in k for k in killed):
        notes.append("killed N-M: the best figure, then the highest a claim gives")
    if "killed" in shown and any("+" in k for k in killed):
        notes.append("killed N+: at least N (no best figure given)")
    if "claimed by" in shown and any("(denies)" in (row[8] or "") for row in rows):
        notes.append("claimed by X (denies): X denies the act")
    return render(TABLE_COLUMNS, rows, keep=columns, width=width, notes=notes)


def cmd_extract(args, out: TextIO, err: TextIO) -> int:
    from .engines import EngineError, make_engine
    from .ingest import undated_warning
    tally = Tally()
    try:
        engine = make_engine(args.engine, address=args.address, num_workers=args.num_workers)
    except (EngineError, ValueError) as exc:
        print(f"error: --engine: {exc}", file=err)
        return 2
    records = extract_records(args.paths, published=args.published, outlet=args.outlet,
                              max_bytes=args.max_bytes, tally=tally, err=err, engine=engine)
    target = open(args.output, "w", encoding="utf-8") if args.output else out
    try:
        if args.format in ("json", "table") or args.save_jsonl:
            records = list(records)  # these formats need the whole batch before writing
        if args.save_jsonl:
            with open(args.save_jsonl, "w", encoding="utf-8") as fh:
                write_records(records, "jsonl", fh)
        write_records(records, args.format, target, args.columns)
    except EngineError as exc:
        print(f"error: --engine: {exc}", file=err)
        return 2
    finally:
        engine.close()
        if args.output:
            target.close()
    warning = undated_warning(tally.undated)
    if warning:
        print(warning, file=err)
    print(tally.line(), file=err)
    return 1 if tally.failed else 0


def cmd_eval(args, out: TextIO, err: TextIO) -> int:
    from . import evaluate

    if args.what == "corrections":
        from .commands.review import eval_corrections
        return eval_corrections(args, out, err)
    if args.path is None:
        print(f"error: sitrep eval {args.what}: the path is required", file=err)
        return 2
    if args.what == "links":
        from .commands.link import eval_links
        return eval_links(args, out, err)
    if args.what in ("satp", "case"):
        from .commands.eval_texts import eval_texts
        return eval_texts(args, out, err)

    if args.pred:
        predictions = evaluate.load_predictions(args.pred)
        tally = None
    else:
        tally = Tally()
        predictions = [r.to_dict() for r in extract_records(
            [args.path] if args.what == "fakes" else _gold_articles(args.path),
            published=None, outlet=None, max_bytes=50_000_000, tally=tally, err=err)]
    if args.what == "gold":
        report = evaluate.score_gold(predictions, args.path)
    else:
        report = evaluate.score_fakes(predictions, args.path)
    out.write(evaluate.format_report(report) + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, ensure_ascii=False)
    if tally is not None:
        print(tally.line(), file=err)
    return 0


def _gold_articles(gold_dir: str) -> list[str]:
    from pathlib import Path
    return sorted(str(p) for p in Path(gold_dir).glob("*.article.json"))


def cmd_gazetteer(args, out: TextIO, err: TextIO) -> int:
    from .knowledge.gazetteer import build
    path = build()
    print(f"gazetteer written to {path}", file=out)
    return 0


def build_parser(command_modules: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``command_modules`` (default: every one in COMMAND_MODULES) are
    the modules whose commands it registers beside extract, eval and gazetteer."""
    from .commands.helptext import apply, examples

    p = argparse.ArgumentParser(
        prog="sitrep",
        description="Turn conflict news into incident records with evidence: extract incidents from "
                    "articles, store them, link the reports of one act across outlets, reconcile "
                    "their figures, check them, and serve or export the result.",
        epilog=examples("# the incidents of one article, as a table",
                        "sitrep extract article.txt --published 2024-03-01 --format table",
                        "# a folder or CSV of articles into the database, linked and reconciled",
                        "sitrep ingest articles/ news.csv --db sitrep.db",
                        "sitrep link --db sitrep.db",
                        "sitrep incidents --db sitrep.db",
                        "# an ACLED file, and the map on http://127.0.0.1:8000/",
                        "sitrep export --db sitrep.db --format acled -o acled.csv",
                        "sitrep serve --db sitrep.db",
                        "",
                        "sitrep COMMAND --help: a command's options, with examples"))
    p.add_argument("--version", action="store_true", help="print the version of sitrep and exit")
    sub = p.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    x = sub.add_parser("extract", help="extract incidents from articles (files, directories, '-' for stdin)",
                       description="Extract the incidents of each article (files, directories, CSV, JSON, "
                                   "JSON Lines, RSS/Atom, HTML; '-' reads standard input) and write "
                                   "one record per article: incidents with claims, counts as "
                                   "low/best/high and the evidence spans.",
                       epilog=examples("sitrep extract article.txt --published 2024-03-01",
                                       "sitrep extract articles/ --format table",
                                       "cat article.txt | sitrep extract - --outlet Reuters --format csv",
                                       "sitrep extract news.csv -o records.jsonl --engine processes"))
    x.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    x.add_argument("--published", help="publication date (YYYY-MM-DD) for articles that carry none")
    x.add_argument("--outlet", help="outlet name for articles that carry none")
    x.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="jsonl (default: the spec's record, one a line), json (a list), table or csv "
                        "(one row per incident)")
    add_columns_option(x, TABLE_COLUMNS)
    x.add_argument("-o", "--output", help="write here instead of standard output")
    x.add_argument("--save-jsonl", metavar="PATH",
                   help="also write the records as JSON Lines here (whatever --format says)")
    x.add_argument("--max-bytes", type=int, default=5_000_000,
                   help="refuse input files larger than this (default 5,000,000)")
    from .engines import add_engine_options
    add_engine_options(x)
    x.set_defaults(func=cmd_extract)

    e = sub.add_parser("eval", help="score extraction against gold annotations, FA-KES crowd "
                                    "fields, SATP summaries or CASE snippets, or by analysts' corrections",
                       epilog=examples("sitrep eval gold tests/fixtures/samples-gold",
                                       "sitrep eval fakes fakes.csv --json report.json",
                                       "sitrep eval links pairs.jsonl fakes.csv",
                                       "sitrep eval satp satp.jsonl --limit 200",
                                       "sitrep eval corrections"))
    e.add_argument("what", choices=("gold", "fakes", "links", "satp", "case", "corrections"))
    e.add_argument("path", nargs="?", help="gold directory (*.gold.json beside *.article.json), FA-KES CSV, "
                               "(links) the labelled pairs as JSON Lines, (satp) SATP summaries "
                               "as JSON Lines, or (case) CASE snippets as TSV; none for corrections")
    e.add_argument("articles", nargs="*", metavar="ARTICLES",
                   help="(links) the articles the pairs name, in any input format")
    e.add_argument("--pred", help="predictions (JSON Lines from `sitrep extract`); default: run the extractor")
    e.add_argument("--json", help="also write the report as JSON here")
    from .commands import DB_HELP
    e.add_argument("--db", metavar="URL", default=None,
                   help="(corrections) the database whose corrections measure the machine: " + DB_HELP)
    from .commands import whole_number
    e.add_argument("--limit", type=whole_number("a number of items", 1), metavar="N",
                   help="(satp, case) score only the first N items")
    e.set_defaults(func=cmd_eval)

    g = sub.add_parser("gazetteer", help="build the offline gazetteer now (it is otherwise built on first use)",
                       epilog=examples("sitrep gazetteer build"))
    g.add_argument("action", choices=("build",))
    g.set_defaults(func=cmd_gazetteer)

    # The database commands live beside the stages they drive, each module adding its own
    # subcommands; this layer stays thin.
    from .blas import numpy_on_one_thread
    with numpy_on_one_thread():  # a command module may import numpy, and `sitrep ingest` extracts
        for name in COMMAND_MODULES if command_modules is None else command_modules:
            _register(name, sub)
    apply(p)
    return p


def _register(name: str, sub) -> None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return  # a stage not yet built in this checkout
    module.register(sub)


OWN_COMMANDS = ("extract", "eval", "gazetteer")  # the commands build_parser defines itself
COMMAND_MODULES = (
    "sitrep.commands.store",      # sitrep ingest
    "sitrep.commands.link",       # sitrep link, sitrep eval-links
    "sitrep.commands.reconcile",  # sitrep incidents, sitrep export
    "sitrep.commands.verify",     # sitrep reference import, sitrep verify
    "sitrep.commands.basemap",    # sitrep basemap build
    "sitrep.commands.serve",      # sitrep serve
    "sitrep.commands.review",     # sitrep corrections
)


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    # `sitrep extract`, `eval` and `gazetteer` parse the same without the database commands,
    # whose modules (the store, verification, numpy) are a fifth of extract's start
    words = sys.argv[1:] if argv is None else argv
    own = bool(words) and words[0] in OWN_COMMANDS
    parser = build_parser(() if own else None)
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__
        print(f"sitrep {__version__}", file=out)
        return 0
    if args.command is None:  # `sitrep` alone: what it can do, not an error
        out.write(parser.format_help())
        return 0
    try:
        return args.func(args, out, err)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

__all__ = ["main", "build_parser", "extract_records", "write_records", "format_table"]
