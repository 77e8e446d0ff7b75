"""`sitrep incidents` and `sitrep export`: reconciled incidents from the database.

    sitrep incidents [--db URL] [--since DATE] [--until DATE] [--place TEXT] [--actor TEXT]
                     [--min-killed N] [--disputed] [--format table|json|csv]
    sitrep export [--db URL] [same filters] [--format acled|ucdp|geojson|jsonl|plover] [-o FILE]

Both read the stored incidents and links, reconcile each linked incident
(:mod:`sitrep.reconcile`) and keep those that pass the filters. The library does the work;
this module only parses, opens the store and writes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from typing import TextIO

from ..store.model import REVIEW_STATUSES
from . import DB_HELP, database_errors, database_failure, open_existing_store, whole_number
LIST_FORMATS = ("table", "json", "csv")
FLAG_SHORT = {"figures_disagree": "figures", "perpetrator_disputed": "perpetrator",
              "denial": "denial", "single_source": "single"}


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    p.add_argument("--since", metavar="DATE", type=_date,
                   help="only incidents on or after this day (YYYY-MM-DD; a span that reaches it counts)")
    p.add_argument("--until", metavar="DATE", type=_date,
                   help="only incidents on or before this day (YYYY-MM-DD)")
    p.add_argument("--place", metavar="TEXT",
                   help="only incidents whose place, admin1 or country matches (any transliteration, "
                        "or an ISO country code)")
    p.add_argument("--actor", metavar="TEXT",
                   help="only incidents a source attributes to this actor (any alias the actor "
                        "dictionary knows, or part of a name)")
    p.add_argument("--min-killed", metavar="N", type=whole_number("a whole number", 0),
                   help="only incidents with at least N killed (the best total)")
    p.add_argument("--disputed", action="store_true",
                   help="only incidents whose figures disagree, whose perpetrator is disputed, or "
                        "that a source denies")
    p.add_argument("--review-status", metavar="STATUS", action="append", choices=REVIEW_STATUSES,
                   help="only incidents of this review status: unreviewed, reviewed (confirmed "
                        "as they stand) or corrected (repeatable: any of them)")


def register(subparsers) -> None:
    from ..export import FORMATS

    p = subparsers.add_parser(
        "incidents", help="list reconciled incidents (one per real-world act) from the database",
        description="Reconcile the linked incidents in the database and list them: type, date, "
                    "place, perpetrators, killed and injured as low/best/high, the number of "
                    "independent sources and the flags (figures disagree, perpetrator disputed, "
                    "denial, single source). The rules are in sitrep/reconcile.py.")
    _filters(p)
    p.add_argument("--format", choices=LIST_FORMATS, default="table",
                   help="table (default), json (each incident in full, with article_ids and "
                        "wire_groups) or csv (one flat row each)")
    p.set_defaults(func=cmd_incidents)

    e = subparsers.add_parser(
        "export", help="export reconciled incidents as ACLED CSV, UCDP GED CSV, GeoJSON, JSON Lines or PLOVER",
        description="Write the reconciled incidents in a standard format. Incidents a format "
                    "cannot hold (ACLED: not dated to the month; UCDP: no death or no date; "
                    "GeoJSON: no coordinates) are left out and reported on standard error. The "
                    "conventions of each format are in sitrep/export.py.")
    _filters(e)
    e.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="acled, ucdp, geojson, jsonl (default) or plover")
    e.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    e.add_argument("--reviewed-only", action="store_true",
                   help="only incidents an analyst has reviewed (confirmed or corrected)")
    e.set_defaults(func=cmd_export)


# --- reading -------------------------------------------------------------------------------

def load(args, err: TextIO):
    """The reconciled incidents that pass the filters in ``args``."""
    from ..reconcile import select
    from ..review import reconciled as reviewed_incidents, status

    store = open_existing_store(args.db)
    try:
        incidents = store.incidents()
        links = store.links()
        reviewed = reviewed_incidents(store, links, incidents)  # analysts' corrections applied
    finally:
        store.close()
    if incidents and not links:
        print("note: no linked incidents in the database (run sitrep link): each stored "
              "incident stands alone", file=err)
    if reviewed.orphans:
        print(f"note: {len(reviewed.orphans)} correction{'s' if len(reviewed.orphans) != 1 else ''} "
              "whose incident is gone (see sitrep corrections list --orphans)", file=err)
    chosen = select(reviewed.incidents, since=args.since, until=args.until, place=args.place,
                    actor=args.actor, min_killed=args.min_killed, disputed=args.disputed)
    wanted = set(args.review_status or ())
    if getattr(args, "reviewed_only", False):
        wanted |= {"reviewed", "corrected"}
    return [r for r in chosen if status(r) in wanted] if wanted else chosen


def _run(args, err: TextIO, body) -> int:
    try:
        incidents = load(args, err)
    except database_errors() as exc:
        return database_failure(exc, err)
    return body(incidents)


# --- sitrep incidents ----------------------------------------------------------------------

def cmd_incidents(args, out: TextIO, err: TextIO) -> int:
    def body(incidents) -> int:
        write_list(incidents, args.format, out)
        disputed = sum(1 for r in incidents if r.disputed)
        print(f"{len(incidents)} incidents, {disputed} disputed", file=err)
        return 0
    return _run(args, err, body)


def write_list(incidents, fmt: str, out: TextIO) -> None:
    from ..export import FLAT_COLUMNS, flat_row

    if fmt == "json":
        json.dump([r.to_dict() for r in incidents], out, ensure_ascii=False, indent=1, allow_nan=False)
        out.write("\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=FLAT_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in incidents:
            w.writerow(flat_row(r))
    else:
        out.write(format_table(incidents))


def _killed(r) -> str:
    est = r.killed.get("total")
    if est is None:
        n = r.killed_figure()
        return "" if n is None else f"{n}*"   # * : civilians plus combatants, no total given
    best = est.best if est.best is not None else est.low
    text = "" if best is None else str(best) + ("+" if est.best is None else "")
    lo, hi = est.low, est.high
    if (lo is not None and lo != best) or (hi is not None and hi != best):
        text += f" [{'' if lo is None else lo}-{'' if hi is None else hi}]"
    return text


def format_table(incidents) -> str:
    cols = [("id", 5), ("date", 10), ("type", 16), ("place", 18), ("admin1", 13),
            ("perpetrator", 24), ("killed", 12), ("inj", 4), ("src", 3), ("flags", 20),
            ("articles", 30)]
    lines = ["  ".join(name.ljust(w) for name, w in cols), "  ".join("-" * w for _, w in cols)]
    for r in incidents:
        inj = r.injured.get("total")
        perps = r.perpetrator + (f" +{len(r.perpetrators) - 1}" if len(r.perpetrators) > 1 else "")
        vals = [str(r.id), r.date or "", r.event_type, r.location.name or "", r.location.admin1 or "",
                perps, _killed(r), "" if inj is None or inj.value() is None else str(inj.value()),
                str(r.number_of_sources), ",".join(FLAG_SHORT.get(f, f) for f in r.flags),
                " ".join(r.article_ids)]
        lines.append("  ".join(_fit(v, w) for v, (_, w) in zip(vals, cols)).rstrip())
    return "\n".join(lines) + "\n"


def _fit(s: str, w: int) -> str:
    return (s if len(s) <= w else s[: w - 1] + "…").ljust(w)


# --- sitrep export -------------------------------------------------------------------------

def cmd_export(args, out: TextIO, err: TextIO) -> int:
    from ..export import export

    def body(incidents) -> int:
        target = open(args.output, "w", encoding="utf-8", newline="") if args.output else out
        try:
            skipped = export(incidents, args.format, target)
        finally:
            if args.output:
                target.close()
        by_reason: dict[str, list[int]] = {}
        for iid, reason in skipped:
            by_reason.setdefault(reason, []).append(iid)
        for reason, ids in by_reason.items():
            shown = ", ".join(str(i) for i in ids[:20]) + (", ..." if len(ids) > 20 else "")
            print(f"left out {len(ids)} incident{'s' if len(ids) != 1 else ''} ({reason}): {shown}", file=err)
        where = f" to {args.output}" if args.output else ""
        print(f"{len(incidents) - len(skipped)} of {len(incidents)} incidents exported as "
              f"{args.format}{where}", file=err)
        return 0
    return _run(args, err, body)
