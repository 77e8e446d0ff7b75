"""Confirmations and notes update the incident index in place (the review queue must not wait
for a rebuild): the index they leave is the one a rebuild makes, table for table and answer
for answer; anything else, or a store changed meanwhile, is left to a rebuild. A new article
is still added in place while no correction regroups incidents or names it. On SQLite and
PostgreSQL."""
from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from reviewfix import fill
from sitrep import incident_index, review
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location
from sitrep.store import IncidentQuery, content_hash, open_store
from indexfix import index_tables
from test_incident_index import _observed


def _snapshot(st):
    tables, seen = index_tables(st), _observed(st)
    tables["meta"] = [row for row in tables["meta"] if row[0] != "index_version"]
    del seen["version"], seen["fingerprint"]
    return tables, seen


def _ids(st):
    return {r.location.name: r.id for r in review.reconciled(st).incidents}


def _target(st, iid):
    members = st.index_incident(iid)[1]["members"]
    keys = st.incident_keys(members)
    return [keys[pk] for pk in members]


def _in_place(st, iid, action, **kw):
    c = review.correction(action, _target(st, iid), author="ana", **kw)
    before = st.fingerprint()
    st.add_corrections([c])
    return incident_index.add_review(st, iid, c, before)


def test_confirmations_and_notes_leave_the_index_a_rebuild_would(store_url):
    with open_store(store_url) as st:
        fill(st)
        incident_index.build(st)
        ids = _ids(st)
        steps = [(ids["Kafr Batna"], "note", {"note": "<i>check</i> the second source"}),
                 (ids["Kafr Batna"], "review", {}),
                 (ids["Jisr al-Shughur"], "note", {"note": "a doctor, unnamed"}),
                 (ids["Kafr Batna"], "review", {"note": "checked again"})]
        for iid, action, kw in steps:
            assert _in_place(st, iid, action, **kw) is True
            assert st.index_version() == st.fingerprint()
            got = _snapshot(st)
            incident_index.build(st)
            assert _snapshot(st) == got
        summaries = {i["place"]: i for i in st.query_index(IncidentQuery(), limit=9, offset=0)[1]}
        assert summaries["Kafr Batna"]["review_status"] == "reviewed"
        assert summaries["Jisr al-Shughur"]["review_status"] == "unreviewed"   # a note alone


def test_what_the_index_cannot_take_in_place_is_left_to_a_rebuild(store_url):
    with open_store(store_url) as st:
        fill(st)
        incident_index.build(st)
        ids = _ids(st)
        iid = ids["Kafr Batna"]
        # a correction of a field changes what the filters read
        assert _in_place(st, iid, "set", field="event_type", new="shelling") is False
        incident_index.build(st)
        # another correction stored since the index was current
        before = st.fingerprint()
        first = review.correction("review", _target(st, iid), author="ana")
        second = review.correction("note", _target(st, ids["Jisr al-Shughur"]), author="ben", note="later")
        st.add_corrections([first])
        st.add_corrections([second])
        assert incident_index.add_review(st, iid, first, before) is False
        assert incident_index.add_review(st, ids["Jisr al-Shughur"], second, before) is False
        assert incident_index.refresh(st)
        # not the incident the correction names
        assert _in_place(st, ids["Jisr al-Shughur"], "review") is True
        before = st.fingerprint()
        c = review.correction("review", _target(st, iid), author="ana")
        st.add_corrections([c])
        assert incident_index.add_review(st, ids["Jisr al-Shughur"], c, before) is False


def _new(aid, text):
    inc = Incident("explosion", "2019-03-07", None, "day", Location("Idlib", "Idlib", "SY", 35.93, 36.63), ["unknown"],
                   claims=[Claim("reporter", killed={"total": Count(best=3)})])
    return Article(aid, text, title=aid, published="2019-03-08", outlet="Idlib Post"), ArticleRecord(aid, "2019-03-08", [inc])


def test_a_new_article_is_added_in_place_unless_corrections_regroup_or_name_it(store_url):
    with open_store(store_url) as st:
        fill(st)
        incident_index.build(st)
        ids = _ids(st)
        assert _in_place(st, ids["Kafr Batna"], "review") is True
        article, record = _new("n1", "A car bomb exploded in Idlib on Thursday, killing three people.")
        before = st.fingerprint()
        assert st.add(article, record, "1.0") == "added"
        assert incident_index.add_article(st, st.article_pk(content_hash(article.text)), before) is True
        got = _snapshot(st)
        incident_index.build(st)
        assert _snapshot(st) == got
        # a correction naming an article not yet stored (imported from another database)
        article, record = _new("n2", "Another blast hit Idlib on Thursday and killed three, medics said.")
        st.add_corrections([review.correction("review", [content_hash(article.text) + ":0"], author="ana")])
        incident_index.build(st)
        before = st.fingerprint()
        st.add(article, record, "1.0")
        assert incident_index.add_article(st, st.article_pk(content_hash(article.text)), before) is False
        incident_index.build(st)
        assert next(r for r in review.reconciled(st).incidents if "n2" in r.article_ids).review["status"] == "reviewed"
