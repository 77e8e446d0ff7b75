"""Parquet input: one article per row, the JSON reader's field names; the same Articles as the
same rows in JSON Lines; bad rows and broken files are errors naming them, never the end of
the batch."""
import datetime as dt
import io
import json

import pytest

from sitrep.cli import main
from sitrep.ingest import IngestError, count_inputs, read_inputs

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROWS = [
    {"id": "a1", "title": "Air strike on Douma", "outlet": "SANA", "published": "2017-10-07",
     "text": "Ten civilians were killed in an air strike on Douma, the Syrian Observatory said."},
    {"id": "a2", "title": None, "outlet": None, "published": None, "text": ""},
    {"id": "a3", "title": "Shelling", "outlet": "AFP", "published": "2018-02-01",
     "text": "Shelling killed three people in Ghouta on Thursday, rescuers said."},
]


def write(tmp_path, rows=ROWS, name="arts.parquet"):
    path = tmp_path / name
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)
    return path


def test_parquet_rows_read_as_json_lines_would(tmp_path):
    pq_path = write(tmp_path)
    jl = tmp_path / "arts.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    from_pq = list(read_inputs([str(pq_path)]))
    from_jl = list(read_inputs([str(jl)]))
    assert [type(x) for x in from_pq] == [type(x) for x in from_jl] == [type(from_pq[0]), IngestError, type(from_pq[0])]
    for p, j in zip(from_pq, from_jl):
        if isinstance(p, IngestError):
            assert p.source == f"{pq_path}:row 2" and p.reason == j.reason
        else:
            assert (p.article_id, p.title, p.text, p.published, p.outlet) == \
                   (j.article_id, j.title, j.text, j.published, j.outlet)
            assert p.source.startswith(f"{pq_path}:row ")
    assert count_inputs([str(pq_path)]) == 3


def test_typed_dates_and_aliases(tmp_path):
    path = write(tmp_path, [{"article_id": 7, "headline": "H", "content": "Two people were killed in Idlib.",
                             "date": dt.date(2019, 5, 3)}], name="typed.parquet")
    (art,) = read_inputs([str(path)])
    assert (art.article_id, art.title, art.published) == ("7", "H", "2019-05-03")


def test_broken_parquet_and_no_text_column_are_errors(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet at all")
    notext = write(tmp_path, [{"id": "x", "title": "no text here"}], name="notext.parquet")
    items = list(read_inputs([str(bad), str(notext)]))
    assert all(isinstance(i, IngestError) for i in items) and len(items) == 2
    assert "could not be read as Parquet" in items[0].reason
    assert "no text column" in items[1].reason


def test_extract_cli_reads_parquet(tmp_path):
    path = write(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["extract", str(path)], out, err) == 1
    ids = [json.loads(line)["article_id"] for line in out.getvalue().splitlines()]
    assert ids == ["a1", "a3"]
    assert f"error: {path}:row 2: no text" in err.getvalue()
    assert "3 articles read, 2 extracted, 1 failed" in err.getvalue()


def test_without_pyarrow_a_clear_error(tmp_path, monkeypatch):
    import sys
    path = write(tmp_path)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    (item,) = list(read_inputs([str(path)]))
    assert isinstance(item, IngestError) and "needs pyarrow" in item.reason
