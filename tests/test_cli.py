"""The `sitrep` command as a user runs it: formats, stdin, progress, and bad input in a batch."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import GOOD, run, write_batch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def batch(tmp_path):
    return write_batch(tmp_path / "in", huge=True)


def test_bad_items_are_named_and_the_rest_is_extracted(batch):
    code, out, err = run(["extract", str(batch), "--format", "jsonl"])
    assert code == 1
    ids = sorted(json.loads(line)["article_id"] for line in out.splitlines())
    assert ids == ["good", "quiet", "r1"]
    errors = [l for l in err.splitlines() if l.startswith("error:")]
    named = " ".join(errors)
    for bad in ("empty.txt", "blob.bin", "cut.json", "rows.csv:row", "fr.txt", "huge.txt"):
        assert bad in named, bad
    assert len(errors) == 6
    assert err.strip().splitlines()[-1] == "9 articles read, 3 extracted, 6 failed"


def test_article_with_no_incident_is_a_success(tmp_path):
    f = tmp_path / "quiet.txt"
    f.write_text("Ministers met in Geneva on Monday to discuss aid deliveries to the north.")
    code, out, err = run(["extract", str(f), "--published", "2019-03-04"])
    assert code == 0
    rec = json.loads(out)
    assert rec["incidents"] == [] and rec["published"] == "2019-03-04"


def test_jsonl_is_exactly_the_spec_record(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    code, out, _ = run(["extract", str(f)])
    rec = json.loads(out)
    assert code == 0 and list(rec) == ["article_id", "published", "incidents", "summary"]
    inc = rec["incidents"][0]
    assert inc["event_type"] == "shelling" and inc["date"] == "2017-10-06"
    assert inc["claims"][0]["claimed_by"] == "SANA"
    assert inc["claims"][0]["killed"]["civilians"]["best"] == 3


def test_formats_and_output_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    code, out, _ = run(["extract", str(f), "--format", "table"])
    assert code == 0 and "shelling" in out and "SANA" in out
    code, out, _ = run(["extract", str(f), "--format", "table", "--columns", "place,killed,claimed by"])
    assert out.splitlines()[0].split() == ["place", "killed", "claimed", "by"]
    assert out.splitlines()[2].split() == ["Al-Hamdaniyah", "3", "SANA"]
    code, out, _ = run(["extract", str(f), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["event_type"] == "shelling" and rows[0]["killed_best"] == "3"
    code, out, _ = run(["extract", str(f), "--format", "json", "-o", str(tmp_path / "o.json")])
    assert json.loads((tmp_path / "o.json").read_text())[0]["article_id"] == "a"


def test_stdin_and_published_and_outlet_options():
    code, out, err = run(["extract", "-", "--published", "2017-10-07", "--outlet", "Test"],
                         stdin="Rebels shelled the town of Mahardah on Friday, killing two women.")
    rec = json.loads(out)
    assert code == 0 and rec["published"] == "2017-10-07"
    assert rec["incidents"][0]["date"] == "2017-10-06"


def test_progress_bar_for_many_articles(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(25):
        (d / f"a{i:02}.txt").write_text(GOOD)
    # run as a user would, in a terminal-less subprocess: the bar goes to stderr, records to stdout
    p = subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", str(d)], capture_output=True,
                       text=True, env={"TQDM_DISABLE": "0", "PATH": "/usr/bin:/bin"})
    assert p.returncode == 0, p.stderr
    assert len(p.stdout.splitlines()) == 25
    assert "25 articles read, 25 extracted, 0 failed" in p.stderr


def test_every_command_and_option_is_documented():
    readme = (ROOT / "README.md").read_text()
    from sitrep.cli import build_parser
    from sitrep.commands.helptext import subcommands
    parser = build_parser()
    for words, p in [((), parser), *subcommands(parser)]:
        name = " ".join(("sitrep",) + words)
        assert name in readme, name
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"{name} {opt}"
