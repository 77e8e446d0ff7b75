"""`sitrep reference import` and `sitrep verify` as a user runs them, on SQLite and (where a
server can be had) PostgreSQL."""
import io
import json

import pytest

from pg import store_url  # noqa: F401
from sitrep.cli import main
from sitrep.store import open_store

ARTICLES = [
    {"id": "reuters-1", "outlet": "Reuters", "published": "2017-04-05",
     "text": "Air strikes killed 58 people in the town of Khan Sheikhoun in Idlib province on Tuesday, "
             "the Syrian Observatory for Human Rights said."},
    {"id": "afp-1", "outlet": "AFP", "published": "2017-04-05",
     "text": "An air strike killed 58 people in Khan Sheikhoun in Idlib province on Tuesday, "
             "the Syrian Observatory for Human Rights said."},
    {"id": "other-1", "outlet": "AP", "published": "2017-04-05",
     "text": "Air strikes killed 174 people in Khan Sheikhoun in Idlib province on Tuesday, "
             "the Syrian Observatory for Human Rights said."},
]

VDC_DAILY = """day,Aleppo,Damascus,Damascus Suburbs,Daraa,Deir Ezzor,Hama,Hasakeh,Homs,Idlib,Lattakia,Quneitra,Raqqa,Sweida,Tartous
2011-03-18,0,0,0,3,0,0,0,0,0,0,0,0,0,0
2017-04-04,3,0,0,0,0,0,0,0,60,0,0,0,0,0
2017-04-05,oops,0,0,0,0,0,0,0,4,0,0,0,0,0
2018-12-31,0,0,0,1,0,0,0,0,0,0,0,0,0,0
"""


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def loaded(store_url, tmp_path):
    src = tmp_path / "articles.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    code, _, err = run(["ingest", str(src), "--db", store_url])
    assert code == 0, err
    ref = tmp_path / "vdc-daily.csv"
    ref.write_text(VDC_DAILY)
    code, out, err = run(["reference", "import", str(ref), "--format", "vdc-daily", "--db", store_url])
    assert code == 1  # one bad row
    assert err.splitlines()[0] == f"error: {ref}:row 4: Aleppo 'oops' is not a number (the row's other columns were read)"
    assert "5 vdc-daily records read" in out and "5 new" in out and "1 bad rows" in out
    code, out, _ = run(["reference", "import", str(ref), "--format", "vdc-daily", "--db", store_url])
    assert "0 new, 5 updated" in out  # importing again updates, never duplicates
    return store_url


def test_verify_json_scores_every_article_and_saves_them(loaded):
    code, out, err = run(["verify", "--db", loaded, "--format", "json"])
    assert code == 0, err
    got = {v["article_id"]: v for v in json.loads(out)}
    assert set(got) == {"reuters-1", "afp-1", "other-1"}
    for v in got.values():
        assert set(v) == {"article_id", "score", "reasons"}
        assert 0 <= v["score"] <= 1
        assert all({"kind", "detail", "weight"} <= set(r) for r in v["reasons"])
    # the two that agree with each other and with VDC beat the one that triples the toll
    assert got["reuters-1"]["score"] > got["other-1"]["score"]
    assert got["afp-1"]["score"] > got["other-1"]["score"]
    assert "figure_deviation" in {r["kind"] for r in got["other-1"]["reasons"]}
    assert "3 articles verified" in err
    with open_store(loaded) as store:
        saved = {v.article_id: v.score for v in store.verifications()}
    assert saved == {k: v["score"] for k, v in got.items()}


def test_verify_some_articles_as_a_table(loaded):
    code, out, err = run(["verify", "--db", loaded, "reuters-1", "missing-9"])
    assert code == 1
    assert "error: missing-9: no such article in the database" in err
    lines = out.splitlines()
    assert lines[0].split() == ["article", "score", "reasons"]
    assert lines[2].startswith("reuters-1") and lines[3] == "" and lines[4].startswith("reasons:")


def test_reference_import_refuses_a_file_of_another_format(store_url, tmp_path):
    bad = tmp_path / "acled.csv"
    bad.write_text(VDC_DAILY)
    code, out, err = run(["reference", "import", str(bad), "--format", "acled", "--db", store_url])
    assert code == 2 and "not this format" in err and out == ""
    code, _, err = run(["reference", "import", str(tmp_path / "none.csv"), "--format", "vdc", "--db", store_url])
    assert code == 2 and "cannot read" in err


def test_verify_shows_progress_only_when_asked_off_a_terminal(loaded):
    code, out, err = run(["verify", "--db", loaded, "--format", "json"])
    assert code == 0 and err.splitlines() == ["3 articles verified (0 stored links, 5 reference records); 3 shown"]
    code, out2, err = run(["verify", "--db", loaded, "--format", "json", "--progress"])
    assert code == 0 and out2 == out
    assert "verifying:" in err and "/3 [" in err   # the bar, on standard error only
    assert err.splitlines()[-1].startswith("3 articles verified")
