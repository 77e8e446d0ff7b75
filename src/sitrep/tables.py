"""Plain-text tables for the terminal, drawn by rich: columns share the terminal's width,
long cells wrap (never cut), and a footer explains the markers the cells use.

    cols = [Column("id", numeric=True), Column("place"), Column("killed", numeric=True)]
    text = render(cols, rows, keep=["id", "place"], notes=["killed: best [low-high]"])

``rows`` are sequences of cell values in the order of ``columns``; ``keep`` (the user's
``--columns``) picks and orders the columns shown. No colours, no markup: a cell's text is
printed as it is, so a table piped to a file reads as on screen."""
from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

WIDTH_NOT_A_TERMINAL = 200  # piped or redirected: wide, since nothing is cut either way
FOLDED_MIN = 12             # the least width of a column whose words may break
GAP = 2                     # spaces between two columns


@dataclass(frozen=True)
class Column:
    name: str
    numeric: bool = False     # right-aligned
    min_width: int | None = None
    # names, figures and dates wrap between words but never inside one; a long list (of
    # article ids, of claimants) may also break inside a word when the terminal is narrow
    whole_words: bool = True


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` when set), else WIDTH_NOT_A_TERMINAL."""
    return shutil.get_terminal_size((WIDTH_NOT_A_TERMINAL, 24)).columns


def pick(columns: Sequence[Column], keep: Sequence[str] | None) -> list[int]:
    """The indexes of the columns ``keep`` names, in its order (all when None); a name that
    is not a column is a ValueError that lists the columns."""
    if not keep:
        return list(range(len(columns)))
    names = [c.name for c in columns]
    unknown = [k for k in keep if k not in names]
    if unknown:
        raise ValueError(f"no column {', '.join(map(repr, unknown))}; the columns: {', '.join(names)}")
    return [names.index(k) for k in keep]


def add_columns_option(parser, columns: Sequence[Column]) -> None:
    """``--columns NAME,...`` on a command that prints a table of ``columns``; a name that is
    not one of them is a usage error (exit 2) that lists them."""
    import argparse

    def parse(value: str) -> list[str]:
        keep = [name.strip() for name in value.split(",") if name.strip()]
        try:
            pick(columns, keep)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return keep

    parser.add_argument("--columns", metavar="NAME,...", type=parse,
                        help="(table) the columns to show, in this order: " + ",".join(c.name for c in columns))


def allot(columns: Sequence[Column], cells: list[list[str]], room: int) -> list[int]:
    """Each column's width: its widest cell when all fit in ``room``; else each gets its
    least (its longest word, or for a column whose words may break, up to FOLDED_MIN) and
    what room is left goes to the columns that want more, in proportion to how much more.
    Narrower than the least widths allow, a table is drawn that wide all the same (the
    terminal wraps its lines) rather than cut names in two.

    Written here because rich shares the width out in proportion to the widest cells and
    then narrows every column alike, cutting short words (a place, a figure) as readily as
    a long list of article ids."""
    natural, least = [], []
    for k, c in enumerate(columns):
        words = [len(w) for row in cells for w in row[k].split()]
        widest = max([len(c.name)] + [len(row[k]) for row in cells])
        longest = max([len(c.name)] + words)
        natural.append(max(widest, c.min_width or 0))
        least.append(max(c.min_width or 0, longest if c.whole_words else min(longest, FOLDED_MIN)))
    if sum(natural) <= room:
        return natural
    widths = list(least)
    spare = room - sum(least)
    want = [n - w for n, w in zip(natural, least)]
    total_want = sum(want)
    if spare > 0 and total_want:
        for k in range(len(widths)):
            widths[k] += want[k] * spare // total_want
    return widths


def render(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, keep: Sequence[str] | None = None,
           notes: Sequence[str] = (), width: int | None = None) -> str:
    """The table as text, ending with a newline; ``notes`` printed under it, one a line."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    shown = pick(columns, keep)
    cells = [["" if row[i] is None else str(row[i]) for i in shown] for row in rows]
    heads = [columns[i] for i in shown]
    width = width or terminal_width()
    widths = allot(heads, cells, width - GAP * (len(shown) - 1))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False,
                  header_style="", collapse_padding=True)
    for c, w in zip(heads, widths):
        table.add_column(c.name, justify="right" if c.numeric else "left", overflow="fold", width=w)
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    buf = io.StringIO()
    console = Console(file=buf, width=max(width, sum(widths) + GAP * (len(shown) - 1)), color_system=None,
                      force_terminal=False, highlight=False, emoji=False, markup=False, soft_wrap=False)
    console.print(table)
    if notes:
        console.print()
    for note in notes:
        console.print(Text(note))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
