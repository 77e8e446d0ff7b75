"""The candidate search by place and day finds every act the score compares: on a crowded
random world, scores and reasons are those of a search through every act of the near-miss
window, whatever its place."""
import random
from datetime import timedelta

from sitrep.records import Claim, Count, Incident, Location
from sitrep.store.model import LinkedIncident, StoredArticle, StoredIncident
from sitrep.verify import score as score_module
from sitrep.verify.candidates import Candidates
from sitrep.verify.score import NEAR_MISS_DAYS, Verifier, date_gap

PLACES = [("Saraqib", "Idlib", "SY", "town"), ("Idlib", "Idlib", "SY", "admin1"), ("Douma", "Rural Damascus", "SY", "town"),
          ("Damascus", "Damascus", "SY", "town"), ("Aleppo", "Aleppo", "SY", "town"), ("Syria", None, "SY", "country"),
          ("Mosul", "Nineveh", "IQ", "town"), ("Saraqib", None, None, "town")]
KINDS = ["air_strike", "shelling", "explosion", "armed_clash", "suicide_bombing", "other"]
PERPS = ["Syrian government forces", "Russian forces", "Islamic State", "Syrian opposition forces"]
PRECISIONS = ["day", "day", "day", "range", "report", "month", "unknown"]


class EveryActInTheWindow(Candidates):
    """The search before buckets: every dated act within the near-miss window."""

    def near(self, x, link_days, near_days):
        if x.d0 is None:
            return []
        return [y for y in self.acts if (g := date_gap(x, y)) is not None and g <= near_days]


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
        slow_verifier._candidates = EveryActInTheWindow(slow_verifier.acts.values())
        slow = slow_verifier.verify()
        assert [(v.article_id, v.score, v.reasons) for v in fast] == \
            [(v.article_id, v.score, v.reasons) for v in slow]
        kinds = {r["kind"] for v in fast for r in v.reasons}
        assert {"date_mismatch", "place_mismatch", "outlet_agreement", "figure_deviation"} <= kinds, kinds
        compared += len(fast)
    assert compared > 300
    assert NEAR_MISS_DAYS == 14
