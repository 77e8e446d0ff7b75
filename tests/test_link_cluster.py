"""Union-find into linked incidents, and the guard against chaining two acts."""
import numpy as np

from linkfix import AL_BAB, ALEPPO, HAMDANIYAH, MANBIJ, World, incident
from sitrep.link import link_incidents
from sitrep.link.cluster import union_clusters
from sitrep.link.features import from_incidents

PROVINCE = ("Aleppo", "Aleppo", 36.2, 37.16)


def clusters(world, edges):
    """Labels after union-find over hand-given (row, row, score) edges."""
    table, _ = from_incidents(world.incidents)
    i = np.array([e[0] for e in edges])
    j = np.array([e[1] for e in edges])
    s = np.array([e[2] for e in edges], float)
    return union_clusters(table, i, j, s).tolist()


def test_plain_pairs_join():
    w = World()
    for _ in range(3):
        w.article(incidents=[incident(MANBIJ)])
    assert clusters(w, [(0, 1, 0.9), (1, 2, 0.8)]) == [0, 0, 0]


def test_a_vague_incident_does_not_chain_two_towns():
    # "air strikes in Aleppo province on Wednesday" fits the strike on Manbij and the one on
    # al-Bab (37 km apart); it joins the better fit, and the two strikes stay apart
    w = World()
    w.article(incidents=[incident(PROVINCE, precision="admin1")])
    w.article(incidents=[incident(MANBIJ)])
    w.article(incidents=[incident(AL_BAB)])
    labels = clusters(w, [(0, 1, 0.8), (0, 2, 0.7)])
    assert labels[1] != labels[2]
    assert labels[0] == labels[1]
    labels = clusters(w, [(0, 1, 0.7), (0, 2, 0.8)])   # strongest pair first
    assert labels[0] == labels[2] != labels[1]


def test_a_capital_named_incident_does_not_chain_either():
    # "Aleppo" may be the city or the province: it may join Manbij, but not Manbij and the
    # city's own quarter al-Hamdaniyah (80 km apart) together
    w = World()
    w.article(incidents=[incident(ALEPPO)])
    w.article(incidents=[incident(MANBIJ)])
    w.article(incidents=[incident(HAMDANIYAH, precision="point")])
    labels = clusters(w, [(0, 1, 0.9), (0, 2, 0.8)])
    assert labels[1] != labels[2]


def test_one_incident_per_article():
    w = World()
    w.article(incidents=[incident(MANBIJ, killed=5), incident(MANBIJ, killed=9)])  # two acts
    w.article(incidents=[incident(MANBIJ, killed=9)])
    labels = clusters(w, [(1, 2, 0.9), (0, 2, 0.7)])
    assert labels[1] == labels[2] != labels[0]


def test_dates_stay_within_a_day():
    w = World()
    w.article(incidents=[incident(MANBIJ, "2016-08-10")])
    w.article(incidents=[incident(MANBIJ, "2016-08-11", date_precision="report")])  # 10 or 11
    w.article(incidents=[incident(MANBIJ, "2016-08-12")])
    labels = clusters(w, [(0, 1, 0.9), (1, 2, 0.8)])
    assert labels[0] == labels[1] != labels[2]


def test_event_types_stay_compatible():
    w = World()
    w.article(incidents=[incident(MANBIJ, event="air_strike")])
    w.article(incidents=[incident(MANBIJ, event="other")])
    w.article(incidents=[incident(MANBIJ, event="shooting_or_execution")])
    labels = clusters(w, [(0, 1, 0.9), (1, 2, 0.8)])
    assert labels[0] == labels[1] != labels[2]


def test_province_bound_clusters_keep_one_province():
    w = World()
    w.article(incidents=[incident(PROVINCE, precision="admin1")])
    w.article(incidents=[incident(("Idlib", "Idlib", 35.93, 36.63), precision="admin1")])
    assert clusters(w, [(0, 1, 0.9)]) == [0, 1]


STRIKE = ("Air strikes on a crowded market in {} killed 12 civilians on Wednesday, a monitor "
          "said. The Syrian Observatory for Human Rights said four children were among the dead "
          "and that the toll was likely to rise because many of the wounded were in serious "
          "condition.")


def test_link_incidents_end_to_end():
    w = World()
    a = w.article(STRIKE.format("Manbij"), incidents=[
        incident(MANBIJ, killed=12, perp=["US-led coalition"], evidence=STRIKE.format("Manbij"))])
    b = w.article(STRIKE.format("Manbij"), incidents=[
        incident(MANBIJ, killed=12, perp=["US-led coalition"], evidence=STRIKE.format("Manbij"))])
    c = w.article("Rebels shelled a school in Aleppo", incidents=[
        incident(HAMDANIYAH, event="shelling", precision="point", perp=["Syrian opposition forces"],
                 evidence="Rebels shelled a school in Aleppo")])
    links = link_incidents(w.incidents, w.articles)
    assert [lk.members for lk in links] == [w.pks_of(a) + w.pks_of(b)]
    assert links[0].id == links[0].members[0]   # a link is numbered by its first member
    assert links[0].wire_groups == [[a, b]]       # the same text twice: one story
    assert not any(set(w.pks_of(c)) & set(lk.members) for lk in links)
    assert link_incidents([], {}) == []
