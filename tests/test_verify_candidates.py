"""The candidate search by place and day finds every act the score compares: on a crowded
random world, scores and reasons are those of a search through every act of the near-miss
window, whatever its place; and acts alike (copies under other ids) compared once and
counted as many give the scores of comparing each."""
import random
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from sitrep.records import Claim, Count, Incident, Location
from sitrep.store.model import LinkedIncident, StoredArticle, StoredIncident
from sitrep.verify import score as score_module
from sitrep.verify.candidates import Candidates, Near
from sitrep.verify.score import NEAR_MISS_DAYS, Verifier, compatible_types, date_gap

PLACES = [("Saraqib", "Idlib", "SY", "town"), ("Idlib", "Idlib", "SY", "admin1"), ("Douma", "Rural Damascus", "SY", "town"),
          ("Damascus", "Damascus", "SY", "town"), ("Aleppo", "Aleppo", "SY", "town"), ("Syria", None, "SY", "country"),
          ("Mosul", "Nineveh", "IQ", "town"), ("Saraqib", None, None, "town")]
KINDS = ["air_strike", "shelling", "explosion", "armed_clash", "suicide_bombing", "other"]
PERPS = ["Syrian government forces", "Russian forces", "Islamic State", "Syrian opposition forces"]
PRECISIONS = ["day", "day", "day", "range", "report", "month", "unknown"]


class EveryActInTheWindow(Candidates):
    """The search before buckets: every dated act within the near-miss window."""

    def near(self, x, partners=()):
        ranks = [r for r, y in enumerate(self.acts) if x.d0 is not None and date_gap(x, y) <= NEAR_MISS_DAYS]
        return Near([self.acts[r] for r in ranks], ranks, set())



def world(seed: int, n: int = 300):
    rng = random.Random(seed)
    articles, incidents = [], []
    start = score_module.date(2017, 4, 1)
    for apk in range(1, n // 2 + 1):
        published = start + timedelta(days=rng.randrange(40))
        articles.append(StoredArticle(pk=apk, article_id=f"a{apk}", content_hash=f"h{apk}", text="",
                                      published=str(published), outlet=rng.choice(["A", "B", "C"])))
        for i in range(rng.randint(1, 3)):
            name, admin1, country, prec = rng.choice(PLACES)
            d = published - timedelta(days=rng.randrange(4))
            toll = rng.choice([None, 2, 5, 8, 12, 20, 22, 40])
            claims = [Claim("monitor", killed={"total": Count(best=toll, low=toll, high=toll + rng.choice([0, 0, 3]))})] \
                if toll is not None else []
            inc = Incident(event_type=rng.choice(KINDS), date=str(d),
                           date_end=str(d + timedelta(days=rng.randrange(1, 12))), date_precision=rng.choice(PRECISIONS),
                           location=Location(name, admin1, country, None, None, prec),
                           perpetrator=rng.sample(PERPS, rng.randint(0, 1)), claims=claims)
            incidents.append(StoredIncident(pk=len(incidents) + 1, article_pk=apk, article_id=f"a{apk}",
                                            outlet=articles[-1].outlet, published=str(published), index=i,
                                            incident=inc))
    pks = [si.pk for si in incidents]
    links = [LinkedIncident(id=k + 1, members=sorted(rng.sample(pks, 3)), wire_groups=[]) for k in range(20)]
    return articles, incidents, links


def test_buckets_find_what_the_whole_window_finds():
    compared = 0
    for seed in range(3):
        articles, incidents, links = world(seed)
        fast = Verifier(articles, incidents, (), links).verify()
        slow_verifier = Verifier(articles, incidents, (), links)
        slow_verifier._candidates = EveryActInTheWindow((slow_verifier.acts[p] for p in slow_verifier._members),
                                                        compatible_types)
        # near misses too among every act in the window, one by one
        slow_verifier._misses.found = lambda xs: (np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp))
        slow = slow_verifier.verify()
        assert [(v.article_id, v.score, v.reasons) for v in fast] == \
            [(v.article_id, v.score, v.reasons) for v in slow]
        kinds = {r["kind"] for v in fast for r in v.reasons}
        assert {"date_mismatch", "place_mismatch", "outlet_agreement", "figure_deviation"} <= kinds, kinds
        compared += len(fast)
    assert compared > 300
    assert NEAR_MISS_DAYS == 14


def copied(articles, incidents, links, times: int):
    """Each article stored ``times`` times more under new ids, links and all (a dense archive)."""
    arts, incs, lks = list(articles), list(incidents), list(links)
    n_art, n_inc = len(articles), len(incidents)
    for k in range(1, times + 1):
        arts += [replace(a, pk=a.pk + k * n_art, article_id=f"{a.article_id}-{k}") for a in articles]
        incs += [replace(si, pk=si.pk + k * n_inc, article_pk=si.article_pk + k * n_art,
                         article_id=f"{si.article_id}-{k}") for si in incidents]
        lks += [LinkedIncident(id=lk.id + k * 1000, members=[m + k * n_inc for m in lk.members],
                               wire_groups=[[a + k * n_art for a in g] for g in lk.wire_groups]) for lk in links]
    # the copies of one article are wire copies of each other (half the articles: some
    # copies confirm independently, some do not)
    lks.append(LinkedIncident(id=10 ** 6, members=[1 + k * n_inc for k in range(times + 1)],
                              wire_groups=[[a.pk + k * n_art for k in range(times + 1)] for a in articles[::2]]))
    return arts, incs, lks


def test_copies_compared_once_score_as_if_each_were_compared(monkeypatch):
    articles, incidents, links = world(7, n=160)
    articles, incidents, links = copied(articles, incidents, links[:5], times=3)
    grouped = Verifier(articles, incidents, (), links).verify()
    assert max(len(m) for m in Verifier(articles, incidents, (), links)._members.values()) >= 4
    monkeypatch.setattr(score_module, "_profile_key", lambda a: a.pk)   # every act its own profile
    each = Verifier(articles, incidents, (), links).verify()
    assert len(grouped) == len(each) == len(articles)
    differ = 0
    for g, e in zip(grouped, each):
        assert g.article_id == e.article_id and abs(g.score - e.score) <= 1e-4
        assert [{k: v for k, v in r.items() if k != "weight"} for r in g.reasons] == \
            [{k: v for k, v in r.items() if k != "weight"} for r in e.reasons]
        assert [r["weight"] for r in g.reasons] == \
            [pytest.approx(r["weight"], abs=1e-4) for r in e.reasons]
        differ += g.score != 0.5
    assert differ > len(articles) / 4
