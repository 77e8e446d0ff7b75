"""`sitrep reference import` and `sitrep verify`.

    sitrep reference import FILE --format acled|ucdp|vdc|vdc-daily|airwars|syrian-archive [--db URL]
    sitrep verify [--db URL] [ARTICLE_ID...] [--format table|json]

`reference import` reads a reference database export into the store (records keyed by source
and id: importing a file again updates its records). Bad rows get one line each on standard
error and are skipped; the exit code is then 1.

`verify` scores every stored article against the other stored articles (their incidents and,
when `sitrep link` has been run, the stored links) and the stored reference records, saves the
scores in the database, and prints those of the ARTICLE_IDs given (all by default) as a table
or as JSON (`[{article_id, score, reasons}]`). The score and its reasons are explained in
`sitrep.verify.score`.
"""
from __future__ import annotations

import gc
import json
from typing import TextIO

from . import DB_HELP, PROGRESS_HELP, database_errors, database_failure, progress_bar
from ..tables import Column, add_columns_option, render
from .helptext import examples

MAX_ERRORS = 40
SAVE_EVERY = 1000  # verifications saved at a time, and let go unless shown


def register(subparsers) -> None:
    from ..verify.references import FORMATS

    r = subparsers.add_parser("reference", help="load reference databases (ACLED, UCDP GED, VDC) into the database",
                              epilog=examples("sitrep reference import acled-syria.csv --format acled"))
    rsub = r.add_subparsers(dest="reference_command", required=True)
    imp = rsub.add_parser(
        "import", help="import a reference export (CSV) into the database",
        description="Read a reference database export and store its records (place names mapped to "
                    "our admin1 names, countries to ISO codes). Bad rows are reported and skipped.",
        epilog=examples("sitrep reference import acled-syria.csv --format acled",
                        "sitrep reference import ged.csv --format ucdp --db postgresql://localhost/news"))
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", required=True, choices=FORMATS,
                     help="acled: ACLED export; ucdp: UCDP GED; vdc: VDC victim records; vdc-daily: VDC "
                          "daily deaths by governorate or by cause; airwars, syrian-archive: those samples")
    imp.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    imp.set_defaults(func=cmd_reference_import)

    v = subparsers.add_parser(
        "verify", help="score each stored article's consistency with other outlets and reference data",
        description="Give each stored article a consistency score in [0, 1] with its reasons "
                    "(other outlets' reports of the same acts, reference records, internal "
                    "consistency), save the scores in the database and print them.",
        epilog=examples("sitrep verify --db sitrep.db",
                        "sitrep verify syria-aleppo-2016 --format json"))
    v.add_argument("article_ids", nargs="*", metavar="ARTICLE_ID",
                   help="articles to print (their input ids); default: all")
    v.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    v.add_argument("--format", choices=("table", "json"), default="table")
    v.add_argument("--progress", action="store_true", help=PROGRESS_HELP)
    add_columns_option(v, TABLE_COLUMNS)
    v.set_defaults(func=cmd_verify)


def cmd_reference_import(args, out: TextIO, err: TextIO) -> int:
    from ..store import open_store
    from ..verify.references import read_reference

    errors: list[str] = []
    records = read_reference(args.file, args.format, errors)
    for line in errors[:MAX_ERRORS]:
        print(f"error: {line}", file=err)
    if len(errors) > MAX_ERRORS:
        print(f"error: ... and {len(errors) - MAX_ERRORS} more bad rows", file=err)
    if not records:
        print(f"{args.file}: no {args.format} records read", file=err)
        return 2 if errors else 1
    try:
        with open_store(args.db) as store:
            new = store.add_reference(records)
    except database_errors() as exc:
        return database_failure(exc, err)
    sources = sorted({r.source for r in records})
    print(f"{len(records)} {'/'.join(sources)} records read from {args.file} ({new} new, "
          f"{len(records) - new} updated), {len(errors)} bad rows", file=out)
    return 1 if errors else 0


def cmd_verify(args, out: TextIO, err: TextIO) -> int:
    from ..store import open_store
    from ..verify.score import Verifier

    wanted = set(args.article_ids)
    as_json = args.format == "json"
    shown, n_shown, verified = [], 0, 0
    try:
        with open_store(args.db) as store:
            links = store.links()
            reference = store.reference()
            n_links, n_reference = len(links), len(reference)
            # the verifier's objects live to the end: the collector neither runs while they
            # are made (a third of the time at 160k incidents) nor walks them again after.
            # The score reads neither the texts nor the evidence spans: neither is read.
            gc.disable()
            try:
                verifier = Verifier(store.articles(text=False), store.iter_incidents(evidence=False),
                                    reference, links or None)
            finally:
                gc.enable()
            gc.freeze()
            del links, reference   # the verifier holds what it needs of them
            articles = verifier.articles
            missing = sorted(wanted - {a.article_id for a in articles} - {str(a.pk) for a in articles})
            batch: list = []
            texts: list[str] = []
            if as_json:
                out.write("[")
            with progress_bar(err, len(articles), "article", args.progress, desc="verifying") as bar:
                for v in verifier.each():
                    # serialised once: the same text is saved and printed
                    reasons = json.dumps(v.reasons, ensure_ascii=False)
                    batch.append(v)
                    texts.append(reasons)
                    bar.update(1)
                    if not wanted or v.article_id in wanted or str(v.article_pk) in wanted:
                        if as_json:   # printed as it comes: the results are never all held
                            out.write((",\n" if n_shown else "\n") + '{"article_id": ' +
                                      f'{json.dumps(v.article_id, ensure_ascii=False)}, "score": '
                                      f'{json.dumps(v.score)}, "reasons": {reasons}}}')
                        else:
                            shown.append(v)
                        n_shown += 1
                    if len(batch) >= SAVE_EVERY:
                        store.save_verifications(batch, texts)
                        verified += len(batch)
                        batch, texts = [], []
                store.save_verifications(batch, texts)
                verified += len(batch)
    except database_errors() as exc:
        return database_failure(exc, err)
    finally:
        gc.unfreeze()
    if as_json:
        out.write("\n]\n" if n_shown else "]\n")
    for m in missing:
        print(f"error: {m}: no such article in the database", file=err)
    if not as_json:
        out.write(format_table(shown, args.columns))
    print(f"{verified} articles verified ({n_links} stored links, {n_reference} reference "
          f"records); {n_shown} shown", file=err)
    return 1 if missing else 0


TABLE_COLUMNS = [Column("article"), Column("score", numeric=True), Column("reasons", whole_words=False)]


def format_table(results, columns: list[str] | None = None, width: int | None = None) -> str:
    rows = []
    for v in results:
        against = [r for r in v.reasons if r.get("weight")]
        support = [r for r in v.reasons if r["kind"] in ("outlet_agreement", "reference_match")]
        parts = [f"{r['kind']} ({r['weight']:+.2f}): {r['detail']}" for r in against[:2]]
        if len(against) > 2:
            parts.append(f"{len(against) - 2} more against")
        if support:
            parts.append(f"{len(support)} for")
        rows.append([v.article_id, f"{v.score:.2f}", "; ".join(parts) or "nothing known either way"])
    notes = ["reasons: the two weighing most against the article (weight), then how many more; "
             "N for: reports and reference records that agree (--format json gives them all)"] if rows else []
    return render(TABLE_COLUMNS, rows, keep=columns, width=width, notes=notes)
