"""`sitrep ingest` as a user runs it: stores a batch, reports bad items exactly as `sitrep
extract` does and exits 1, ends with a count of what was added, unchanged and replaced."""
import csv
import io
import subprocess
import sys

import pytest

from pg import store_url  # noqa: F401
from sitrep.cli import main
from sitrep.store import open_store

GOOD = ("Saturday 7 October 2017\nShelling by rebels killed three civilians in the Aleppo "
        "neighbourhood of al-Hamdaniyah on Friday, state news agency SANA said.")


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def batch(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "quiet.txt").write_text("Ministers met in Geneva on Monday to discuss aid deliveries to the north.")
    (d / "empty.txt").write_text("")
    (d / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (d / "cut.json").write_text('{"id": "c1", "text": "Rockets hit the port and killed two')
    with open(d / "rows.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "text", "published"])
        w.writerow(["r1", "Strike", "An air strike killed five fighters in Raqqa on Tuesday, the monitor said.", "2017-08-23"])
        w.writerow(["r2", "Empty", "", "2017-08-23"])
    (d / "fr.txt").write_text("Au moins douze civils ont été tués vendredi dans une attaque contre un "
                              "village du centre du Mali, selon les autorités locales de la région.")
    return d


def errors(err):
    return sorted(line for line in err.splitlines() if line.startswith("error:"))


def test_ingest_stores_the_good_and_names_the_bad_as_extract_does(store_url, batch):
    code, out, err = run(["ingest", str(batch), "--db", store_url])
    assert code == 1
    assert err.strip().splitlines()[-1] == \
        "8 articles read, 3 extracted, 5 failed; 3 added, 0 unchanged, 0 replaced"
    _, _, extract_err = run(["extract", str(batch)])
    assert errors(err) == errors(extract_err) and len(errors(err)) == 5
    with open_store(store_url) as store:
        assert sorted(a.article_id for a in store.articles()) == ["good", "quiet", "r1"]
        assert {si.article_id for si in store.incidents()} == {"good", "r1"}
    code, _, err = run(["ingest", str(batch), "--db", store_url])
    assert code == 1 and len(errors(err)) == 5  # bad items are reported again, never dropped
    assert err.strip().splitlines()[-1] == \
        "8 articles read, 0 extracted, 5 failed; 0 added, 3 unchanged, 0 replaced"


def test_a_clean_batch_exits_0_and_options_apply(store_url, tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("Rebels shelled the town of Mahardah on Friday, killing two women.")
    code, _, err = run(["ingest", str(f), "--db", store_url, "--published", "2017-10-07",
                        "--outlet", "Test Wire"])
    assert code == 0, err
    assert err.strip().splitlines()[-1].endswith("1 added, 0 unchanged, 0 replaced")
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
    assert "25 articles read, 25 extracted, 0 failed; 25 added, 0 unchanged, 0 replaced" in p.stderr
