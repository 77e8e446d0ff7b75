"""The link-and-verify benchmark's arithmetic and report, on a made-up result (not timed)."""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("bench_stages", ROOT / "benchmarks" / "stages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exponents_and_report(bench):
    assert bench.exponents([10_000, 40_000, 160_000], [5.0, 20.0, 160.0]) == [1.0, 1.5]
    assert bench.exponents([4_000, 4_000], [1.0, 2.0]) == [None]
    rows = [{"n": n, "link": {"seconds": s, "cpu_seconds": s - 1, "peak_rss_mb": 100.0 * k},
             "verify": {"seconds": s / 2, "cpu_seconds": s / 4, "peak_rss_mb": 50.0}}
            for k, (n, s) in enumerate([(4_000, 2.0), (20_000, 10.0)], 1)]
    md = bench.markdown({"kind": "dense", "when": "now", "cpus": 2, "python": "3.11", "rows": rows, "load": (3.5, 2.0, 1.0),
                         "exponents": {"link": [1.0], "verify": [1.0], "link_cpu": [1.37], "verify_cpu": [1.0]}})
    assert "`python benchmarks/stages.py dense 4000 20000`" in md
    assert "| 20,000 | 10.0 | 9.0 | 200 | 5.0 | 2.5 | 50 |" in md
    assert "link 1.0; verify 1.0; in CPU time" in md and "link 1.37; verify 1.0." in md
    assert "Load average at the end (1, 5, 15 min): 3.50, 2.00, 1.00." in md
