"""Extraction on this machine's cores (`--engine processes`) gives exactly the single-process
output: the same records in the same order, and the same error lines for bad items (an
unreadable line, an article that is not English), with 2 worker processes."""
import json

import pytest

from clitools import NOT_ENGLISH, run
from pg import write_copies


def errors(result):
    code, out, err = result
    return code, out, [line for line in err.splitlines() if line.startswith("error:") or "articles read" in line]


@pytest.mark.slow
def test_worker_processes_equal_single_process(tmp_path):
    path = tmp_path / "batch.jsonl"
    n = write_copies(path, 3, extra=[NOT_ENGLISH, {"id": "broken", "text": ""}])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"id": "truncated", "text": "Ten\n')
    n += 1
    single = errors(run(["extract", str(path)]))
    pooled = errors(run(["extract", str(path), "--engine", "processes", "--num-workers", "2"]))
    assert single[0] == pooled[0] == 1
    records = [json.loads(line) for line in single[1].splitlines()]
    assert len(records) == n - 3 >= 30
    assert pooled[1] == single[1]  # record for record, byte for byte, in input order
    assert pooled[2] == single[2]
    assert single[2][-1] == f"{n} articles read, {n - 3} extracted, 3 failed"
