"""Candidates pruned to those that can change a score, and near misses scored as arrays, give
the scores and reasons of the search they replace, bit for bit: on crowded random worlds
(with links, wire groups and acts of many kinds, days and places), every act the search
before returned compared one by one in Python; and ``Misses.scored`` gives what the scalar
near-miss rule gives for each pair, ratios at the edge of the figure tolerance included."""
import random
from datetime import date, timedelta

import numpy as np
import pytest

from sitrep.store.model import LinkedIncident
from sitrep.verify import score as score_module
from sitrep.verify.candidates import Candidates, Near
from sitrep.verify.score import NEAR_MISS_DAYS, Act, Verifier, _identity, compatible_types, date_gap
from test_verify_candidates import world


class SearchBefore(Candidates):
    """Every act the search before these rules returned (``reaches``), all compared as
    candidates of the same act and their near misses one by one, as before."""

    def near(self, x, partners=()):
        ranks = [r for r, y in enumerate(self.acts) if x.d0 is not None and self.reaches(x, y)]
        return Near([self.acts[r] for r in ranks], ranks, set())


def searching_as_before(verifier: Verifier) -> Verifier:
    """The verifier with the search before these rules, and no near miss found apart."""
    verifier._candidates = SearchBefore((verifier.acts[p] for p in verifier._members), compatible_types,
                                        link_days=1, near_days=NEAR_MISS_DAYS)
    verifier._misses.found = lambda xs: (np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp))
    return verifier



def crowded(seed: int):
    """A random world crowded into fewer days, with more links (some across places)."""
    articles, incidents, links = world(seed, n=500)
    rng = random.Random(seed)
    pks = [si.pk for si in incidents]
    links = links + [LinkedIncident(id=100 + k, members=sorted(rng.sample(pks, rng.randint(2, 4))),
                                    wire_groups=[sorted(rng.sample([a.pk for a in articles], 2))] if k % 3 == 0 else [])
                     for k in range(60)]
    return articles, incidents, links


@pytest.mark.parametrize("seed", range(4))
def test_pruned_candidates_score_as_the_search_before(seed):
    articles, incidents, links = crowded(seed)
    pruned = Verifier(articles, incidents, (), links)
    before = searching_as_before(Verifier(articles, incidents, (), links))
    fast, slow = pruned.verify(), before.verify()
    assert [(v.article_id, v.score, v.reasons) for v in fast] == [(v.article_id, v.score, v.reasons) for v in slow]
    kinds = [r["kind"] for v in fast for r in v.reasons]
    # the near misses the arrays score are there, and so are agreements and partners
    assert kinds.count("date_mismatch") >= 5 and kinds.count("place_mismatch") >= 3, kinds
    assert kinds.count("outlet_agreement") >= 50
    # the pruning prunes: fewer candidates than the search before met
    reps = [pruned.acts[p] for p in pruned._members]
    assert sum(len(pruned._candidates.near(x).acts) for x in reps) + len(pruned._misses.found(reps)[0]) < \
        sum(len(before._candidates.near(x).acts) for x in reps)


def test_a_copy_scored_in_its_place_scores_as_the_search_before():
    # the path for acts not the verifier's own (an altered copy, as benchmarks/verify.py scores)
    articles, incidents, links = crowded(11)
    pruned = Verifier(articles, incidents, (), links)
    before = searching_as_before(Verifier(articles, incidents, (), links))
    by_article = {}
    for si in incidents:
        by_article.setdefault(si.article_pk, []).append(si)
    for a in articles[::7]:
        own = by_article.get(a.pk, [])
        extra = [LinkedIncident(id=10 ** 6, members=[si.pk for si in own] + [incidents[0].pk])] if own else None
        for v in (pruned, before):
            v._scored = {}
        got = [v.score_article(a, own, exclude=[a.pk], links=extra) for v in (pruned, before)]
        assert (got[0].score, got[0].reasons) == (got[1].score, got[1].reasons)


def _act(rng, pk: int) -> Act:
    d0 = date(2017, 1, 1) + timedelta(days=rng.randrange(30))
    d1 = d0 + timedelta(days=rng.choice([0, 0, 0, 1, 2, 6]))
    toll = rng.random() < 0.8
    blo = rng.choice([1, 2, 3, 4, 5, 6, 9, 10, 14, 15, 20, 30]) if toll else None
    bhi = blo + rng.choice([0, 0, 1, 5, 20]) if toll else None
    figures = frozenset(rng.sample([1, 2, 3, 4, 5, 6, 9, 10, 11, 14, 15, 20, 22, 30, 33], rng.randint(0, 3))) \
        if toll else frozenset()
    place = rng.choice(["saraqib", "douma", "idlib", ""])
    sides = frozenset(rng.sample(["government", "opposition", "isis", "russia"], rng.randint(0, 2)))
    return Act(pk=pk, article_pk=pk, article_id=f"a{pk}", outlet="o", index=0,
               event_type=rng.choice(["air_strike", "shelling", "armed_clash", "explosion", "other"]),
               d0=d0, d1=d1, precision="day", country=rng.choice(["SY", "SY", "IQ"]),
               admin1=None, gov=rng.choice(["Idlib", "Damascus", "Aleppo", None]), place=place,
               place_key=place, place_specific=bool(place) and place != "idlib", perps=sides, sides=sides,
               lo=blo, hi=bhi, blo=blo, bhi=bhi, combatants_only=False, published=None, salience=1.0,
               figures=figures)


def test_misses_scored_as_arrays_are_the_scalar_rule():
    rng = random.Random(5)
    acts = sorted((_act(rng, k) for k in range(400)), key=lambda a: a.d0)
    # ratios of best figures at the edge of the tolerance (3 and 2 are 1.5 apart, +1 each)
    acts[0].blo = acts[0].bhi = 2
    acts[0].hi = acts[0].lo = 2
    acts[1].blo = acts[1].bhi = acts[1].lo = acts[1].hi = 3
    verifier = Verifier([], [])
    misses = score_module.Misses(acts, compatible_types, score_module.telling, verifier._misses.rule)
    xs = acts[:120]
    # among every act, and among those its keys find
    every = misses.scored(xs, [np.arange(len(acts))] * len(xs))
    found = misses.near_misses(xs)
    pairs = 0
    for x, f, e in zip(xs, found, every):
        want_days, want_elsewhere = [], []
        for r, y in enumerate(acts):
            if not compatible_types(x.event_type, y.event_type):
                continue
            g = date_gap(x, y)
            if 2 <= g <= NEAR_MISS_DAYS and x.gov and x.gov == y.gov:
                s = _identity(x, y, use_place=True) * min(1.0, (g - 1) / 4)
                if s > 0:
                    want_days.append((-s, r))
            elif g == 0 and x.gov and y.gov and x.gov != y.gov and x.country == y.country:
                s = _identity(x, y, use_place=False)
                if s > 0:
                    want_elsewhere.append((-s, r))
        for got, want in ((f.on_days(), want_days), (f.elsewhere(), want_elsewhere),
                          (e.on_days(), want_days), (e.elsewhere(), want_elsewhere)):
            want.sort()
            assert got == ([-s for s, _ in want], [r for _, r in want])
            pairs += len(want)
    assert pairs > 500


def test_a_toll_that_is_not_telling_never_tells_the_same_act():
    # the near-miss buckets keep only telling tolls: a pair whose tolls say it is the same
    # act must be of two telling ones
    rng = random.Random(8)
    acts = [_act(rng, k) for k in range(200)]
    for a in acts:
        a.event_type, a.sides = "shelling", frozenset()
    told = 0
    for x in acts:
        for y in acts:
            if _identity(x, y, use_place=False) > 0:
                told += 1
                assert score_module.telling(x) and score_module.telling(y), (x, y)
    assert told > 50
    assert any(a.has_toll and not score_module.telling(a) for a in acts)
