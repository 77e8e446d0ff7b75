"""Verification's fast path gives the scores of the straightforward one.

`sitrep verify` reads lean articles and incidents without evidence, compares acts alike
once (profiles), keeps the copies of an act in ``Members`` (parallel tuples, splits by link
remembered, partner weights raised in C) and streams its JSON. On a small store of a
crowded random world copied under new ids (wire copies linked together), its scores and
reasons are those of a verifier that reads everything, gives every act a profile of its
own and remembers nothing: the comparison of each act with each other, one by one."""
import io
import json
import random

import pytest

from sitrep.cli import main
from sitrep.records import Article, ArticleRecord, Summary
from sitrep.store import open_store
from sitrep.store.model import LinkedIncident
from sitrep.verify import members as members_module
from sitrep.verify import score as score_module
from sitrep.verify.members import Members, fold_weights, ids_in, raise_weights
from sitrep.verify.score import Verifier
from test_verify_candidates import world

ACTORS = ["Syrian government forces", "Islamic State", "unknown", "Russian forces"]


def small_store(path, seed: int = 3, copies: int = 8) -> str:
    """A random world (``test_verify_candidates.world``), each article stored ``copies``
    times more under new ids with its own summary actor, the copies of an act linked and
    marked as wire copies of each other (every other article), plus random links."""
    rng = random.Random(seed)
    articles, incidents, _ = world(seed, n=160)
    by_article = {}
    for si in incidents:
        by_article.setdefault(si.article_pk, []).append(si.incident)
    pairs = []
    for k in range(copies + 1):
        for a in articles:
            aid = a.article_id if k == 0 else f"{a.article_id}-{k}"
            summary = Summary(actor=rng.choice(ACTORS))
            pairs.append((Article(aid, f"text of {aid}", None, a.published, a.outlet),
                          ArticleRecord(aid, a.published, by_article.get(a.pk, []), summary)))
    url = str(path)
    with open_store(url) as store:
        store.add_many(pairs, "test")
        stored = store.incidents()
        apk = {a.article_id: a.pk for a in store.articles()}
        pk_of = {(si.article_id, si.index): si.pk for si in stored}
        links, lid = [], 1
        for a in articles:
            for i, _ in enumerate(by_article.get(a.pk, [])):
                ids = [a.article_id] + [f"{a.article_id}-{k}" for k in range(1, copies + 1)]
                wire = [[apk[x] for x in ids]] if a.pk % 2 else []
                links.append(LinkedIncident(id=lid, members=[pk_of[(x, i)] for x in ids], wire_groups=wire))
                lid += 1
        pks = [si.pk for si in stored]
        links += [LinkedIncident(id=lid + k, members=sorted(rng.sample(pks, 3))) for k in range(15)]
        store.save_links(links)
    return url


def test_cli_scores_are_those_of_comparing_each_act_with_each(tmp_path, monkeypatch):
    url = small_store(tmp_path / "small.db")
    out, err = io.StringIO(), io.StringIO()
    assert main(["verify", "--db", url, "--format", "json"], out, err) == 0, err.getvalue()
    fast = json.loads(out.getvalue())
    with open_store(url) as store:
        saved = {v.article_id: v for v in store.verifications()}
        articles, incidents, links = list(store.articles()), store.incidents(), store.links()
    monkeypatch.setattr(score_module, "_profile_key", lambda a: a.pk)   # every act its own profile
    monkeypatch.setattr(members_module, "REMEMBER_SPLITS", 10 ** 9)     # no split remembered
    plain = Verifier(articles, incidents, (), links).verify()
    assert [v["article_id"] for v in fast] == [v.article_id for v in plain]
    kinds = set()
    for f, p in zip(fast, plain):
        assert abs(f["score"] - p.score) <= 1e-4
        assert saved[f["article_id"]].score == f["score"] and saved[f["article_id"]].reasons == f["reasons"]
        # grouped copies add n * c where one by one adds c n times: the last digit may move
        assert [{k: v for k, v in r.items() if k != "weight"} for r in f["reasons"]] == \
            [{k: v for k, v in r.items() if k != "weight"} for r in p.reasons]
        assert [r["weight"] for r in f["reasons"]] == [pytest.approx(r["weight"], abs=1e-4) for r in p.reasons]
        kinds |= {r["kind"] for r in f["reasons"]}
    # (no figure deviation: every act has linked copies that state its figures)
    assert {"outlet_agreement", "perpetrator_mismatch", "date_mismatch", "place_mismatch"} <= kinds, kinds
    assert sum(v.score != 0.5 for v in plain) > len(plain) / 3


def test_members_without_and_split_keep_the_order_of_a_loop():
    rng = random.Random(5)

    class A:
        def __init__(self, pk, art):
            self.pk, self.article_pk, self.article_id = pk, art, f"a{art}"

    for n in (1, 3, 7, 8, 30):
        acts = [A(pk, rng.randrange(6)) for pk in range(n)]
        m = Members.of(acts)
        for gone in ({0}, {1, 2}, set(range(6)), set(), {9}):
            got = m.without(gone)
            want = [a for a in acts if a.article_pk not in gone]
            assert (list(got) if got else []) == want
            if got:
                assert got.ids == tuple(a.article_id for a in want) and got.arts == tuple(a.article_pk for a in want)
        inside = set(rng.sample(range(n), n // 2))
        for key in ("k", "k", None):   # the second "k" reads the split remembered
            ours, rest = m.split(key, lambda a: a.pk in inside)
            assert (list(ours) if ours else []) == [a for a in acts if a.pk in inside]
            assert (list(rest) if rest else []) == [a for a in acts if a.pk not in inside]


def test_raise_weights_is_the_loop_it_replaces():
    rng = random.Random(11)
    for _ in range(200):
        fast, slow = {}, {}
        for _ in range(rng.randint(1, 6)):
            arts = tuple(rng.randrange(12) for _ in range(rng.randint(0, 10)))
            c = rng.choice([0.3, 0.45, 0.7, 0.85, 1.0])
            raise_weights(fast, arts, c)
            for a in arts:
                if slow.get(a, -1.0) < c:
                    slow[a] = c
        assert list(fast.items()) == list(slow.items())


def test_sums_over_parts_are_those_over_what_the_parts_keep(monkeypatch):
    """``ids_in`` and ``fold_weights`` from the sums kept for whole profiles, less the
    articles left out, against the same sums over copies of what is left."""
    monkeypatch.setattr(members_module, "KEEP_SUMS", 0)   # every sum kept, however small
    rng = random.Random(2)

    class A:
        def __init__(self, pk, art):
            self.pk, self.article_pk, self.article_id = pk, art, f"a{art % 7}"   # ids not unique

    for _ in range(60):
        bases = [Members(tuple(acts), tuple(a.article_id for a in acts), tuple(a.article_pk for a in acts), stable=True)
                 for acts in ([A(pk, rng.randrange(15)) for pk in range(rng.randint(1, 20))]
                              for _ in range(rng.randint(1, 5)))]
        ids_cache, weight_cache = {}, {}
        for _ in range(3):   # the second and third read what the first kept
            gone = set(rng.sample(range(15), rng.randint(0, 2)))
            parts = [p for p in (b.without(gone) for b in bases) if p is not None]
            if not parts:
                continue
            plain = [Members.of(list(p)) for p in parts]
            assert ids_in(parts, ids_cache) == ids_in(plain, None)
            folds = [(rng.choice([0.3, 0.7, 1.0]), p) for p in parts]
            want = fold_weights([(c, Members.of(list(p))) for c, p in folds], None)
            assert list(fold_weights(folds, weight_cache).items()) == list(want.items())


def test_summary_agreement_from_kept_sums_is_never_wrong():
    """``Verifier._agreed`` (sums by actor kept per set of weights, the articles gone taken
    off) says "agreed" only where the exact share, added in the order met, is a half or
    more, or no partner names an actor."""
    rng = random.Random(8)
    v = Verifier([], [], (), None)
    actors = ["Syrian government forces", "Islamic State", "Russian forces"]
    agreed = 0
    for _ in range(300):
        kept = {pk: rng.choice([0.3, 0.45, 0.7, 0.85, 1.0]) for pk in rng.sample(range(200), rng.randint(1, 120))}
        v._actor_of = {pk: rng.choices(actors, [6, 3, 1])[0] for pk in kept if rng.random() < 0.8}
        gone = frozenset(rng.sample(sorted(kept), min(len(kept), rng.randint(0, 2))))
        mine = rng.choice(actors)
        weights = {pk: w for pk, w in kept.items() if pk not in gone}
        named = [w for pk, w in weights.items() if pk in v._actor_of]
        exact = not named or sum(w for pk, w in weights.items() if v._actor_of.get(pk) == mine) / sum(named) >= 0.5
        if v._agreed(mine, kept, gone):
            agreed += 1
            assert exact
    assert 50 < agreed < 250
