"""`sitrep`, `sitrep --help`, `sitrep --version` and every command's `--help` tell a
newcomer what to type: a description, the options, and examples that run as written."""
import re

import pytest

from clitools import run
from sitrep import __version__
from sitrep.cli import build_parser
from sitrep.commands.helptext import subcommands

COMMANDS = [" ".join(words) for words, _ in subcommands(build_parser())]


def test_sitrep_alone_prints_the_help_not_an_error():
    code, out, err = run([])
    assert code == 0 and err == ""
    assert out.startswith("usage: sitrep") and "commands:" in out
    for name in ("extract", "ingest", "link", "incidents", "export", "serve"):
        assert re.search(rf"^    {name} +\S", out, re.M), name  # each command with its help on its line
    assert "sitrep export --db sitrep.db --format acled -o acled.csv" in out


def test_version():
    code, out, _ = run(["--version"])
    assert code == 0 and out == f"sitrep {__version__}\n"


def test_a_command_is_still_required_to_do_anything(capsys):
    with pytest.raises(SystemExit) as exc:
        run(["frobnicate"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples(command, capsys):
    with pytest.raises(SystemExit) as exc:
        run([*command.split(), "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    examples = out.split("\nexamples:\n", 1)[1].splitlines()
    # example lines are kept as written, each one a call of this command (or one below it)
    assert any(line.startswith(f"  sitrep {command}") for line in examples), out
    assert all(line.startswith("  ") for line in examples if line), out


def test_descriptions_wrap_to_the_width(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        run(["ingest", "--help"])
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert len(description.splitlines()) > 2 and max(map(len, description.splitlines())) <= 60
