"""Reconciliation: low/best/high across sources, independent sources, flags, and the filters."""
import pytest

from sitrep.records import Claim, Count, Incident, Location, Span
from sitrep.reconcile import (
    FLAGS, ReconciledIncident, figures_disagree, reconcile, reconcile_all, select, source_kind,
)
from sitrep.store.model import LinkedIncident, StoredIncident


def count(v):
    """14 -> best 14; (58, 58, None) -> low/best/high as given."""
    if isinstance(v, tuple):
        return Count(*v)
    return Count(best=v)


def claim(by, killed=None, injured=None, denial=False, evidence=None):
    return Claim(claimed_by=by,
                 killed={k: count(v) for k, v in (killed or {}).items()},
                 injured={k: count(v) for k, v in (injured or {}).items()},
                 denial=denial,
                 evidence=[Span(0, len(evidence), evidence)] if evidence else [])


def stored(pk, article_pk, article_id, outlet="Reuters", published="2017-10-07", *,
           event_type="air_strike", date="2017-10-06", date_end=None, date_precision="day",
           place="Mayadeen", admin1="Deir ez-Zor", country="SY", lat=35.02, lon=40.45,
           precision="town", perpetrator=("Russian forces",), target=None, claims=()):
    inc = Incident(event_type=event_type, date=date, date_end=date_end,
                   date_precision=date_precision,
                   location=Location(place, admin1, country, lat, lon, precision),
                   perpetrator=list(perpetrator), target=target, claims=list(claims))
    return StoredIncident(pk=pk, article_pk=article_pk, article_id=article_id, outlet=outlet,
                          published=published, index=0, incident=inc)


def run(members, wire_groups=(), link_id=1):
    by_pk = {m.pk: m for m in members}
    return reconcile(LinkedIncident(id=link_id, members=[m.pk for m in members],
                                    wire_groups=[list(g) for g in wire_groups]), by_pk)


# --- low / best / high ---------------------------------------------------------------------

def test_one_source_keeps_its_own_range():
    r = run([stored(1, 10, "a1", claims=[claim("Syrian Observatory for Human Rights",
                                               {"total": (58, 58, None), "civilians": 12})])])
    total = r.killed["total"]
    assert (total.low, total.best, total.high) == (58, 58, 58)
    assert total.best_source == "Syrian Observatory for Human Rights"
    assert r.killed["civilians"].best == 12
    assert r.number_of_sources == 1
    assert r.flags == ["single_source"]


def test_a_monitor_gives_best_over_a_party_and_the_range_spans_both():
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("Russian Defence Ministry", {"total": (None, 80, 80)})]),
        stored(2, 11, "a2", "AFP", claims=[claim("Syrian Observatory for Human Rights", {"total": 20})]),
    ])
    total = r.killed["total"]
    assert (total.low, total.best, total.high) == (20, 20, 80)
    assert total.best_source == "Syrian Observatory for Human Rights"
    assert total.by_source == {"Syrian Observatory for Human Rights": 20, "Russian Defence Ministry": 80}
    assert "figures_disagree" in r.flags
    assert r.number_of_sources == 2


def test_services_and_reporters_rank_between_monitors_and_parties():
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("Syrian army", {"total": 3})]),
        stored(2, 11, "a2", "AFP", claims=[claim("reporter", {"total": 9})]),
        stored(3, 12, "a3", "AP", claims=[claim("White Helmets", {"total": 11})]),
    ])
    assert r.killed["total"].best == 11
    assert r.killed["total"].best_source == "White Helmets"
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("Syrian army", {"total": 3})]),
        stored(2, 11, "a2", "AFP", claims=[claim("reporter", {"total": 9})]),
    ])
    assert r.killed["total"].best_source == "reporter (AFP)"


def test_the_more_specific_claim_wins_among_sources_of_one_kind():
    r = run([
        stored(1, 10, "a1", "Reuters", date_precision="report", precision="admin1",
               claims=[claim("Syrian Observatory for Human Rights", {"total": 30})]),
        stored(2, 11, "a2", "AFP",
               claims=[claim("Syrian Network for Human Rights", {"total": 25, "civilians": 20, "children": 6})]),
    ])
    assert r.killed["total"].best == 25
    assert r.killed["total"].best_source == "Syrian Network for Human Rights"


def test_sources_tied_on_kind_and_specificity_give_the_lower_median():
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("a witness", {"total": 30})]),
        stored(2, 11, "a2", "AFP", claims=[claim("residents", {"total": 10})]),
        stored(3, 12, "a3", "AP", claims=[claim("activists", {"total": 12})]),
    ])
    assert (r.killed["total"].low, r.killed["total"].best, r.killed["total"].high) == (10, 12, 30)


def test_the_latest_update_of_a_source_replaces_its_earlier_figure():
    r = run([
        stored(1, 10, "a1", "Reuters", "2017-10-06", claims=[claim("Syrian Observatory for Human Rights", {"total": 5})]),
        stored(2, 11, "a2", "AFP", "2017-10-08", claims=[claim("Syrian Observatory for Human Rights", {"total": 12})]),
    ])
    total = r.killed["total"]
    assert (total.low, total.best, total.high) == (12, 12, 12)
    assert "figures_disagree" not in r.flags
    superseded = {c.article_id: c.superseded for c in r.claims}
    assert superseded == {"a1": True, "a2": False}


def test_identical_wire_copies_are_not_superseded_and_count_once():
    copies = [stored(i, 10 + i, f"w{i}", outlet, claims=[claim("reporter", {"total": 7})])
              for i, outlet in ((1, "Yahoo News"), (2, "Daily Star"), (3, "Gulf Times"))]
    r = run(copies, wire_groups=[[11, 12, 13]])
    assert r.number_of_sources == 1
    assert not any(c.superseded for c in r.claims)
    assert len(r.killed["total"].by_source) == 1
    assert r.wire_groups == [["w1", "w2", "w3"]]


def test_denials_give_no_figures_and_raise_the_flag():
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("Russian Defence Ministry", {"total": 12}, denial=True)]),
        stored(2, 11, "a2", "AFP", claims=[claim("White Helmets", {"total": 32})]),
    ])
    assert r.killed["total"].by_source == {"White Helmets": 32}
    assert "denial" in r.flags
    assert r.disputed


def test_injured_are_reconciled_apart_from_killed():
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("WHO", {"total": 70}, {"total": (None, 200, 200)})]),
        stored(2, 11, "a2", "AFP", claims=[claim("Idlib health directorate", {"total": 58}, {"total": 300})]),
    ])
    assert r.injured["total"].best == 200
    assert (r.injured["total"].low, r.injured["total"].high) == (200, 300)
    assert r.killed["total"].best == 70   # monitor over service


def test_killed_figure_falls_back_on_civilians_plus_combatants():
    r = run([stored(1, 10, "a1", claims=[claim("reporter", {"civilians": (3, None, None), "combatants": 4})])])
    assert "total" not in r.killed
    assert r.killed_figure() == 7
    assert r.killed_conservative() == 7


# --- the tolerance -------------------------------------------------------------------------

@pytest.mark.parametrize("a,b,disagree", [
    (10, 14, True),    # 4 deaths, 29% of 14
    (40, 50, False),   # 10 deaths but 20%
    (1, 3, False),     # 67% but only 2 deaths
    (20, 80, True),
    (100, 124, False),
    (100, 134, True),
])
def test_figures_disagree_beyond_a_quarter_and_two_deaths(a, b, disagree):
    assert figures_disagree(a, b) is disagree
    assert figures_disagree(b, a) is disagree


# --- independent sources -------------------------------------------------------------------

def test_wire_copies_and_one_outlet_twice_count_once():
    members = [
        stored(1, 10, "w1", "Yahoo News", claims=[claim("reporter", {"total": 7})]),
        stored(2, 11, "w2", "Daily Star", claims=[claim("reporter", {"total": 7})]),
        stored(3, 12, "r1", "Reuters", "2017-10-07", claims=[claim("Syrian Observatory for Human Rights", {"total": 8})]),
        stored(4, 13, "r2", "reuters ", "2017-10-08", claims=[claim("Syrian Observatory for Human Rights", {"total": 8})]),
        stored(5, 14, "x1", "Al Jazeera", claims=[claim("reporter", {"total": 6})]),
    ]
    r = run(members, wire_groups=[[10, 11]])
    assert r.number_of_sources == 3
    assert r.article_ids == ["w1", "w2", "r1", "x1", "r2"]   # by publication, then as stored
    assert r.wire_groups == [["w1", "w2"]]
    assert "single_source" not in r.flags
    # the reporter of the wire story and the reporter of Al Jazeera are two sources
    assert len([s for s in r.killed["total"].by_source if s.startswith("reporter")]) == 2


def test_article_ids_are_the_inputs_own_ids():
    r = run([stored(1, 501, "1914947530", "SANA"), stored(2, 502, "1919191759", "Reuters")],
            wire_groups=[])
    assert sorted(r.article_ids) == ["1914947530", "1919191759"]
    assert sorted(r.members) == [1, 2]


# --- perpetrators --------------------------------------------------------------------------

def test_disjoint_perpetrators_are_a_dispute_with_sources_for_each():
    r = run([
        stored(1, 10, "a1", "Reuters", perpetrator=["Syrian government forces"]),
        stored(2, 11, "a2", "AFP", perpetrator=["Russian forces"]),
        stored(3, 12, "a3", "AP", perpetrator=["Russian forces"]),
    ])
    assert "perpetrator_disputed" in r.flags
    assert [p.actor for p in r.perpetrators] == ["Russian forces", "Syrian government forces"]
    assert r.perpetrators[0].article_ids == ["a2", "a3"]
    assert r.perpetrators[0].number_of_sources == 2
    assert r.perpetrators[1].outlets == ["Reuters"]
    assert r.perpetrator == "Russian forces"


def test_alternatives_and_unknown_are_no_dispute():
    r = run([
        stored(1, 10, "a1", "Reuters", perpetrator=["Syrian government forces", "Russian forces"]),
        stored(2, 11, "a2", "AFP", perpetrator=["Russian forces"]),
        stored(3, 12, "a3", "AP", perpetrator=["unknown"]),
    ])
    assert "perpetrator_disputed" not in r.flags
    r = run([stored(1, 10, "a1", perpetrator=["unknown"])])
    assert [p.actor for p in r.perpetrators] == ["unknown"]


# --- the act itself ------------------------------------------------------------------------

def test_type_date_and_place_come_from_the_most_and_the_finest_reports():
    r = run([
        stored(1, 10, "a1", "Reuters", event_type="explosion", date="2017-10-07", date_precision="report",
               place="Deir ez-Zor", precision="admin1", lat=None, lon=None),
        stored(2, 11, "a2", "AFP", event_type="air_strike", date="2017-10-06", precision="town"),
        stored(3, 12, "a3", "AP", event_type="air_strike", date="2017-10-06", precision="town", lat=None, lon=None),
        stored(4, 13, "a4", "BBC", event_type="explosion", date="2017-10-05", precision="district"),
    ])
    assert r.event_type == "air_strike"       # a tie of two against two: the more specific type
    assert (r.date, r.date_precision) == ("2017-10-06", "day")
    assert r.location.name == "Mayadeen" and r.location.lat == 35.02


def test_round_trip_through_json():
    r = run([
        stored(1, 10, "a1", "Reuters", claims=[claim("Russian Defence Ministry", {"total": 80}, evidence="up to 80")]),
        stored(2, 11, "a2", "AFP", claims=[claim("Syrian Observatory for Human Rights", {"total": 20, "civilians": 20})]),
    ], wire_groups=[[10, 11]])
    d = r.to_dict()
    assert set(FLAGS) >= set(d["flags"])
    assert ReconciledIncident.from_dict(d).to_dict() == d
    assert d["claims"][0]["evidence"] == ["up to 80"]


# --- source kinds --------------------------------------------------------------------------

@pytest.mark.parametrize("name,kind", [
    ("Syrian Observatory for Human Rights", "monitor"), ("UN Human Rights Monitoring Mission in Ukraine", "monitor"),
    ("White Helmets", "service"), ("Idlib health directorate", "service"), ("medical sources", "service"),
    ("reporter", "reporter"), ("residents", "local"), ("a witness", "local"),
    ("SANA", "media"), ("Syrian opposition websites", "media"),
    ("Russian Defence Ministry", "party"), ("Homs governor", "party"), ("YPG", "party"),
    ("Turkish security sources", "party"), ("somebody", "other"),
])
def test_claimants_have_kinds(name, kind):
    assert source_kind(name) == kind


# --- whole store and filters ---------------------------------------------------------------

def _collection():
    incidents = [
        stored(1, 10, "a1", "Reuters", "2017-10-07", claims=[claim("Syrian Observatory for Human Rights", {"total": 20})]),
        stored(2, 11, "a2", "AFP", "2017-10-08", claims=[claim("Russian Defence Ministry", {"total": 80})]),
        stored(3, 12, "b1", "AP", "2016-09-20", event_type="shelling", date="2016-09-19", place="Aleppo",
               admin1="Aleppo", perpetrator=["Islamic State"], claims=[claim("SANA", {"total": 3})]),
        stored(4, 13, "c1", "BBC", "2022-04-30", event_type="shelling", date="2022-04-28",
               date_end="2022-04-29", date_precision="range", place="Kharkiv", admin1="Kharkiv Oblast",
               country="UA", lat=49.98, lon=36.25, perpetrator=["Russian forces"],
               claims=[claim("reporter", {"total": 2})]),
    ]
    links = [LinkedIncident(7, [1, 2]), LinkedIncident(8, [3])]
    return reconcile_all(links, incidents)


def test_reconcile_all_keeps_unlinked_incidents_alone():
    rs = _collection()
    # each by its smallest member: stable however the links elsewhere change
    assert [r.id for r in rs] == [1, 3, 4]
    assert rs[2].members == [4]
    assert [r.id for r in reconcile_all([], [stored(5, 1, "z")])] == [5]


def test_filters():
    rs = _collection()
    ids = lambda xs: [r.id for r in xs]  # noqa: E731
    assert ids(select(rs, since="2017-01-01")) == [1, 4]
    assert ids(select(rs, until="2017-01-01")) == [3]
    assert ids(select(rs, since="2022-04-29", until="2022-04-29")) == [4]   # a span reaching the day
    assert ids(select(rs, place="Deir Ezzor")) == [1]                        # another transliteration
    assert ids(select(rs, place="UA")) == [4]
    assert ids(select(rs, place="ukraine")) == [4]
    assert ids(select(rs, actor="ISIS")) == [3]                              # an alias
    assert ids(select(rs, actor="IS")) == [3]                                # not "Israeli", not "Russian"
    assert ids(select(rs, actor="russian")) == [1, 4]
    assert ids(select(rs, min_killed=10)) == [1]
    assert ids(select(rs, disputed=True)) == [1]
    assert ids(select(rs, actor="russian", min_killed=3)) == [1]
