"""Extraction on Ray (`--engine ray`) gives exactly the single-process output: the same
records in the same order, and the same error lines for bad items (an unreadable line, an
article that is not English), with 2 local workers."""
import io
import json

import pytest

from clitools import NOT_ENGLISH
from pg import write_copies
from sitrep.cli import main

ray = pytest.importorskip("ray")



@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    path = tmp_path_factory.mktemp("ray") / "batch.jsonl"
    n = write_copies(path, 4, extra=[NOT_ENGLISH, {"id": "broken", "text": ""}])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"id": "truncated", "text": "Ten\n')
    return str(path), n + 1


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    errors = [line for line in err.getvalue().splitlines()
              if line.startswith("error:") or "articles read" in line]
    return code, out.getvalue(), errors


@pytest.mark.slow
def test_ray_records_and_errors_equal_single_process(local_ray, batch):
    path, n = batch
    single = run(["extract", path])
    on_ray = run(["extract", path, "--engine", "ray", "--num-workers", "2"])
    assert single[0] == on_ray[0] == 1
    records = [json.loads(line) for line in single[1].splitlines()]
    assert len(records) == n - 3 >= 40
    assert on_ray[1] == single[1]  # record for record, byte for byte, in input order
    assert on_ray[2] == single[2]
    assert any(line.endswith(f"line {n - 2}: not English: sitrep reads English articles only") for line in single[2])
    assert sum("error:" in line for line in single[2]) == 3
    assert single[2][-1] == f"{n} articles read, {n - 3} extracted, 3 failed"


@pytest.mark.slow
def test_ray_ingest_equals_single_process(local_ray, batch, tmp_path):
    from pg import dump
    path, _ = batch
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    single = run(["ingest", path, "--db", a])
    on_ray = run(["ingest", path, "--db", b, "--engine", "ray", "--num-workers", "2"])
    assert single[0] == on_ray[0] == 1 and single[2] == on_ray[2]
    assert dump(a) == dump(b)


def test_engine_ray_without_ray_is_a_clear_error(monkeypatch, tmp_path):
    import sys
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    f = tmp_path / "a.txt"
    f.write_text("Ten civilians were killed in an air strike on Douma, the Observatory said.")
    for cmd in (["extract", str(f)], ["ingest", str(f), "--db", str(tmp_path / "x.db")]):
        out, err = io.StringIO(), io.StringIO()
        assert main(cmd + ["--engine", "ray"], out, err) == 2
        assert "error: --engine: --engine ray needs Ray: pip install" in err.getvalue()
    assert main(["extract", str(f)], io.StringIO(), io.StringIO()) == 0  # the default needs no Ray


def test_num_workers_must_be_positive(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Ten civilians were killed in an air strike on Douma, the Observatory said.")
    err = io.StringIO()
    assert main(["extract", str(f), "--engine", "ray", "--num-workers", "0"], io.StringIO(), err) == 2
    assert "at least 1" in err.getvalue()
