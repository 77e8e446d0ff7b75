"""`sitrep ingest` as a user runs it: stores a batch, reports bad items exactly as `sitrep
extract` does and exits 1, ends with a count of what was added, replaced, already stored
and repeated within the input."""
import json
import subprocess
import sys

import pytest

from clitools import GOOD, run, write_batch
from pg import store_url  # noqa: F401
from sitrep.store import open_store


@pytest.fixture
def batch(tmp_path):
    return write_batch(tmp_path / "in")


def errors(err):
    return sorted(line for line in err.splitlines() if line.startswith("error:"))


def test_ingest_stores_the_good_and_names_the_bad_as_extract_does(store_url, batch):
    code, out, err = run(["ingest", str(batch), "--db", store_url])
    assert code == 1
    assert err.strip().splitlines()[-1] == \
        "8 articles read, 3 extracted, 5 failed; 3 added, 0 replaced, 0 already stored, 0 duplicates in this input"
    _, _, extract_err = run(["extract", str(batch)])
    assert errors(err) == errors(extract_err) and len(errors(err)) == 5
    with open_store(store_url) as store:
        assert sorted(a.article_id for a in store.articles()) == ["good", "quiet", "r1"]
        assert {si.article_id for si in store.incidents()} == {"good", "r1"}
    code, _, err = run(["ingest", str(batch), "--db", store_url])
    assert code == 1 and len(errors(err)) == 5  # bad items are reported again, never dropped
    assert err.strip().splitlines()[-1] == \
        "8 articles read, 0 extracted, 5 failed; 0 added, 0 replaced, 3 already stored, 0 duplicates in this input"


def test_a_text_repeated_in_the_input_is_not_said_to_be_stored_before(store_url, tmp_path):
    f = tmp_path / "twice.jsonl"
    f.write_text('{"id": "t1", "text": "Rebels shelled Mahardah on Friday, killing two women."}\n'
                 '{"id": "t2", "text": "Rebels shelled Mahardah on Friday, killing two women."}\n')
    code, _, err = run(["ingest", str(f), "--db", store_url, "--published", "2017-10-07"])
    assert code == 0, err
    assert err.strip().splitlines()[-1] == \
        "2 articles read, 1 extracted, 0 failed; 1 added, 0 replaced, 0 already stored, 1 duplicates in this input"
    code, _, err = run(["ingest", str(f), "--db", store_url, "--published", "2017-10-07"])
    assert err.strip().splitlines()[-1] == \
        "2 articles read, 0 extracted, 0 failed; 0 added, 0 replaced, 1 already stored, 1 duplicates in this input"


def test_a_clean_batch_exits_0_and_options_apply(store_url, tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("Rebels shelled the town of Mahardah on Friday, killing two women.")
    code, _, err = run(["ingest", str(f), "--db", store_url, "--published", "2017-10-07",
                        "--outlet", "Test Wire"])
    assert code == 0, err
    assert err.strip().splitlines()[-1].endswith("1 added, 0 replaced, 0 already stored, 0 duplicates in this input")
    with open_store(store_url) as store:
        (art,) = list(store.articles())
        assert (art.published, art.outlet) == ("2017-10-07", "Test Wire")
        assert store.incidents()[0].incident.date == "2017-10-06"


def test_default_database_is_sitrep_db_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(GOOD)
    code, _, err = run(["ingest", "a.txt"])
    assert code == 0, err
    with open_store(str(tmp_path / "sitrep.db")) as store:
        assert store.counts()["articles"] == 1


def test_a_database_that_cannot_be_reached_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    code, _, err = run(["ingest", str(tmp_path / "a.txt"), "--db",
                        "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"])
    assert code == 2 and err.startswith("error: database: cannot connect to PostgreSQL")
    code, _, err = run(["ingest", str(tmp_path / "a.txt"), "--db", "mysql://x/y"])
    assert code == 2 and err.startswith("error: --db:")


def test_the_final_count_as_a_user_sees_it(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(25):
        (d / f"a{i:02}.txt").write_text(GOOD.replace("three", str(i + 3)))
    p = subprocess.run([sys.executable, "-m", "sitrep.cli", "ingest", str(d), "--db", str(tmp_path / "x.db")],
                       capture_output=True, text=True, env={"TQDM_DISABLE": "0", "PATH": "/usr/bin:/bin"})
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    assert "25 articles read, 25 extracted, 0 failed; 25 added, 0 replaced, 0 already stored, 0 duplicates in this input" in p.stderr


def test_articles_without_a_publication_date_are_counted_once_and_dated_unknown(store_url, tmp_path):
    d = tmp_path / "undated"
    d.mkdir()
    (d / "one.txt").write_text("Rebels shelled the town of Mahardah on Friday, killing two women.")
    (d / "two.txt").write_text("An air strike killed five fighters in Raqqa on Tuesday, the monitor said.")
    (d / "dated.txt").write_text(GOOD)  # its dateline dates it
    for argv in (["extract", str(d)], ["ingest", str(d), "--db", store_url]):
        code, out, err = run(argv)
        assert code == 0, err
        warnings = [line for line in err.splitlines() if line.startswith("warning:")]
        assert warnings == ["warning: 2 articles have no publication date (no dateline, no date in the input, "
                            "no --published): their incidents' relative dates are unknown; give --published DATE"]
    records = [json.loads(line) for line in run(["extract", str(d)])[1].splitlines()]
    undated = [i for r in records if r["published"] is None for i in r["incidents"]]
    assert undated and all(i["date"] is None and i["date_precision"] == "unknown" for i in undated)
    code, _, err = run(["extract", str(d / "one.txt"), "--published", "2017-10-07"])
    assert "warning:" not in err
