"""An act's partners held once per set of links (``sitrep.verify.partners``) answer as the
set per act they stand for, and walk in its order."""
import operator
import random
from collections import defaultdict
from functools import partial

from sitrep.store.model import LinkedIncident
from sitrep.verify.partners import Partners


def sets_per_act(links, start=None):
    """The partners as the verifier held them before: one set per act, made link by link
    (a copy's: the sets copied, then widened by its links)."""
    out = defaultdict(set, {k: set(v) for k, v in (start or {}).items()})
    for li in links:
        for m in li.members:
            out[m].update(filter(partial(operator.ne, m), li.members))
    return out


def random_links(rng, first_id, n_links, acts):
    return [LinkedIncident(id=first_id + k, members=sorted(rng.sample(acts, rng.randrange(2, 40))))
            for k in range(n_links)]


def same(p: Partners, sets, acts):
    for x in acts:
        want = sets.get(x, set())
        assert p.any(x) == bool(want)
        assert list(p.ordered(x)) == list(want)          # the same order, not just the same acts
        assert all(p.has(x, y) == (y in want) for y in acts)


def test_partners_answer_and_walk_as_a_set_per_act():
    rng = random.Random(5)
    acts = list(range(1, 400, 3))
    links = random_links(rng, 1, 30, acts)
    same(Partners(links), sets_per_act(links), acts + [1000])


def test_a_copys_links_widen_partners_without_touching_the_verifiers():
    rng = random.Random(6)
    acts = list(range(1, 300, 2))
    own, extra = random_links(rng, 1, 20, acts), random_links(rng, 1, 5, acts + [900, 901])
    base = Partners(own)
    before = sets_per_act(own)
    same(base.with_links(extra), sets_per_act(extra, before), acts + [900, 901])
    same(base, before, acts)
