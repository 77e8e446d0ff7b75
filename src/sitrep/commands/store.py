"""`sitrep ingest PATH... [--db URL]`: read, extract and store articles in the incident database."""
from __future__ import annotations

from typing import TextIO

from . import DB_HELP, database_errors, database_failure
from .helptext import examples


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "ingest", help="extract articles (files, directories, '-' for stdin) and store them in the database",
        description="Extract articles and store them with their incidents, claims and evidence. "
                    "An article already stored (same text) is left unchanged; one stored by an older "
                    "extractor version is replaced. Each article is committed on its own: an "
                    "interrupted run keeps what it stored, and running it again adds the rest. "
                    "The reconciled incidents in the database are then brought up to date.",
        epilog=examples("sitrep ingest articles/ --db sitrep.db",
                        "sitrep ingest news.csv feed.rss page.html",
                        "cat article.txt | sitrep ingest - --published 2024-03-01 --outlet Reuters",
                        "sitrep ingest big.jsonl --db postgresql://localhost/news --engine processes"))
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    p.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD) for articles that carry none")
    p.add_argument("--outlet", metavar="NAME", help="outlet name for articles that carry none")
    p.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N",
                   help="refuse input files larger than this (default 5,000,000)")
    from ..engines import add_engine_options
    add_engine_options(p)
    p.set_defaults(func=cmd_ingest)


def cmd_ingest(args, out: TextIO, err: TextIO) -> int:
    from .. import incident_index
    from ..engines import EngineError, make_engine
    from ..store import ingest_paths, open_store

    try:
        with open_store(args.db) as store, \
                make_engine(args.engine, address=args.address, num_workers=args.num_workers) as engine:
            tally = ingest_paths(store, args.paths, published=args.published, outlet=args.outlet,
                                 max_bytes=args.max_bytes, err=err, engine=engine)
            # The reconciled incidents in the database follow what was stored (each new
            # incident alone until the next `sitrep link`), as `sitrep incidents` lists them.
            incident_index.refresh(store)
    except EngineError as exc:
        print(f"error: --engine: {exc}", file=err)
        return 2
    except database_errors() as exc:
        return database_failure(exc, err)
    from ..ingest import undated_warning
    warning = undated_warning(tally.undated)
    if warning:
        print(warning, file=err)
    print(tally.line(), file=err)
    return 1 if tally.failed else 0
