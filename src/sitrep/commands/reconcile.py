"""`sitrep incidents` and `sitrep export`: reconciled incidents from the database.

    sitrep incidents [--db URL] [--since DATE] [--until DATE] [--place TEXT] [--actor TEXT]
                     [--min-killed N] [--disputed] [--country CC] [--event-type TYPE]...
                     [--sub-event-type TYPE]... [--limit N] [--format table|json|csv]
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

from .. import incident_filters
from ..store.model import REVIEW_STATUSES
from . import DB_HELP, database_errors, database_failure, open_existing_store, whole_number
from ..tables import Column, add_columns_option, render
from .helptext import examples
LIST_FORMATS = ("table", "json", "csv")
FLAG_SHORT = {"figures_disagree": "figures", "perpetrator_disputed": "perpetrator",
              "denial": "denial", "single_source": "single"}


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _checked(check):
    """An argparse ``type`` from one of sitrep.incident_filters' checks (shared with the API)."""
    def parse(value: str):
        try:
            return check(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _one(check):
    return lambda value: check([value])[0]


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
    p.add_argument("--country", metavar="CC", type=_checked(incident_filters.country_code),
                   help="only incidents in this country (ISO 3166 alpha-2 code, any case)")
    p.add_argument("--event-type", metavar="TYPE", action="append", default=[],
                   type=_checked(_one(incident_filters.event_types)),
                   help="only incidents of this sitrep event type (repeat it for any of several)")
    p.add_argument("--sub-event-type", metavar="TYPE", action="append", default=[],
                   type=_checked(_one(incident_filters.sub_event_types)),
                   help="only incidents of this ACLED sub-event type, as the ACLED export codes "
                        "it (any case; repeat it for any of several)")
    p.add_argument("--limit", metavar="N", type=whole_number("a whole number", 1),
                   help="at most N incidents (the first N listed)")
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
                    "denial, single source). The rules are in sitrep/reconcile.py.",
        epilog=examples("sitrep incidents --db sitrep.db",
                        "sitrep incidents --place Aleppo --since 2016-09-01 --until 2016-09-30",
                        "sitrep incidents --actor ISIS --min-killed 10 --format csv > incidents.csv",
                        "sitrep incidents --disputed --format json"))
    _filters(p)
    p.add_argument("--format", choices=LIST_FORMATS, default="table",
                   help="table (default), json (each incident in full, with article_ids and "
                        "wire_groups) or csv (one flat row each)")
    add_columns_option(p, TABLE_COLUMNS)
    p.set_defaults(func=cmd_incidents)

    e = subparsers.add_parser(
        "export", help="export reconciled incidents as ACLED CSV, UCDP GED CSV, GeoJSON, JSON Lines or PLOVER",
        description="Write the reconciled incidents in a standard format. Incidents a format "
                    "cannot hold (ACLED: not dated to the month; UCDP: no death or no date; "
                    "GeoJSON: no coordinates) are left out and reported on standard error. The "
                    "conventions of each format are in sitrep/export.py.",
        epilog=examples("sitrep export --format acled -o acled.csv",
                        "sitrep export --format ucdp --place SY -o ged.csv",
                        "sitrep export --format geojson --since 2024-01-01 -o map.geojson",
                        "sitrep export --format plover > events.jsonl"))
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
                    actor=args.actor, min_killed=args.min_killed, disputed=args.disputed,
                    country=args.country, event_types=args.event_type)
    if args.sub_event_type:
        chosen = [r for r in chosen if r.sub_event_type in args.sub_event_type]
    wanted = set(args.review_status or ())
    if getattr(args, "reviewed_only", False):
        wanted |= {"reviewed", "corrected"}
    if wanted:
        chosen = [r for r in chosen if status(r) in wanted]
    return chosen[:args.limit] if args.limit else chosen


def _run(args, err: TextIO, body) -> int:
    try:
        incidents = load(args, err)
    except database_errors() as exc:
        return database_failure(exc, err)
    return body(incidents)


# --- sitrep incidents ----------------------------------------------------------------------

def cmd_incidents(args, out: TextIO, err: TextIO) -> int:
    def body(incidents) -> int:
        write_list(incidents, args.format, out, args.columns)
        disputed = sum(1 for r in incidents if r.disputed)
        print(f"{len(incidents)} incidents, {disputed} disputed", file=err)
        return 0
    return _run(args, err, body)


def write_list(incidents, fmt: str, out: TextIO, columns: list[str] | None = None) -> None:
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
        out.write(format_table(incidents, columns))


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


TABLE_COLUMNS = [Column("id", numeric=True), Column("date", min_width=10), Column("type"), Column("place"),
                 Column("admin1"), Column("perpetrator"), Column("killed", numeric=True),
                 Column("inj", numeric=True), Column("src", numeric=True), Column("flags", whole_words=False),
                 Column("articles", whole_words=False)]


def format_table(incidents, columns: list[str] | None = None, width: int | None = None) -> str:
    rows = []
    for r in incidents:
        inj = r.injured.get("total")
        perps = r.perpetrator + (f" +{len(r.perpetrators) - 1}" if len(r.perpetrators) > 1 else "")
        rows.append([r.id, r.date, r.event_type, r.location.name, r.location.admin1, perps, _killed(r),
                     None if inj is None else inj.value(), r.number_of_sources,
                     ", ".join(FLAG_SHORT.get(f, f) for f in r.flags), " ".join(r.article_ids)])
    return render(TABLE_COLUMNS, rows, keep=columns, width=width, notes=table_notes(rows, columns))


def table_notes(rows: list[list], columns: list[str] | None) -> list[str]:
    """The footer: what the markers in the shown cells mean, each said once."""
    shown = set(columns or [c.name for c in TABLE_COLUMNS])
    killed = [str(row[6]) for row in rows if row[6]]
    notes = []
    if "killed" in shown:
        if any("[" in k for k in killed):
            notes.append("killed: the best figure, then [low-high] where the sources' figures differ")
        if any("+" in k for k in killed):
            notes.append("killed N+: at least N (no source gives a best figure)")
        if any(k.endswith("*") for k in killed):
            notes.append("killed N*: no source gives a total; the civilians and combatants counted, added up")
    if "perpetrator" in shown and any(" +" in (row[5] or "") for row in rows):
        notes.append("perpetrator +N: N other perpetrators named by other sources (--format json lists them)")
    if "src" in shown and rows:
        notes.append("src: independent sources (the reprints of one wire story count once)")
    if "flags" in shown:
        used = {f.strip() for row in rows for f in (row[9] or "").split(",") if f.strip()}
        meanings = {"figures": "the sources' figures disagree", "perpetrator": "the perpetrator is disputed",
                    "denial": "a source denies the act", "single": "one source only"}
        if used:
            notes.append("flags: " + "; ".join(f"{f}: {meanings[f]}" for f in meanings if f in used))
    return notes


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
