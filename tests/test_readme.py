"""The README reads in the order a newcomer needs it: the two commands, a five-minute tour
(articles, incidents, map, ACLED export), the reference, then the measured figures. Every
command of the tour is one `sitrep` knows (its --help and the undocumented-option test are in
test_cli_help.py and test_cli.py)."""
import re
import shlex
from pathlib import Path

import pytest

from sitrep.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split()[:2] for line in first_block.splitlines() if line.startswith("make")] == \
        [["make", "demo"], ["make", "test"]]


def test_tour_then_reference_then_figures():
    heads = re.findall(r"^## (.+)$", README, re.M)
    assert heads[:3] == ["Five-minute tour", "Reference", "Measured figures"]
    tour = README.split("## Five-minute tour", 1)[1].split("## Reference", 1)[0]
    order = [tour.index(s) for s in ("sitrep extract", "sitrep ingest", "sitrep incidents",
                                     "sitrep serve", "--format acled", "reconciled_incidents")]
    assert order == sorted(order)
    assert len(tour.splitlines()) < 60  # short


def _tour_commands():
    tour = README.split("## Five-minute tour", 1)[1].split("## Reference", 1)[0]
    for line in re.findall(r"^(sitrep [^#\n]*)", tour, re.M) + re.findall(r"`(sitrep [^`]+)`", tour):
        yield line.strip()


@pytest.mark.parametrize("command", sorted(set(_tour_commands())))
def test_every_command_of_the_tour_parses(command, capsys):
    argv = shlex.split(command)[1:]
    if "--help" in argv or argv[-1:] == ["--help"]:
        return
    build_parser().parse_args(argv)  # a typo in the tour is a usage error (SystemExit)
