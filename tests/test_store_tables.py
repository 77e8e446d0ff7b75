"""What the later stages save through the store: links with their wire groups (replaced as a
whole), reference records (idempotent on source and ref_id), verifications (one per article,
replaced). On SQLite and PostgreSQL alike."""
from pg import store_url  # noqa: F401
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Summary
from sitrep.store import LinkedIncident, ReferenceRecord, Verification, open_store


def seed(store, n=3):
    for k in range(n):
        inc = Incident("shelling", f"2017-10-0{k + 1}", None, "day", Location("Douma", "Rif Dimashq", "SY"),
                       ["unknown"], claims=[Claim("SANA", killed={"total": Count(None, k + 1, None, str(k + 1))})])
        store.add(Article(f"a{k}", f"Text number {k}."), ArticleRecord(f"a{k}", None, [inc, inc]), "1")
    return store.incidents()


def test_links_replace_all_in_one_go(store_url):
    with open_store(store_url) as store:
        incs = seed(store)
        arts = sorted({i.article_pk for i in incs})
        first = [LinkedIncident(7, [incs[0].pk, incs[2].pk, incs[4].pk], [[arts[0], arts[1]], [arts[2]]]),
                 LinkedIncident(8, [incs[1].pk])]
        store.save_links(first)
        assert store.links() == first
        second = [LinkedIncident(1, [incs[5].pk, incs[3].pk])]
        store.save_links(second)
        assert store.links() == second
        store.save_links([])
        assert store.links() == []


def test_a_bad_link_leaves_the_old_ones(store_url):
    with open_store(store_url) as store:
        incs = seed(store)
        good = [LinkedIncident(1, [incs[0].pk])]
        store.save_links(good)
        try:
            store.save_links([LinkedIncident(2, [incs[1].pk]), LinkedIncident(3, [10 ** 9])])
        except Exception:
            pass
        else:
            raise AssertionError("a link to no incident was accepted")
        assert store.links() == good


def test_reference_records_are_idempotent_on_source_and_id(store_url):
    recs = [ReferenceRecord("acled", "SYR1", "2017-10-06", country="SY", admin1="Deir ez-Zor",
                            place="Mayadeen", lat=35.02, lon=40.45, event_type="Explosions/Remote violence",
                            actor="Military Forces of Russia", killed_best=80, raw={"fatalities": "80"}),
            ReferenceRecord("ucdp", "1", "2017-10-01", "2017-10-03", killed_low=5, killed_best=7,
                            killed_high=9),
            ReferenceRecord("acled", "SYR2", "2017-11-01", civilians=3)]
    with open_store(store_url) as store:
        assert store.add_reference(recs) == 3
        assert store.add_reference(recs) == 0
        revised = ReferenceRecord("acled", "SYR1", "2017-10-06", killed_best=82, raw={"fatalities": "82"})
        assert store.add_reference([revised]) == 0
        assert store.counts()["reference"] == 3
        acled = store.reference("acled")
        assert [r.ref_id for r in acled] == ["SYR1", "SYR2"] and acled[0] == revised
        assert store.reference(source="ucdp") == [recs[1]]
        assert [r.ref_id for r in store.reference(date_from="2017-10-02", date_to="2017-10-31")] == ["SYR1", "1"]
        assert [r.ref_id for r in store.reference(date_from="2017-10-04")] == ["SYR1", "SYR2"]


def test_verifications_replace_those_of_the_same_articles(store_url):
    with open_store(store_url) as store:
        seed(store)
        pks = [a.pk for a in store.articles()]
        store.save_verifications([Verification(pks[0], "a0", 0.25, [{"kind": "acled", "detail": "no match", "weight": -1}]),
                                  Verification(pks[1], "a1", 1.0)])
        store.save_verifications([Verification(pks[0], "a0", 0.75, [])])
        assert store.verifications() == [Verification(pks[0], "a0", 0.75, []), Verification(pks[1], "a1", 1.0)]


def test_articles_stream_past_one_page(store_url, monkeypatch):
    import sitrep.store.repository as repo
    monkeypatch.setattr(repo, "PAGE", 2)
    with open_store(store_url) as store:
        seed(store, 5)
        got = list(store.articles())
        assert [a.article_id for a in got] == ["a0", "a1", "a2", "a3", "a4"]
        assert all(isinstance(a.summary, Summary) for a in got)
