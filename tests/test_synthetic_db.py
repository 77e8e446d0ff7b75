"""The synthetic database of benchmarks/synthetic.py, small (not timed): what it writes is
what the extractor and the linker would have stored, and the index is built over it."""
import importlib.util
from pathlib import Path

import pytest

from sitrep.reconcile import reconcile_all
from sitrep.store import IncidentQuery, open_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("bench_synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url = str(tmp_path_factory.mktemp("synthetic") / "syn.db")
    return module, url, module.make_db(url, 400, seed=3)


def test_counts_and_the_index(synthetic):
    module, url, result = synthetic
    assert result["reconciled_incidents"] == result["acts"] == 400
    assert result["stored_incidents"] > result["acts"] and result["links"] > 50 and result["wire_copies"] > 5
    assert set(result["seconds"]) == {"generate", "write", "links", "index", "total"}
    with open_store(url) as st:
        assert st.index_version() == st.fingerprint()
        reconciled = reconcile_all(st.links(), st.incidents())
        assert len(reconciled) == 400  # every act's reports are linked into one incident
        assert any(r.wire_groups for r in reconciled) and any(r.disputed for r in reconciled)
        facets = st.index_facets()
        assert {e["value"] for e in facets["event_types"]} <= set(module.event_types())
        assert len(facets["countries"]) >= 6 and "2016" <= facets["date_min"] <= facets["date_max"] <= "2024-12-31"
        assert len(st.outlet_stats()) == len(module.OUTLETS)
        assert st.query_index(IncidentQuery(country="SY"), limit=5, offset=0)[0] > 50


def test_evidence_and_counts_point_into_the_text(synthetic):
    _, url, _ = synthetic
    with open_store(url) as st:
        texts = {a.pk: a.text for a in st.articles()}
        claims = 0
        for si in st.incidents():
            text = texts[si.article_pk]
            assert si.incident.location.name in text
            for claim in si.incident.claims:
                claims += 1
                assert claim.evidence
                for span in claim.evidence:
                    assert text[span.start:span.end] == span.text
                for count in list(claim.killed.values()) + list(claim.injured.values()):
                    assert count.text in text
        assert claims > 400
