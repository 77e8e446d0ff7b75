"""Exact copies of an article are linked once (``sitrep.link.copies``): the same links, wire
groups and clusters as when every copy is blocked, scored and clustered."""
import random

import numpy as np
import pytest

from linkfix import ALEPPO, AL_BAB, DOUMA, HAMDANIYAH, IDLIB, MANBIJ, SARAQIB, World, incident
from sitrep.link import link_incidents, link_table
from sitrep.link.copies import representatives
from sitrep.link.features import from_incidents

PLACES = [ALEPPO, AL_BAB, DOUMA, HAMDANIYAH, IDLIB, MANBIJ, SARAQIB]
EVENTS = ["air_strike", "shelling", "armed_clash", "explosion", "other"]
PERPS = [("unknown",), ("Syrian government forces",), ("Russian forces",), ("Islamic State",)]
# Sentences written for these tests, put together at random.
SUBJECTS = ["Warplanes", "Artillery units", "Gunmen", "A car bomb", "Helicopters", "Rocket launchers"]
VERBS = ["hit", "pounded", "struck", "shelled", "targeted", "raided"]
OBJECTS = ["a crowded market", "a bakery queue", "a school yard", "the old bridge", "a field clinic",
           "a refugee camp", "the grain silo", "a mosque courtyard"]
TAILS = ["residents said.", "a monitor reported.", "medics told reporters.", "local officials added."]


def sentence(rng: random.Random, killed: int | None) -> str:
    toll = f", killing {killed} people" if killed is not None else ""
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{toll}, {rng.choice(TAILS)}"


def acts(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        day = rng.randrange(1, 6)
        out.append({"place": rng.choice(PLACES), "date": f"2016-08-{day:02d}", "event": rng.choice(EVENTS),
                    "perp": rng.choice(PERPS), "killed": rng.choice([None, 3, 5, 12, 40]),
                    "precision": rng.choice(["town", "town", "admin1"])})
    return out


def report(rng: random.Random, act: dict) -> tuple:
    """One article's incident of an act: its own words, sometimes its own figure or date."""
    killed = act["killed"] if rng.random() < 0.7 or act["killed"] is None else act["killed"] + rng.choice([1, 10])
    date_precision = rng.choice(["day", "day", "day", "report"])
    words = sentence(rng, killed)
    return incident(act["place"], act["date"], event=act["event"], precision=act["precision"],
                    date_precision=date_precision, perp=act["perp"], killed=killed, evidence=words), words


def world(seed: int, n_acts: int = 12, n_articles: int = 40, copies: int = 4) -> World:
    """Articles reporting one to three random acts each, many reprinted word for word under
    other keys (some reprints with a line of their own in the lead: not exact copies)."""
    rng = random.Random(seed)
    pool = acts(rng, n_acts)
    w = World()
    for _ in range(n_articles):
        chosen = rng.sample(pool, rng.choice([1, 1, 2, 3]))
        made = [report(rng, a) for a in chosen]
        text = " ".join(words for _, words in made)
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        published = max(a["date"] for a in chosen)
        outlet = rng.choice(["Outlet A", "Outlet B", "Outlet C"])
        for k in range(rng.choice([1, 1, copies, copies + 3])):
            marked = k and rng.random() < 0.2
            w.article(text + (f" Reprint number {k} of the wire." if marked else ""), title=title,
                      outlet=outlet, published=published, incidents=[inc for inc, _ in made])
    return w


def linked(w: World, collapse: bool) -> list[tuple]:
    return [(tuple(lk.members), tuple(map(tuple, lk.wire_groups)))
            for lk in link_incidents(w.incidents, w.articles, collapse=collapse)]


def components(n: int, i: np.ndarray, j: np.ndarray) -> list[frozenset]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in zip(i.tolist(), j.tolist()):
        parent[find(a)] = find(b)
    groups: dict[int, set] = {}
    for x in range(n):
        groups.setdefault(find(x), set()).add(x)
    return sorted(frozenset(g) for g in groups.values() if len(g) > 1)


@pytest.mark.parametrize("seed", range(8))
def test_collapsed_copies_link_as_every_copy_does(seed):
    w = world(seed)
    table, _ = from_incidents(w.incidents, w.articles)
    assert representatives(table) is not None   # the world has copies to collapse
    collapsed, full = linked(w, True), linked(w, False)
    assert collapsed == full
    assert any(len(members) > 2 for members, _ in full)


@pytest.mark.parametrize("seed", range(4))
def test_collapsed_pairs_connect_what_every_pair_connects(seed):
    w = world(seed + 100)
    table, _ = from_incidents(w.incidents, w.articles)
    a, b = link_table(table), link_table(table, collapse=False)
    assert np.array_equal(a.labels, b.labels)
    # left out on purpose: pairs of two incidents of copies of one article (different acts)
    rep = representatives(table)
    own = table.article[rep[b.pairs_i]] == table.article[rep[b.pairs_j]]
    assert components(len(table), a.pairs_i, a.pairs_j) == components(len(table), b.pairs_i[~own], b.pairs_j[~own])
    # every pair given is one the whole table has, at its score
    whole = dict(zip((b.pairs_i * len(table) + b.pairs_j).tolist(), b.scores.tolist()))
    assert all(whole[c] == s for c, s in zip((a.pairs_i * len(table) + a.pairs_j).tolist(), a.scores.tolist()))
    assert a.candidates < b.candidates


def test_only_articles_read_alike_stand_for_each_other():
    w = World()
    strike = incident(ALEPPO, killed=7, evidence="Jets struck a bakery queue, killing 7.")
    w.article("Jets struck a bakery queue, killing 7.", incidents=[strike])
    w.article("Jets struck a bakery queue, killing 7.", incidents=[strike])            # a copy
    w.article("Jets struck a bakery queue, killing 7. Filed late.", incidents=[strike])  # its lead differs
    w.article("Jets struck a bakery queue, killing 7.", incidents=[strike, incident(MANBIJ)])  # one more act
    table, _ = from_incidents(w.incidents, w.articles)
    # rows: one per article, the fourth article's two last: only the second stands in
    assert representatives(table).tolist() == [0, 0, 2, 3, 4]


def test_copies_of_an_act_no_one_else_reports_are_linked_together():
    w = World()
    strike = incident(SARAQIB, killed=4, evidence="Shells fell on the grain silo, killing 4.")
    for _ in range(3):
        w.article("Shells fell on the grain silo, killing 4.", incidents=[strike])
    assert linked(w, True) == linked(w, False) == [((1, 2, 3), ())]
