"""`sitrep corrections` and `sitrep eval corrections`: the analysts' review work, as data.

    sitrep corrections list [--db URL] [--orphans] [--format table|json]
    sitrep corrections export [--db URL] [-o FILE]          (JSON Lines, one correction a line)
    sitrep corrections import FILE... [--db URL]            (skips those already held)
    sitrep eval corrections [--db URL] [--json OUT]

Corrections are made on the page or through the API (see sitrep/review); these move them
between databases, list those whose incident is gone, and measure the machine by them.
"""
from __future__ import annotations

import json
from typing import TextIO

from . import DB_HELP, database_errors, database_failure, open_existing_store
from .helptext import examples


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "corrections", help="list, export or import analysts' corrections",
        description="Analysts' corrections are kept beside the machine's records (an overlay with "
                    "history). list: every correction, whether it still finds its incident "
                    "(orphaned: its incident is gone after re-extraction or re-linking); export: "
                    "JSON Lines; import: JSON Lines from another database (a correction already "
                    "held is skipped; a bad line is reported by its number and the rest imported).",
        epilog=examples("sitrep corrections list --orphans",
                        "sitrep corrections export -o review.jsonl",
                        "sitrep corrections import review.jsonl --db other.db"))
    sub = p.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help="list the corrections (orphaned ones marked)",
                         epilog=examples("sitrep corrections list", "sitrep corrections list --orphans --format json"))
    lst.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    lst.add_argument("--orphans", action="store_true", help="only corrections whose incident is gone")
    lst.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    lst.set_defaults(func=cmd_list)
    exp = sub.add_parser("export", help="write every correction as JSON Lines",
                         epilog=examples("sitrep corrections export -o review.jsonl"))
    exp.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    exp.set_defaults(func=cmd_export)
    imp = sub.add_parser("import", help="add corrections from JSON Lines files",
                         epilog=examples("sitrep corrections import review.jsonl --db sitrep.db"))
    imp.add_argument("paths", nargs="+", metavar="FILE", help="JSON Lines, as `sitrep corrections export` writes")
    imp.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    imp.set_defaults(func=cmd_import)


def cmd_list(args, out: TextIO, err: TextIO) -> int:
    from ..review import reconciled
    try:
        with open_existing_store(args.db) as store:
            corrections = store.corrections()
            orphans = {c.uid for c in reconciled(store).orphans}
    except database_errors() as exc:
        return database_failure(exc, err)
    rows = [{**c.to_dict(), "orphaned": c.uid in orphans} for c in corrections
            if not args.orphans or c.uid in orphans]
    if args.format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(f"{'seq':>5}  {'created_at':<24}  {'author':<12}  {'action':<7}  {'field':<11}  {'state':<8}  note\n")
        for r in rows:
            note = (r["note"] or "").replace("\n", " ")
            out.write(f"{r['seq']:>5}  {r['created_at'][:24]:<24}  {r['author'][:12]:<12}  {r['action']:<7}  "
                      f"{(r['field'] or '')[:11]:<11}  {'orphaned' if r['orphaned'] else 'applied':<8}  {note[:60]}\n")
    print(f"{len(rows)} corrections, {len(orphans)} orphaned", file=err)
    return 0


def cmd_export(args, out: TextIO, err: TextIO) -> int:
    try:
        with open_existing_store(args.db) as store:
            corrections = store.corrections()
    except database_errors() as exc:
        return database_failure(exc, err)
    target = open(args.output, "w", encoding="utf-8") if args.output else out
    try:
        for c in corrections:
            target.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
    finally:
        if args.output:
            target.close()
    print(f"{len(corrections)} corrections exported" + (f" to {args.output}" if args.output else ""), file=err)
    return 0


def cmd_import(args, out: TextIO, err: TextIO) -> int:
    from ..review import from_dict
    good, errors = [], 0
    for path in args.paths:
        try:
            with open(path, encoding="utf-8") as fh:
                lines = list(fh)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: {path}: cannot read: {exc}", file=err)
            errors += 1
            continue
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                good.append(from_dict(json.loads(line)))
            except (ValueError, TypeError) as exc:   # json.JSONDecodeError is a ValueError
                print(f"error: {path}:{n}: {exc}", file=err)
                errors += 1
    try:
        with open_existing_store(args.db) as store:
            stored = store.add_corrections(good)
    except database_errors() as exc:
        return database_failure(exc, err)
    print(f"{len(stored)} corrections imported, {len(good) - len(stored)} already held, {errors} errors", file=err)
    return 1 if errors else 0


def eval_corrections(args, out: TextIO, err: TextIO) -> int:
    from ..review import reconciled
    from ..review.accuracy import accuracy, format_accuracy
    try:
        with open_existing_store(args.db) as store:
            report = accuracy(reconciled(store).incidents)
    except database_errors() as exc:
        return database_failure(exc, err)
    out.write(format_accuracy(report) + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1)
    return 0
