"""The bar: re-ingesting the same articles with a newer extractor version and re-linking keeps
every correction, as a user does it (`sitrep ingest`, `sitrep link`, with the real extractor),
on SQLite and PostgreSQL."""
import importlib
import json
from pathlib import Path

import pytest

from clitools import run
from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from sitrep import review
from sitrep.store import open_store

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [str(ROOT / "samples" / "syria-aleppo-2016.txt"), str(ROOT / "samples" / "wire-yemen-sudan.json"),
          str(ROOT / "demo" / "more-outlets.jsonl")]


def _ingest_and_link(url):
    code, _, err = run(["ingest", *INPUTS, "--db", url])
    assert code == 0, err
    code, _, err = run(["link", "--db", url])
    assert code == 0, err


def _view(url):
    """What a user reads of the reviewed incidents, without the store's own numbers."""
    code, out, err = run(["incidents", "--db", url, "--format", "json"])
    assert code == 0, err
    return sorted((sorted(r["article_ids"]), r["event_type"], r["date"], r["location"]["name"], r["location"]["lat"],
                   [p["actor"] for p in r["perpetrators"]], (r.get("review") or {}).get("status", "unreviewed"),
                   (r.get("review") or {}).get("corrected", []), len((r.get("review") or {}).get("history", [])))
                  for r in json.loads(out))


@pytest.mark.slow
def test_corrections_survive_a_newer_extractor_and_relinking_end_to_end(store_url, monkeypatch):
    _ingest_and_link(store_url)
    with open_store(store_url) as st:
        incidents = review.reconciled(st).incidents
        keys = st.incident_keys()
        target = lambda r: [keys[pk] for pk in r.members]  # noqa: E731
        linked = next(r for r in incidents if len(r.members) >= 2)
        alone = [r for r in incidents if len(r.members) == 1][:3]
        assert len(alone) == 3
        st.add_corrections([
            review.correction("set", target(linked), author="ana", field="location", old=linked.location.to_dict(),
                              new={"name": "Checked place", "country": "SY", "lat": 36.2, "lon": 37.1}),
            review.correction("split", target(linked), author="ana", new=target(linked)[-1:]),
            review.correction("merge", target(alone[0]), author="ben", new=target(alone[1])),
            review.correction("set", target(alone[2]), author="ben", field="perpetrator", new=["Wagner Group"]),
            review.correction("review", target(alone[2]), author="ben"),
        ])
        pks_before = sorted(si.pk for si in st.incidents())
    before = _view(store_url)
    assert sum(1 for v in before if v[6] == "corrected") == 4   # the split's two parts, the merge, the perpetrator
    # (sitrep.extract is also a function of the package: the module is reached by its name)
    pipeline = importlib.import_module("sitrep.extract.pipeline")
    newer = pipeline.EXTRACTOR_VERSION + ".1"  # a later version than the one that stored them
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", newer)
    _ingest_and_link(store_url)
    with open_store(store_url) as st:
        assert {a.extractor_version for a in st.articles()} == {newer}
        assert review.reconciled(st).orphans == []
        assert sorted(si.pk for si in st.incidents()) != pks_before or st.dialect == "sqlite"
    assert _view(store_url) == before
