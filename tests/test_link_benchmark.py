"""The linking benchmark's arithmetic and its synthetic world, on small sizes (not timed)."""
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_link", ROOT / "benchmarks" / "link.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_growth_exponents(bench):
    assert bench.growth_exponents([10, 100, 1000], [1.0, 10.0, 100.0]) == pytest.approx([1.0, 1.0])
    assert bench.growth_exponents([10, 100], [1.0, 100.0]) == pytest.approx([2.0])
    assert bench.growth_exponents([1000, 4000], [2.0, 4.0]) == pytest.approx([0.5])
    assert bench.growth_exponents([10, 10], [1.0, 2.0]) == [None]
    assert bench.growth_exponents([10, 100], [0.0, 2.0]) == [None]
    assert bench.growth_exponents([10], [1.0]) == []


def test_synthetic_claims_link_back_to_their_acts(bench):
    from sitrep.link import link_table

    table, act = bench.synthetic_table(3000, seed=1)
    assert len(table) == len(act) == 3000
    assert table.linkable.all()
    result = link_table(table)
    q = bench.pairwise_quality(result.labels, act)
    assert q["recall"] > 0.8 and q["precision"] > 0.4


def test_candidates_grow_linearly_with_a_world_of_constant_density(bench):
    from sitrep.link.blocking import candidate_pairs

    sizes, counts = [4000, 16000], []
    for n in sizes:
        table, _ = bench.synthetic_table(n, seed=2)
        counts.append(len(candidate_pairs(table)[0]))
    (exponent,) = bench.growth_exponents(sizes, counts)
    assert 0.8 < exponent < 1.25


def test_pairwise_quality(bench):
    truth = np.array([0, 0, 1, 1])
    assert bench.pairwise_quality(np.array([0, 0, 2, 2]), truth) == {"precision": 1.0, "recall": 1.0}
    q = bench.pairwise_quality(np.array([0, 0, 0, 0]), truth)
    assert q["recall"] == 1.0 and math.isclose(q["precision"], 2 / 6)


def test_the_benchmark_writes_its_results(bench, tmp_path):
    assert bench.main(["1000", "2000", "--out", str(tmp_path)]) == 0
    r = json.loads((tmp_path / "link.json").read_text())
    assert [x["claims"] for x in r["runs"]] == [1000, 2000]
    assert len(r["growth_time"]) == 1 and all(x["peak_rss_mb"] > 0 for x in r["runs"])
    assert "Growth exponents" in (tmp_path / "link.md").read_text()
