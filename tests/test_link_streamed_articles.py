"""A full link streams the articles from the store (their leads, then their wire-copy
columns) instead of holding them: the same links, wire groups and words as from a mapping."""
import numpy as np
from test_link_incremental import synthetic_db

from sitrep.link import ReadWords, link_incidents
from sitrep.link.wire import WireDoc, read_columns, wire_columns, wire_groups
from sitrep.store import open_store


def as_tuples(links):
    return [(lk.id, tuple(lk.members), tuple(map(tuple, lk.wire_groups))) for lk in links]


def test_links_from_the_store_stream_equal_those_from_a_mapping(tmp_path):
    db = synthetic_db(tmp_path / "w.db", 400)
    with open_store(str(db)) as store:
        held, streamed = ReadWords(), ReadWords()
        want = link_incidents(store.incidents(), {a.pk: a for a in store.articles()}, words=held)
        got = link_incidents(store.iter_incidents(), store, words=streamed)
    assert any(lk.wire_groups for lk in want)
    assert as_tuples(got) == as_tuples(want)
    assert np.array_equal(got_ids := streamed.incidents, held.incidents) and len(got_ids)
    assert np.array_equal(streamed.article, held.article)
    assert all(np.array_equal(a, b) for a, b in zip(streamed.evidence, held.evidence, strict=True))
    assert list(streamed.leads) == list(held.leads)
    assert all(np.array_equal(streamed.leads[k], held.leads[k]) and streamed.leads[k].dtype == held.leads[k].dtype
               for k in held.leads)
    assert np.array_equal(streamed.boilerplate, held.boilerplate)


class Source:
    """Articles read as from a store: a stream in key order, and one by key."""

    def __init__(self, docs):
        self.docs = {d.key: d for d in docs}
        self.asked = []

    def articles(self):
        for k in sorted(self.docs):
            d = self.docs[k]
            yield type("A", (), {"pk": d.key, "text": d.text, "title": d.title, "outlet": d.outlet,
                                 "published": d.published})()

    def article(self, pk):
        self.asked.append(pk)
        return next(a for a in self.articles() if a.pk == pk)


def test_wire_columns_read_from_a_source_group_as_the_articles_do():
    from test_wire import ORIGINAL, _half_copy
    partial = "Syria bakery bombing AFP Tuesday 5 Jul 2016 " + _half_copy()   # a copy by its credit
    docs = [WireDoc(1, ORIGINAL, None, "ahram", "2016-07-05"), WireDoc(2, partial, None, "alaraby", "2016-07-05"),
            WireDoc(5, "Clashes went on near the airport on Monday, residents said.", None, "ahram", None)]
    source = Source(docs)
    want = wire_groups(docs)
    assert want and want == wire_groups(read_columns(source))
    assert want == [[1, 2]]
    assert source.asked and set(source.asked) <= {1, 2}   # texts asked again only for credits
    cols = wire_columns(docs)
    wire_groups(cols)
    try:
        wire_groups(cols)
    except ValueError:
        pass
    else:
        raise AssertionError("wire columns searched twice")
