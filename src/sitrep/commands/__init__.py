"""Subcommands of `sitrep` for the database stages. Each module defines
`register(subparsers)`, adding its commands with `set_defaults(func=handler)` where
`handler(args, out, err) -> int` is the exit code.

What they share: the `--db` option's help, opening an existing database, one way of
saying that the database cannot be used (one line on standard error, exit code 2), and
progress on standard error for long work."""
from __future__ import annotations

import argparse
import os
import sqlite3
from typing import Callable, TextIO

DB_HELP = ("the database: a SQLite file (default sitrep.db in the working directory), "
           "sqlite:///PATH, or postgresql://USER@HOST:PORT/DB")


def whole_number(what: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high`` (inclusive), else a
    message naming ``what`` it should be."""
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None
        if n < low or (high is not None and n > high):
            bounds = f"{low}-{high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"not {what} ({bounds}): {value!r}")
        return n
    return parse


PROGRESS_HELP = "show progress on standard error even when it is not a terminal (on a terminal it always shows)"


def progress_bar(err: TextIO, total: int | None, unit: str, forced: bool = False, desc: str | None = None):
    """A progress bar on ``err``: on a terminal, or anywhere when ``forced`` (``--progress``);
    else one that shows nothing, so that scripts and tests read only what the command says."""
    from tqdm import tqdm
    return tqdm(total=total, unit=unit, file=err, disable=False if forced else None, leave=False, desc=desc)


class NoDatabase(Exception):
    pass


def open_existing_store(url: str | None):
    """The store at ``url``; a SQLite file that does not exist is an error, not a new database."""
    from ..store import open_store
    from ..store.db import parse_url
    dialect, target = parse_url(url)
    if dialect == "sqlite" and target != ":memory:" and not os.path.exists(target):
        raise NoDatabase(f"no database at {target} (store articles first: sitrep ingest FILE... --db {target})")
    return open_store(url)


def database_errors() -> tuple[type[BaseException], ...]:
    """What a database that cannot be used raises: a bad --db (ValueError), a missing SQLite
    file (NoDatabase), and the drivers' errors."""
    from ..store import DatabaseError
    errors: list[type[BaseException]] = [NoDatabase, ValueError, DatabaseError, sqlite3.Error]
    try:
        import psycopg
        errors.append(psycopg.Error)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def database_failure(exc: BaseException, err: TextIO) -> int:
    """Say what is wrong with the database in one line; the exit code (2)."""
    if isinstance(exc, NoDatabase):
        print(f"error: {exc}", file=err)
    elif isinstance(exc, ValueError):   # a malformed --db URL
        print(f"error: --db: {exc}", file=err)
    else:
        print(f"error: database: {str(exc).strip()}", file=err)
    return 2
