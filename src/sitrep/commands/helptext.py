"""How `sitrep` and its commands explain themselves: a description, the options, then
examples to copy, as sqlite-utils' help reads.

    p = subparsers.add_parser("link", help="...", description="...",
                              epilog=examples("sitrep link", "sitrep link --db postgresql://localhost/news"))

``apply(parser)`` gives every parser under ``parser`` (commands other modules register
included) the formatter that wraps descriptions to the terminal but keeps the example lines
as written."""
from __future__ import annotations

import argparse
import textwrap


def examples(*lines: str) -> str:
    """The epilog of a command: its example lines (a '# ...' line explains the next one)."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


class Formatter(argparse.HelpFormatter):
    """Paragraphs (separated by a blank line) wrapped to the width; a line that starts with
    a space or ends a header (``examples:``) kept as it is."""

    def __init__(self, prog: str, **kwargs) -> None:
        kwargs.setdefault("max_help_position", 30)  # command names up to 'incidents' on one line
        super().__init__(prog, **kwargs)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if isinstance(action, argparse._SubParsersAction):
            # argparse measures command names two columns short of where it prints them, and
            # would push the help of the longer names to a line of its own
            self._action_max_length += 2

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        for block in text.split("\n\n"):
            lines = block.splitlines()
            if any(line.startswith(" ") or line.endswith(":") for line in lines):
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                         subsequent_indent=indent))
        return "\n\n".join(out)


def subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, parser) of every command under ``parser``, depth first."""
    for action in parser._actions:  # argparse has no public walk over its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield path + (name,), sub
                yield from subcommands(sub, path + (name,))


def apply(parser: argparse.ArgumentParser) -> None:
    """The formatter for ``parser`` and every command under it."""
    parser.formatter_class = Formatter
    for _, sub in subcommands(parser):
        sub.formatter_class = Formatter
