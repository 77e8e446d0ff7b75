"""Corrections as an overlay in the store (SQLite and PostgreSQL): applied wherever incidents
are read, kept with their history, and surviving re-extraction by a newer extractor and
re-linking; a correction whose incident is gone is listed, not dropped."""
import pytest

from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from reviewfix import fill, link, record
from sitrep import incident_index, review
from sitrep.store import IncidentQuery, open_store


def _by_place(reviewed):
    return {r.location.name: r for r in reviewed.incidents}


def _target(store, r):
    keys = store.incident_keys(r.members)
    return [keys[pk] for pk in r.members]


def _correct(store, r, action, **kw):
    return store.add_corrections([review.correction(action, _target(store, r), author=kw.pop("author", "ana"), **kw)])


def test_corrections_survive_a_newer_extractor_and_relinking(store_url):
    with open_store(store_url) as st:
        fill(st, "1.0")
        strike = _by_place(review.reconciled(st))["Kafr Batna"]
        assert strike.review is None and review.status(strike) == "unreviewed"
        _correct(st, strike, "set", field="location",
                 new={"name": "Kafr Batna", "admin1": "Rif Dimashq", "country": "sy", "lat": 33.52, "lon": 36.38},
                 old=strike.location.to_dict(), note="the town centre, not the farms")
        _correct(st, strike, "set", field="perpetrator", new=["Russian warplanes"], author="ben")
        _correct(st, strike, "set", field="acled", new={"sub_event_type": "Air/drone strike"})
        # the first claim (the monitor's 12) was misread: 10
        _correct(st, strike, "set", field="claim",
                 new={"claim": review.claim_key(_target(st, strike)[0], 0), "killed": {"total": 10}})
        shelling = _by_place(review.reconciled(st))["Jisr al-Shughur"]
        _correct(st, shelling, "review")

        def check():
            got = _by_place(review.reconciled(st))
            s = got["Kafr Batna"]
            assert (s.location.lat, s.location.lon, s.location.precision, s.location.country) == (33.52, 36.38, "point", "SY")
            assert [p.actor for p in s.perpetrators] == ["Russian forces"]   # the dictionary's name for it
            assert s.killed["total"].low == 10 and s.killed["total"].high == 15
            assert s.review["status"] == "corrected"
            assert s.review["corrected"] == ["acled", "claims", "location", "perpetrator"]
            assert s.review["acled"]["acled_event_type"] == "Explosions/Remote violence"
            history = s.review["history"]
            assert [h["author"] for h in history] == ["ana", "ben", "ana", "ana"]
            assert history[0]["note"] == "the town centre, not the farms"
            assert history[0]["old"]["lat"] == 33.51 and history[0]["new"]["lat"] == 33.52
            assert got["Jisr al-Shughur"].review["status"] == "reviewed"
            return got

        before = check()
        old_pks = sorted(pk for r in before.values() for pk in r.members)
        # a newer extractor rewrites every record (new incident keys in the store), then the
        # linker runs again (new link ids)
        for aid in ("a1", "a2", "b1"):
            assert st.add(*record(aid, " (2.0)"), "2.0") == "replaced"
        link(st)
        after = check()
        assert sorted(pk for r in after.values() for pk in r.members) != old_pks
        assert {r.id for r in after.values()} != {r.id for r in before.values()}
        # the stored records stay as the machine wrote them
        assert {si.incident.location.lat for si in st.incidents()} == {33.51, 35.81}


def test_merge_and_split_are_kept_over_relinking(store_url):
    with open_store(store_url) as st:
        fill(st)
        places = _by_place(review.reconciled(st))
        strike, shelling = places["Kafr Batna"], places["Jisr al-Shughur"]
        _correct(st, strike, "split", new=[_target(st, strike)[1]], note="two strikes, not one")
        got = review.reconciled(st).incidents
        assert len(got) == 3 and all(len(r.members) == 1 for r in got)
        assert all(r.review["status"] == "corrected" for r in got if r.location.name == "Kafr Batna")
        _correct(st, strike, "merge", new=_target(st, shelling))
        link(st)  # the linker again: a1 with a2, b1 alone
        got = review.reconciled(st).incidents
        assert len(got) == 2 and sorted(len(r.members) for r in got) == [1, 2]
        merged = next(r for r in got if len(r.members) == 2)
        assert {st.incident_keys([pk])[pk] for pk in merged.members} == {_target(st, strike)[0], _target(st, shelling)[0]}
        assert [h["action"] for h in merged.review["history"]] == ["split", "merge"]


def test_a_correction_whose_incident_is_gone_is_listed(store_url):
    with open_store(store_url) as st:
        fill(st)
        st.add_corrections([review.correction("set", ["0" * 64 + ":0"], author="ana", field="event_type",
                                              new="shelling")])
        got = review.reconciled(st)
        assert len(got.incidents) == 2 and [c.field for c in got.orphans] == ["event_type"]


def test_the_index_holds_the_reviewed_values_and_filters_by_status(store_url):
    with open_store(store_url) as st:
        fill(st)
        incident_index.build(st)
        version = st.index_version()
        strike = _by_place(review.reconciled(st))["Kafr Batna"]
        _correct(st, strike, "set", field="event_type", new="shelling")
        assert st.fingerprint() != version   # a correction makes the index stale
        assert incident_index.refresh(st)
        total, items = st.query_index(IncidentQuery(review_status=("corrected",)), limit=10, offset=0)
        assert total == 1 and items[0]["event_type"] == "shelling" and items[0]["corrected"] == ["event_type"]
        total, items = st.query_index(IncidentQuery(review_status=("unreviewed",)), limit=10, offset=0)
        assert total == 1 and items[0]["place"] == "Jisr al-Shughur"
        _, payload = st.index_incident(items[0]["id"])
        assert "review" not in payload


def test_the_same_correction_is_stored_once(store_url):
    with open_store(store_url) as st:
        fill(st)
        r = review.reconciled(st).incidents[0]
        c = review.correction("note", _target(st, r), author="ana", note="check the second source")
        assert len(st.add_corrections([c])) == 1
        again = review.from_dict(c.to_dict())
        assert st.add_corrections([again]) == []
        assert [x.uid for x in st.corrections()] == [c.uid]


@pytest.mark.parametrize("field,value,message", [
    ("event_type", "bombing", "unknown event type"),
    ("acled", {"sub_event_type": "Air strike"}, "not one of ACLED's sub-event types"),
    ("acled", {"sub_event_type": "Attack", "acled_event_type": "Battles"}, "is of 'Violence against civilians'"),
    ("date", {"date": "2019-02-30"}, "not a date"),
    ("date", {"date": "2019-03-04", "date_end": "2019-03-01"}, "before date"),
    ("location", {"name": "X", "lat": 95, "lon": 1}, "location.lat"),
    ("location", {"name": "X", "lat": 35}, "both lat and lon"),
    ("location", {"name": "", "lat": 35, "lon": 36}, "location.name: required"),
    ("perpetrator", [], "one to ten names"),
    ("claim", {"claim": "h:0/0", "killed": {"total": -1}}, "whole number from 0"),
    ("claim", {"claim": "h:0/0", "killed": {"total": {"low": 5, "high": 3}}}, "low <= best <= high"),
    ("claim", {"claim": "h:0/0"}, "nothing to correct"),
    ("colour", "red", "unknown field"),
])
def test_bad_values_are_refused_with_what_is_wrong(field, value, message):
    with pytest.raises(ValueError, match=message):
        review.correction("set", ["h:0"], author="ana", field=field, new=value)


def test_a_correction_of_a_claim_that_is_gone_is_listed_not_applied(store_url):
    with open_store(store_url) as st:
        fill(st)
        r = _by_place(review.reconciled(st))["Jisr al-Shughur"]
        target = _target(st, r)
        _correct(st, r, "set", field="claim", new={"claim": review.claim_key(target[0], 5), "wrong": True})
        got = review.reconciled(st)
        assert [c.field for c in got.orphans] == ["claim"]
        assert _by_place(got)["Jisr al-Shughur"].review is None   # nothing reached it


def test_a_claim_marked_wrong_and_then_right_has_its_figures_back(store_url):
    with open_store(store_url) as st:
        fill(st)
        r = _by_place(review.reconciled(st))["Kafr Batna"]
        first = review.claim_key(_target(st, r)[0], 0)
        _correct(st, r, "set", field="claim", new={"claim": first, "wrong": True})
        _correct(st, r, "set", field="claim", new={"claim": first, "killed": {"total": 11}})
        got = _by_place(review.reconciled(st))["Kafr Batna"]
        assert got.review["wrong_claims"] == [0] and got.killed["total"].low == 15
        _correct(st, r, "set", field="claim", new={"claim": first, "wrong": False})
        got = _by_place(review.reconciled(st))["Kafr Batna"]
        assert got.review["wrong_claims"] == [] and got.killed["total"].low == 11   # the corrected figure
