"""The reconciled-incident index in the store: saved by `incident_index.build`, read back by
filters, sorts and pages that agree with `reconcile.select`; points, timeline, facets,
outlets; the fingerprint that tells a stale index; the migration that adds it to a database
of the first schema. On SQLite and PostgreSQL alike."""
import pytest

from oldschema import add_as_first_release
from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from sitrep import incident_index
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Span
from sitrep.reconcile import reconcile_all, select
from sitrep.store import IncidentQuery, LinkedIncident, Verification, migrations, open_store


def _claim(by, total=None, civilians=None, injured=None, denial=False, at=0):
    killed = {}
    if total is not None:
        killed["total"] = Count(best=total, text=f"{total} people")
    if civilians is not None:
        killed["civilians"] = Count(best=civilians, text=f"{civilians} civilians")
    hurt = {"total": Count(best=injured, text=f"{injured} wounded")} if injured is not None else {}
    return Claim(by, killed, hurt, denial, [Span(at, at + 4, "Text")])


def _incident(event_type, date, place, admin1, country, lat, lon, perpetrator, claims,
              date_end=None, precision="day"):
    return Incident(event_type, date, date_end, "range" if date_end else precision,
                    Location(place, admin1, country, lat, lon, "town"), list(perpetrator), None, claims)


# (article_id, outlet, published, incidents). Two reports of one strike in Mayadeen that
# disagree (80 vs 20) and a wire copy of one of them; a bombing in Aleppo; a strike dated by
# a range in Raqqa, without coordinates; an execution in Mosul by Islamic State; shelling in
# Kharkiv that a party denies; an undated clash in Lashkar Gah with no figure; and, for ties
# in the sorts, shelling in Douma on the day of the strike with its toll, and another undated
# incident.
ARTICLES = [
    ("a-reuters", "Reuters", "2017-10-07",
     [_incident("air_strike", "2017-10-06", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                ["Russian forces"], [_claim("Russian Defence Ministry", 80)])]),
    ("a-yahoo", "Yahoo News", "2017-10-07",
     [_incident("air_strike", "2017-10-06", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                ["Russian forces"], [_claim("Syrian Observatory for Human Rights", 20, 20)])]),
    ("a-star", "Daily Star", "2017-10-07",
     [_incident("air_strike", "2017-10-06", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                ["Syrian government forces"], [_claim("Syrian Observatory for Human Rights", 20, 20)])]),
    ("a-sana", "SANA", "2017-04-16",
     [_incident("suicide_bombing", "2017-04-15", "Rashideen", "Aleppo", "SY", 36.18, 37.08,
                ["unknown"], [_claim("SANA", 126, injured=40)])]),
    ("a-afp", "AFP", "2016-05-01",
     [_incident("air_strike", "2016-04-29", "Raqqa", "Raqqa", "SY", None, None,
                ["US-led coalition"], [_claim("reporter", 4)], date_end="2016-04-30"),
      _incident("armed_clash", None, "Lashkar Gah", "Helmand", "AF", 31.59, 64.37,
                ["Taliban"], [], precision="unknown")]),
    ("a-bbc", "BBC News", "2017-06-23",
     [_incident("shooting_or_execution", "2017-06-22", "Mosul", "Nineveh", "IQ", 36.34, 43.13,
                ["Islamic State"], [_claim("reporter", 12)])]),
    ("a-aj", "Al Jazeera", "2017-10-07",
     [_incident("shelling", "2017-10-06", "Douma", "Rural Damascus", "SY", 33.57, 36.40,
                ["Syrian government forces"], [_claim("White Helmets", 20)]),
      _incident("explosion", None, "Kabul", "Kabul", "AF", None, None, ["unknown"], [], precision="unknown")]),
    ("a-kyiv", "Reuters", "2022-04-29",
     [_incident("shelling", "2022-04-29", "Kharkiv", "Kharkiv Oblast", "UA", 49.99, 36.23,
                ["Russian forces"], [_claim("State Emergency Service of Ukraine", 5, injured=14),
                                     _claim("Russian Defence Ministry", denial=True)])]),
]


def _fill(store):
    """Store the articles, link the Mayadeen reports (two of them wire copies); the pks."""
    for aid, outlet, published, incidents in ARTICLES:
        store.add(Article(aid, f"Text of {aid}.", published=published, outlet=outlet),
                  ArticleRecord(aid, published, incidents), "test-1")
    by_article = {si.article_id: si for si in store.incidents()}
    strike = [by_article[a] for a in ("a-reuters", "a-yahoo", "a-star")]
    store.save_links([LinkedIncident(1, [si.pk for si in strike],
                                     [[strike[1].article_pk, strike[2].article_pk]])])
    return by_article


@pytest.fixture
def store(store_url):
    with open_store(store_url) as st:
        _fill(st)
        incident_index.build(st)
        yield st


def _reconciled(store):
    return reconcile_all(store.links(), store.incidents())


def _ids(store, q, sort="id"):
    total, items = store.query_index(q, limit=1000, offset=0, sort=sort)
    assert total == len(items)
    return [i["id"] for i in items]


def _by_place(store, place):
    return next(r.id for r in _reconciled(store) if r.location.name == place)


def test_the_index_holds_what_reconciliation_gives(store):
    reconciled = _reconciled(store)
    assert len(reconciled) == 8  # ten stored incidents: the three Mayadeen reports are one
    total, items = store.query_index(IncidentQuery(), limit=100, offset=0, sort="id")
    assert total == 8
    assert items == [incident_index.summary(r) for r in reconciled]
    for r in reconciled:
        summary, payload = store.index_incident(r.id)
        assert summary == incident_index.summary(r) and payload == r.to_dict()
    assert store.index_incident(10_000) is None
    assert list(store.index_payloads(IncidentQuery())) == [r.to_dict() for r in reconciled]
    strike = next(i for i in items if i["place"] == "Mayadeen")
    assert (strike["killed"], strike["killed_low"], strike["n_reports"], strike["disputed"]) == (20, 20, 3, True)
    assert strike["outlets"] == ["Reuters", "Yahoo News", "Daily Star"]


@pytest.mark.parametrize("filters", [
    {"place": "Deir Ezzor"}, {"place": "Dayr az Zawr"}, {"place": "deir ez-zor"}, {"place": "Mayadin"},
    {"place": "SY"}, {"place": "sy"}, {"place": "Syria"}, {"place": "aleppo"}, {"place": "UA"},
    {"place": "Kharkov"}, {"place": "nowhere"}, {"place": "a|b"}, {"place": "  "}, {"place": "Raqqah"},
    {"actor": "ISIS"}, {"actor": "Daesh"}, {"actor": "Assad regime"}, {"actor": "russian"},
    {"actor": "coalition"}, {"actor": "forces"}, {"actor": "unknown"}, {"actor": "nobody"}, {"actor": " "},
    {"since": "2017-01-01"}, {"until": "2016-12-31"}, {"since": "2016-04-30", "until": "2016-04-30"},
    {"since": "2016-04-29", "until": "2016-04-29"}, {"since": "2016-05-01", "until": "2017-06-22"},
    {"min_killed": 0}, {"min_killed": 1}, {"min_killed": 20}, {"min_killed": 126}, {"disputed": True},
    {"since": "2017-01-01", "min_killed": 10, "actor": "russian"},
    {"place": "Syria", "actor": "Islamic State"}, {"place": "Raqqa", "since": "2016-04-30", "disputed": False},
])
def test_filters_agree_with_reconcile_select(store, filters):
    expected = [r.id for r in select(_reconciled(store), **filters)]
    exact, substring = incident_index.actor_filter(filters["actor"]) if "actor" in filters else (None, None)
    q = IncidentQuery(since=filters.get("since"), until=filters.get("until"),
                      place_needles=incident_index.place_needles(filters["place"]) if "place" in filters else (),
                      actor_exact=exact, actor_substring=substring,
                      min_killed=filters.get("min_killed"), disputed=filters.get("disputed", False))
    assert _ids(store, q) == expected


def test_filters_find_what_they_should(store):
    mayadeen, raqqa, mosul = (_by_place(store, p) for p in ("Mayadeen", "Raqqa", "Mosul"))
    lashkar = _by_place(store, "Lashkar Gah")
    assert _ids(store, IncidentQuery(place_needles=incident_index.place_needles("Deir Ezzor"))) == [mayadeen]
    assert _ids(store, IncidentQuery(place_needles=incident_index.place_needles("Dayr az-Zawr"))) == [mayadeen]
    exact, substring = incident_index.actor_filter("ISIS")
    assert (exact.split("|")[0], substring) == ("islamic state", None)
    assert _ids(store, IncidentQuery(actor_exact=exact)) == [mosul]
    # the range 29-30 April reaches both days; undated incidents drop out of any date filter
    assert _ids(store, IncidentQuery(since="2016-04-30", until="2016-04-30")) == [raqqa]
    assert lashkar not in _ids(store, IncidentQuery(since="2000-01-01"))
    assert lashkar in _ids(store, IncidentQuery())
    # an unknown toll counts as 0
    assert lashkar in _ids(store, IncidentQuery(min_killed=0))
    assert lashkar not in _ids(store, IncidentQuery(min_killed=1))


def test_country_admin1_and_event_type_filters(store):
    rows = {i["id"]: i for i in store.query_index(IncidentQuery(), limit=100, offset=0)[1]}
    syria = sorted(i for i, r in rows.items() if r["country"] == "SY")
    assert len(syria) == 4
    assert _ids(store, IncidentQuery(country="SY")) == syria
    assert _ids(store, IncidentQuery(country="sy")) == syria
    assert _ids(store, IncidentQuery(admin1="DEIR EZ-ZOR")) == [_by_place(store, "Mayadeen")]
    assert _ids(store, IncidentQuery(admin1="Deir Ezzor")) == []  # admin1 is compared exactly
    strikes = sorted(i for i, r in rows.items() if r["event_type"] == "air_strike")
    assert len(strikes) == 2
    assert _ids(store, IncidentQuery(event_types=("air_strike",))) == strikes
    both = sorted(strikes + [_by_place(store, "Mosul")])
    assert _ids(store, IncidentQuery(event_types=("air_strike", "shooting_or_execution"))) == both
    assert _ids(store, IncidentQuery(event_types=("chemical_attack",))) == []
    assert _ids(store, IncidentQuery(country="SY", event_types=("air_strike",), disputed=True)) == \
        [_by_place(store, "Mayadeen")]
    assert set(_ids(store, IncidentQuery(disputed=True))) == {_by_place(store, "Mayadeen"), _by_place(store, "Kharkiv")}


@pytest.mark.parametrize("sort", ["date", "-date", "killed", "-killed", "id"])
def test_sorts_put_unknowns_last_and_pages_cut_them_exactly(store, sort):
    items = store.query_index(IncidentQuery(), limit=100, offset=0, sort=sort)[1]
    key = sort.lstrip("-")
    known = [i for i in items if i[key] is not None]
    assert items[len(known):] == [i for i in items if i[key] is None]  # unknown last
    values = [(i[key], i["id"]) for i in known]
    assert [v for v, _ in values] == sorted((v for v, _ in values), reverse=sort.startswith("-"))
    for a, b in zip(values, values[1:]):
        if a[0] == b[0]:
            assert a[1] < b[1]  # ties by id
    ids = [i["id"] for i in items]
    for q in (IncidentQuery(), IncidentQuery(country="SY"), IncidentQuery(min_killed=1),
              IncidentQuery(place_needles=incident_index.place_needles("a"))):
        full = [i["id"] for i in store.query_index(q, limit=100, offset=0, sort=sort)[1]]
        assert [i for i in ids if i in full] == full  # a filter keeps the order
        for limit in (1, 2, 3):
            for offset in range(len(full) + 2):  # every page, from the front and from the end
                total, page = store.query_index(q, limit=limit, offset=offset, sort=sort)
                assert total == len(full)
                assert [i["id"] for i in page] == full[offset:offset + limit], (limit, offset)


def test_bad_sort_and_paging_are_refused(store):
    with pytest.raises(ValueError):
        store.query_index(IncidentQuery(), limit=10, offset=0, sort="place")
    with pytest.raises(ValueError):
        store.query_index(IncidentQuery(), limit=-1, offset=0)
    assert store.query_index(IncidentQuery(), limit=0, offset=0) == (8, [])


def test_points_timeline_and_facets(store):
    reconciled = _reconciled(store)
    points = store.index_points(IncidentQuery())
    with_coords = [r for r in reconciled if r.location.lat is not None]
    assert [p[0] for p in points] == [r.id for r in with_coords]
    strike = next(p for p in points if p[0] == _by_place(store, "Mayadeen"))
    assert strike == (strike[0], 35.02, 40.45, 20, "air_strike", "2017-10-06", True)
    assert all(isinstance(p[6], bool) for p in points)
    assert [p[0] for p in store.index_points(IncidentQuery(country="UA"))] == [_by_place(store, "Kharkiv")]

    days = store.index_timeline(IncidentQuery())
    assert days == [("2016-04-29", 1, 4), ("2017-04-15", 1, 126), ("2017-06-22", 1, 12),
                    ("2017-10-06", 2, 40), ("2022-04-29", 1, 5)]
    assert store.index_timeline(IncidentQuery(country="SY", since="2017-01-01")) == \
        [("2017-04-15", 1, 126), ("2017-10-06", 2, 40)]
    assert store.index_timeline(IncidentQuery(place_needles=incident_index.place_needles("Mosul"))) == \
        [("2017-06-22", 1, 12)]

    facets = store.index_facets()
    assert facets["total"] == 8
    assert (facets["date_min"], facets["date_max"]) == ("2016-04-29", "2022-04-29")
    assert facets["event_types"][0] == {"value": "air_strike", "count": 2}
    assert {e["value"]: e["count"] for e in facets["event_types"]}["shelling"] == 2
    assert facets["countries"] == [{"code": "SY", "count": 4}, {"code": "AF", "count": 2},
                                   {"code": "IQ", "count": 1}, {"code": "UA", "count": 1}]
    assert {"country": "SY", "name": "Deir ez-Zor", "count": 1} in facets["admin1"]
    assert facets["actors"][:2] == [{"name": "Russian forces", "count": 2}, {"name": "unknown", "count": 2}]


def test_outlets_articles_and_members(store):
    stats = {o.outlet: o for o in store.outlet_stats()}
    assert [o.outlet for o in store.outlet_stats()][0] == "Reuters"  # most articles first
    assert stats["Reuters"].articles == 2 and stats["AFP"].articles == 1
    # the wire copies: Yahoo News and Daily Star, one group
    assert (stats["Yahoo News"].wire_copies, stats["Daily Star"].wire_copies, stats["Reuters"].wire_copies) == (1, 1, 0)
    assert stats["Daily Star"].detail["wire"] == [["a-yahoo", "a-star"]]
    # the strike: two independent sources (the copies count once), reconciled figure 20
    assert (stats["Reuters"].figures, stats["Reuters"].agreeing) == (1, 0)
    assert (stats["Yahoo News"].figures, stats["Yahoo News"].agreeing) == (1, 1)
    mayadeen = _by_place(store, "Mayadeen")
    assert stats["Reuters"].detail["disagreements"] == [mayadeen]
    assert stats["Reuters"].detail["partners"] == {"Daily Star": 1, "Yahoo News": 1}
    assert store.outlet("SANA").articles == 1 and store.outlet("Nobody") is None

    pks = {a.article_id: a.pk for a in store.articles()}
    assert store.incidents_of_article(pks["a-yahoo"]) == [mayadeen]
    assert store.incidents_of_article(pks["a-afp"]) == \
        sorted([_by_place(store, "Raqqa"), _by_place(store, "Lashkar Gah")])
    article = store.article(pks["a-bbc"])
    assert (article.article_id, article.outlet, article.text) == ("a-bbc", "BBC News", "Text of a-bbc.")
    assert store.article(10_000) is None
    assert store.article_pk(article.content_hash) == pks["a-bbc"] and store.article_pk("0" * 64) is None
    total, page = store.article_page("Reuters", limit=1, offset=1)
    assert total == 2 and [a.article_id for a in page] == ["a-kyiv"]
    total, page = store.article_page(None, limit=3, offset=0)
    assert total == 8 and [a.pk for a in page] == sorted(pks.values())[:3]

    incidents = store.incidents()
    some = [incidents[0].pk, incidents[-1].pk, 10_000]
    assert store.stored_incidents(some) == [incidents[0], incidents[-1]]
    assert store.stored_incidents([]) == []

    assert store.verification(pks["a-bbc"]) is None
    store.save_verifications([Verification(pks["a-bbc"], "a-bbc", 0.75, [{"kind": "agrees"}])])
    assert store.verification(pks["a-bbc"]) == Verification(pks["a-bbc"], "a-bbc", 0.75, [{"kind": "agrees"}])


def test_add_many_is_one_all_or_nothing_transaction(store_url):
    items = [(Article(f"m-{i}", f"Many {i}.", published="2020-01-01"),
              ArticleRecord(f"m-{i}", "2020-01-01", [ARTICLES[0][3][0]])) for i in range(3)]
    with open_store(store_url) as st:
        assert st.add_many(items[:2], "1.0") == ["added", "added"]
        assert st.add_many(items, "1.0") == ["unchanged", "unchanged", "added"]
        assert st.add_many(items[:1], "2.0") == ["replaced"]
        before = st.counts()
        bad = (Article("m-bad", "Bad \x00 text.", published="2020-01-01"), ArticleRecord("m-bad", "2020-01-01"))
        new = (Article("m-new", "New text.", published="2020-01-01"), ArticleRecord("m-new", "2020-01-01"))
        with pytest.raises(ValueError):
            st.add_many([new, bad], "1.0")
        assert st.counts() == before


def test_fingerprint_tells_a_stale_index(store_url):
    with open_store(store_url) as st:
        empty = st.fingerprint()
        assert st.index_version() is None
        assert incident_index.refresh(st) is True
        assert st.index_version() == empty and st.index_facets()["total"] == 0
        assert incident_index.refresh(st) is False

        by_article = _fill(st)
        assert st.fingerprint() != empty
        assert incident_index.refresh(st) is True
        built = st.fingerprint()
        assert st.index_version() == built and st.query_index(IncidentQuery(), limit=1, offset=0)[0] == 8
        assert st.fingerprint() == built  # reading changes nothing

        st.save_links(st.links())  # the same links again: still a change to notice
        relinked = st.fingerprint()
        assert relinked != built
        st.save_links([])
        assert st.fingerprint() != relinked
        assert incident_index.refresh(st) is True
        assert st.query_index(IncidentQuery(), limit=1, offset=0)[0] == 10  # nothing linked

        st.add(Article("late", "A late article.", published="2023-01-01"),
               ArticleRecord("late", "2023-01-01", [ARTICLES[5][3][0]]), "test-1")
        assert st.fingerprint() != st.index_version()
        # a newer extractor replaces an article's incidents: same count, new keys
        before = st.fingerprint()
        aid, outlet, published, incidents = ARTICLES[3]
        st.add(Article(aid, f"Text of {aid}.", published=published, outlet=outlet),
               ArticleRecord(aid, published, incidents), "test-2")
        assert st.fingerprint() != before
        assert incident_index.refresh(st) is True
        assert st.index_version() == st.fingerprint()
        assert st.query_index(IncidentQuery(), limit=1, offset=0)[0] == 11
        # the same article replaced again, its incidents the newest: the new ones may take back
        # the very keys they had (SQLite reuses the highest), so only the stamp of the replacement tells
        built = st.fingerprint()
        assert st.add(Article(aid, f"Text of {aid}.", published=published, outlet=outlet),
                      ArticleRecord(aid, published, incidents), "test-3") == "replaced"
        assert st.fingerprint() != built
        assert by_article  # (the pks of the first fill are not needed further)


def test_a_database_of_the_first_schema_is_upgraded(store_url, monkeypatch):
    first = migrations.available()[:1]
    monkeypatch.setattr(migrations, "available", lambda: first)
    with open_store(store_url) as st:
        assert st.applied_migrations == [1]
        assert "reconciled" not in st.db.tables()
        add_as_first_release(st.db, "old", "An old article.", "2017-06-23", "BBC News", [ARTICLES[5][3][0]])
    monkeypatch.undo()
    with open_store(store_url) as st:
        assert st.applied_migrations == list(range(2, migrations.LATEST + 1))
        assert {"reconciled", "reconciled_members", "reconciled_docs", "outlet_stats", "meta"} <= set(st.db.tables())
        assert [si.article_id for si in st.incidents()] == ["old"]
        assert st.index_version() is None
        assert incident_index.refresh(st) is True
        total, items = st.query_index(IncidentQuery(), limit=10, offset=0)
        assert total == 1 and items[0]["place"] == "Mosul"
