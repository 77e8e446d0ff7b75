"""The HTTP API (sitrep.serve) over a temporary database of the bundled samples, through
FastAPI's TestClient: every route, the filters against `sitrep incidents`' own selection,
paging, JSON errors, the body limit, the write token, the security headers, the exports,
checking and storing an article, and hostile text coming back as data."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from fastapi.testclient import TestClient

from pg import store_url  # noqa: F401
from sitrep.extract.pipeline import EXTRACTOR_VERSION, default_pipeline
from sitrep.link import link_incidents
from sitrep.reconcile import reconcile_all, select
from sitrep.serve import create_app
from sitrep.serve.security import CSP, is_loopback
from sitrep.store import open_store

# A report of the Douma attack that the samples hold (published the next day, other words).
DOUMA = ("BEIRUT, April 8, 2018 - A suspected chemical attack killed at least 42 people in the "
         "town of Douma in Eastern Ghouta on Saturday, rescue workers said. The Syrian American "
         "Medical Society said more than 500 people were treated for breathing difficulties.")
HOSTILE_TEXT = ("DARAA, Syria, March 3, 2018 - <script>alert(1)</script> Shelling killed seven "
                "civilians in the town of Nawa in Daraa province on Saturday, the Syrian Observatory "
                "for Human Rights said. <img src=x onerror=alert(1)> Medics said twelve were wounded.")
HOSTILE_TITLE = "Nawa <script>alert(1)</script>"
HOSTILE_OUTLET = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def extracted():
    from pg import sample_articles
    pairs = list(default_pipeline().pipe(sample_articles()))
    assert pairs and all(not isinstance(r, Exception) for _, r in pairs)
    return pairs


def fill(url: str, pairs) -> None:
    """Store the articles and link them, as `sitrep ingest` and `sitrep link` do."""
    with open_store(url) as store:
        for article, record in pairs:
            store.add(article, record, EXTRACTOR_VERSION)
        store.save_links(link_incidents(store.incidents(), {a.pk: a for a in store.articles()}))


@pytest.fixture(scope="module")
def db(tmp_path_factory, extracted):
    path = str(tmp_path_factory.mktemp("api") / "samples.db")
    fill(path, extracted)
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, token=None, require_token=False)) as c:
        yield c


@pytest.fixture(scope="module")
def reconciled(db, client):
    """What `sitrep incidents` reconciles from the same database (client first: it built the index)."""
    with open_store(db) as store:
        return reconcile_all(store.links(), store.incidents())


@pytest.fixture
def scratch(db, tmp_path):
    """A copy of the samples database that a test may write to."""
    path = tmp_path / "scratch.db"
    shutil.copy(db, path)
    return str(path)


def error_of(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def all_ids(client, **params) -> list[int]:
    r = client.get("/api/incidents", params={**params, "limit": 500, "sort": "id"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return [it["id"] for it in body["items"]]


# --- reading ---------------------------------------------------------------------------------

def test_health(client, reconciled):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["articles"] == 12
    assert body["incidents"] == len(reconciled) and body["index_version"]


def test_list_is_every_reconciled_incident(client, reconciled):
    assert all_ids(client) == [r.id for r in reconciled]
    r = client.get("/api/incidents").json()
    assert (r["limit"], r["offset"], r["total"]) == (50, 0, len(reconciled))
    item = next(it for it in r["items"] if it["id"] == reconciled[0].id)
    first = reconciled[0]
    assert item["killed"] == first.killed_figure() and item["perpetrator"] == first.perpetrator
    assert item["n_reports"] == len(first.article_ids) and item["disputed"] == first.disputed
    for key in ("event_type", "date", "date_end", "date_precision", "place", "admin1", "country",
                "lat", "lon", "place_precision", "perpetrators", "killed_low", "injured",
                "number_of_sources", "outlets", "flags"):
        assert key in item


FILTERS = [
    ({"since": "2018-01-01"}, {"since": "2018-01-01"}),
    ({"until": "2017-10-13"}, {"until": "2017-10-13"}),
    ({"since": "2017-06-01", "until": "2018-08-02"}, {"since": "2017-06-01", "until": "2018-08-02"}),
    ({"place": "Deir Ezzor"}, {"place": "Deir Ezzor"}),
    ({"place": "SY"}, {"place": "SY"}),
    ({"place": "kharkiv"}, {"place": "kharkiv"}),
    ({"place": "Syria"}, {"place": "Syria"}),
    ({"actor": "ISIS"}, {"actor": "ISIS"}),
    ({"actor": "Assad regime"}, {"actor": "Assad regime"}),
    ({"actor": "forces"}, {"actor": "forces"}),
    ({"min_killed": 20}, {"min_killed": 20}),
    ({"disputed": "true"}, {"disputed": True}),
    ({"place": "Aleppo", "min_killed": 1}, {"place": "Aleppo", "min_killed": 1}),
]


@pytest.mark.parametrize("params,options", FILTERS, ids=[json.dumps(p) for p, _ in FILTERS])
def test_filters_agree_with_sitrep_incidents(client, reconciled, params, options):
    expected = [r.id for r in select(reconciled, **options)]
    assert all_ids(client, **params) == expected
    # the map and the timeline hold the same incidents
    pts = client.get("/api/points", params=params).json()
    assert [row[0] for row in pts["rows"]] == [i for i in expected if _located(reconciled, i)]
    days = client.get("/api/timeline", params=params).json()["days"]
    assert sum(n for _, n, _ in days) == sum(1 for r in reconciled if r.id in expected and r.date)


def _located(reconciled, iid):
    r = next(r for r in reconciled if r.id == iid)
    return r.location.lat is not None and r.location.lon is not None


def test_filters_by_country_admin1_event_type(client, reconciled):
    assert all_ids(client, country="ye") == [r.id for r in reconciled if r.location.country == "YE"]
    assert all_ids(client, admin1="nineveh") == [r.id for r in reconciled if r.location.admin1 == "Nineveh"]
    want = {"air_strike", "shelling"}
    got = client.get("/api/incidents", params=[("event_type", "air_strike"), ("event_type", "shelling"),
                                               ("limit", "500"), ("sort", "id")]).json()
    assert [it["id"] for it in got["items"]] == [r.id for r in reconciled if r.event_type in want]


def test_filter_by_acled_sub_event_type(client, reconciled):
    want = {"Air/drone strike", "Agreement"}
    got = client.get("/api/incidents", params=[("sub_event_type", "air/drone strike"),
                                               ("sub_event_type", "Agreement"),
                                               ("limit", "500"), ("sort", "id")]).json()
    expected = [r.id for r in reconciled if r.sub_event_type in want]
    assert expected and [it["id"] for it in got["items"]] == expected
    facets = client.get("/api/facets").json()["sub_event_types"]
    assert sum(e["count"] for e in facets) == len(reconciled)


def test_paging_and_sorting(client, reconciled):
    pages, offset = [], 0
    while True:
        body = client.get("/api/incidents", params={"limit": 7, "offset": offset}).json()
        if not body["items"]:
            break
        assert len(body["items"]) <= 7 and body["total"] == len(reconciled)
        pages += body["items"]
        offset += 7
    assert len(pages) == len(reconciled) == len({it["id"] for it in pages})
    dates = [it["date"] for it in pages if it["date"]]
    assert dates == sorted(dates, reverse=True)
    killed = [it["killed"] for it in client.get("/api/incidents", params={"sort": "-killed", "limit": 500}).json()["items"]]
    known = [k for k in killed if k is not None]
    assert known == sorted(known, reverse=True) and killed[:len(known)] == known  # nulls last
    asc = [it["date"] for it in client.get("/api/incidents", params={"sort": "date", "limit": 500}).json()["items"]]
    assert [d for d in asc if d] == sorted(d for d in asc if d)
    assert client.get("/api/incidents", params={"offset": 10_000}).json()["items"] == []


def test_incident_with_articles_and_evidence(client, reconciled):
    r = max(reconciled, key=lambda r: len(r.claims))
    body = client.get(f"/api/incidents/{r.id}").json()
    assert body["incident"]["id"] == r.id and body["reconciled"] == r.to_dict()
    assert {a["article_id"] for a in body["articles"]} == set(r.article_ids)
    marked = 0
    for art in body["articles"]:
        assert set(art) >= {"pk", "article_id", "title", "outlet", "published", "text", "wire_group", "highlights"}
        for h in art["highlights"]:
            assert 0 <= h["start"] < h["end"] <= len(art["text"])
            claim = r.claims[h["claim"]]
            assert claim.article_id == art["article_id"] and h["source"] == claim.source
            assert art["text"][h["start"]:h["end"]].strip() in claim.evidence
            marked += 1
    assert marked == sum(len(c.evidence) for c in r.claims) > 0


def test_points_timeline_facets(client, reconciled):
    pts = client.get("/api/points").json()
    assert pts["fields"] == ["id", "lat", "lon", "killed", "event_type", "date", "disputed"]
    by_id = {r.id: r for r in reconciled}
    for iid, lat, lon, killed, etype, date, disputed in pts["rows"]:
        r = by_id[iid]
        assert (lat, lon, killed, etype, date, disputed) == (
            r.location.lat, r.location.lon, r.killed_figure(), r.event_type, r.date, r.disputed)
    days = client.get("/api/timeline").json()["days"]
    assert [d for d, _, _ in days] == sorted({r.date for r in reconciled if r.date})
    assert sum(k for _, _, k in days) == sum(r.killed_figure() or 0 for r in reconciled if r.date)
    f = client.get("/api/facets").json()
    assert f["total"] == len(reconciled)
    assert f["date_min"] == min(r.date for r in reconciled if r.date)
    assert f["date_max"] == max(r.date for r in reconciled if r.date)
    sy = next(c for c in f["countries"] if c["code"] == "SY")
    assert sy["name"] == "Syria" and sy["count"] == sum(1 for r in reconciled if r.location.country == "SY")
    assert sum(e["count"] for e in f["event_types"]) == len(reconciled)
    assert {"country", "name", "count"} <= set(f["admin1"][0]) and {"name", "count"} <= set(f["actors"][0])


def test_articles(client, reconciled):
    body = client.get("/api/articles", params={"limit": 5}).json()
    assert body["total"] == 12 and len(body["items"]) == 5
    rest = client.get("/api/articles", params={"limit": 500, "offset": 5}).json()["items"]
    pks = [it["pk"] for it in body["items"] + rest]
    assert len(pks) == 12 == len(set(pks)) and pks == sorted(pks)
    wire = client.get("/api/articles", params={"outlet": "samplewire"}).json()
    assert wire["total"] == 2 and {it["outlet"] for it in wire["items"]} == {"samplewire"}
    item = next(it for it in body["items"] if it["article_id"] == "9000000001")
    art = client.get(f"/api/articles/{item['pk']}").json()
    assert art["article_id"] == "9000000001" and art["outlet"] == "samplewire" and art["published"] == "2018-04-08"
    assert len(art["record"]["incidents"]) == item["n_incidents"] == len(art["incidents"]) > 0
    for inc in art["record"]["incidents"]:
        for claim in inc["claims"]:
            for span in claim["evidence"]:
                assert art["text"][span["start"]:span["end"]] == span["text"]
    assert sorted(art["incidents"]) == sorted(r.id for r in reconciled if "9000000001" in r.article_ids)
    assert art["verification"] is None  # `sitrep verify` has not run


def test_outlets(client):
    items = client.get("/api/outlets").json()["items"]
    assert items and [it["articles"] for it in items] == sorted((it["articles"] for it in items), reverse=True)
    for it in items:
        assert set(it) == {"outlet", "articles", "figures", "agreeing", "agreement", "agreement_low",
                           "agreement_high", "few_figures", "wire_copies"}
        assert it["agreement"] == (it["agreeing"] / it["figures"] if it["figures"] else None)
        assert it["few_figures"] == (it["figures"] < 10)  # the samples: every outlet has few
        if it["figures"]:
            assert it["agreement_low"] <= it["agreement"] <= it["agreement_high"]
    one = client.get("/api/outlets/samplewire").json()
    assert one["outlet"] == "samplewire" and one["articles"] == 2 and isinstance(one["detail"], dict)
    error_of(client.get("/api/outlets/no-such-outlet"), 404)


# --- exports ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,name", [("acled", "sitrep-acled.csv"), ("ucdp", "sitrep-ucdp.csv"),
                                      ("geojson", "sitrep-incidents.geojson"),
                                      ("jsonl", "sitrep-incidents.jsonl")])
def test_exports_parse(client, reconciled, fmt, name):
    from sitrep.export import ACLED_COLUMNS, UCDP_COLUMNS, export
    r = client.get("/api/export", params={"format": fmt, "place": "SY"})
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'attachment; filename="{name}"'
    chosen = select(reconciled, place="SY")
    expected = io.StringIO()
    skipped = export(chosen, fmt, expected)
    assert r.text == expected.getvalue() and int(r.headers["x-sitrep-left-out"]) == len(skipped)
    n = len(chosen) - len(skipped)
    if fmt in ("acled", "ucdp"):
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == n and tuple(rows[0]) == (ACLED_COLUMNS if fmt == "acled" else UCDP_COLUMNS)
    elif fmt == "geojson":
        doc = json.loads(r.text)
        assert doc["type"] == "FeatureCollection" and len(doc["features"]) == n
    else:
        lines = [json.loads(line) for line in r.text.splitlines()]
        assert [d["id"] for d in lines] == [x.id for x in chosen]


def test_export_bad_format(client):
    assert error_of(client.get("/api/export", params={"format": "xlsx"}), 422)["parameter"] == "format"


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path,params,parameter", [
    ("/api/incidents", {"since": "2018-13-01"}, "since"),
    ("/api/incidents", {"until": "yesterday"}, "until"),
    ("/api/incidents", {"since": "2018-02-01", "until": "2018-01-01"}, "until"),
    ("/api/incidents", {"min_killed": "-1"}, "min_killed"),
    ("/api/incidents", {"min_killed": "many"}, "min_killed"),
    ("/api/incidents", {"limit": "0"}, "limit"),
    ("/api/incidents", {"limit": "501"}, "limit"),
    ("/api/incidents", {"offset": "-5"}, "offset"),
    ("/api/incidents", {"sort": "place"}, "sort"),
    ("/api/incidents", {"event_type": "massacre"}, "event_type"),
    ("/api/incidents", {"sub_event_type": "Air strike"}, "sub_event_type"),
    ("/api/incidents", {"country": "SYR"}, "country"),
    ("/api/incidents", {"disputed": "perhaps"}, "disputed"),
    ("/api/points", {"since": "x"}, "since"),
    ("/api/timeline", {"min_killed": "-3"}, "min_killed"),
    ("/api/export", {"until": "2018/01/01"}, "until"),
    ("/api/incidents/abc", {}, "incident_id"),
    ("/api/articles", {"limit": "1000"}, "limit"),
])
def test_bad_parameters_are_422_naming_them(client, path, params, parameter):
    err = error_of(client.get(path, params=params), 422)
    assert err["parameter"] == parameter and parameter in err["message"]


def test_not_found_and_method_not_allowed(client):
    assert "99999" in error_of(client.get("/api/incidents/99999"), 404)["message"]
    error_of(client.get("/api/articles/99999"), 404)
    error_of(client.get("/api/nothing-here"), 404)
    error_of(client.get("/docs"), 404)      # no CDN-loaded documentation pages
    error_of(client.get("/redoc"), 404)
    r = client.delete("/api/incidents")
    assert "DELETE" in error_of(r, 405)["message"] and "GET" in r.headers["allow"]
    error_of(client.post("/api/incidents", json={}), 405)
    error_of(client.get("/api/extract"), 405)
    assert client.get("/openapi.json").json()["info"]["title"] == "sitrep"


def test_internal_error_is_json(db, monkeypatch):
    from sitrep.store import Store

    def boom(self):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(Store, "outlet_stats", boom)
    with TestClient(create_app(db, token=None, require_token=False), raise_server_exceptions=False) as c:
        r = c.get("/api/outlets")
        err = error_of(r, 500)
        assert "disk on fire" not in err["message"] and r.headers["content-security-policy"] == CSP


def test_security_headers_on_every_response(client):
    for r in (client.get("/api/health"), client.get("/api/nothing"), client.get("/api/incidents/x"),
              client.get("/openapi.json"), client.delete("/api/health")):
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP and "unsafe" not in CSP


def test_large_json_is_compressed(client):
    r = client.get("/api/incidents", params={"limit": 500}, headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip" and r.json()["items"]
    raw = client.get("/api/incidents", params={"limit": 500}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    for _ in range(2):   # the map's points are cached, compressed once
        zipped = client.get("/api/points", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        plain = client.get("/api/points", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.json() == zipped.json()


# --- checking an article -------------------------------------------------------------------

def test_extract_gives_evidence_and_fits(client, reconciled):
    r = client.post("/api/extract", json={"text": DOUMA, "published": "2018-04-08", "title": "Gas attack on Douma",
                                          "outlet": "Test Wire"})
    assert r.status_code == 200, r.text
    body = r.json()
    record = body["record"]
    assert record["published"] == "2018-04-08" and record["incidents"]
    for inc in record["incidents"]:
        for claim in inc["claims"]:
            for span in claim["evidence"]:
                assert DOUMA[span["start"]:span["end"]] == span["text"] and span["text"]
    assert [f["incident"] for f in body["fits"]] == list(range(len(record["incidents"])))
    # the sample's gas attack: the rescuers' 42 and the Observatory's 21 are rival claims on it
    douma = next(x for x in reconciled if x.location.name == "Douma" and x.event_type == "chemical_attack"
                 and any("total" in c.killed and c.killed["total"].value() == 42 for c in x.claims))
    chem = next(f for f, inc in zip(body["fits"], record["incidents"]) if inc["event_type"] == "chemical_attack")
    best = chem["candidates"][0]
    assert best["id"] == douma.id and best["summary"]["id"] == douma.id
    # the database's best is the Observatory's 21 beside the rescuers' 42: this text's 42 is
    # told as disagreeing with it
    assert 0.54 <= best["score"] <= 1 and best["figures_agree"] is False
    assert any("42 here, 21 in the database" in s for s in best["reasons"])
    assert any("same event type" in s for s in best["reasons"]) and any("Douma" in s for s in best["reasons"])
    scores = [c["score"] for c in chem["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert client.get("/api/health").json()["articles"] == 12   # nothing was stored


def test_extract_far_from_everything_has_no_candidates(client):
    text = ("KABUL, March 2, 2009 - A roadside bomb killed four soldiers in Kunar province on Monday, "
            "officials said.")
    body = client.post("/api/extract", json={"text": text, "published": "2009-03-02"}).json()
    assert body["record"]["incidents"] and all(not f["candidates"] for f in body["fits"])
    quiet = "Ministers met in Geneva on Monday to discuss aid deliveries to the north."
    body = client.post("/api/extract", json={"text": quiet, "published": "2018-01-01"}).json()
    assert body["record"]["incidents"] == [] and body["fits"] == []


@pytest.mark.parametrize("payload,parameter", [
    ({"published": "2018-04-08"}, "text"),
    ({"text": "   ", "published": "2018-04-08"}, "text"),
    ({"text": DOUMA}, "published"),
    ({"text": DOUMA, "published": "8 April 2018"}, "published"),
    ({"text": "Au moins douze civils ont été tués vendredi dans une attaque contre un village du "
              "centre du Mali, selon les autorités locales de la région.", "published": "2019-03-01"}, "text"),
    ({"text": 12, "published": "2018-04-08"}, "text"),
])
def test_extract_bad_bodies_are_422(client, payload, parameter):
    assert error_of(client.post("/api/extract", json=payload), 422)["parameter"] == parameter


def test_extract_invalid_json_is_422(client):
    r = client.post("/api/extract", content=b'{"text": "unfinished', headers={"Content-Type": "application/json"})
    error_of(r, 422)


# --- writing ---------------------------------------------------------------------------------

def test_store_article_then_listed_then_linked(scratch):
    with TestClient(create_app(scratch, token=None, require_token=False)) as c:
        before = c.get("/api/health").json()
        r = c.post("/api/articles", json={"text": DOUMA, "published": "2018-04-08", "outlet": "Test Wire",
                                          "article_id": "t-1"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "added" and body["record"]["article_id"] == "t-1" and body["incidents"]
        after = c.get("/api/health").json()
        assert after["articles"] == before["articles"] + 1
        assert after["incidents"] == before["incidents"] + len(body["record"]["incidents"])
        listed = c.get("/api/incidents", params={"place": "Douma", "limit": 500}).json()["items"]
        assert set(body["incidents"]) <= {it["id"] for it in listed}
        art = c.get(f"/api/articles/{body['pk']}").json()
        assert art["text"] == DOUMA and art["outlet"] == "Test Wire" and art["source"] == "api"
        again = c.post("/api/articles", json={"text": DOUMA, "published": "2018-04-08"}).json()
        assert again["status"] == "unchanged" and again["pk"] == body["pk"]
        linked = c.post("/api/link").json()
        assert linked["linked_incidents"] >= 1 and linked["articles"] == 13
        douma = [it for it in c.get("/api/incidents", params={"place": "Douma", "limit": 500}).json()["items"]
                 if it["event_type"] == "chemical_attack" and it["n_reports"] == 2]
        assert douma and "Test Wire" in douma[0]["outlets"]


def test_index_follows_writes_of_other_processes(scratch, extracted, monkeypatch):
    import sitrep.serve.service as service
    from sitrep.records import Article
    monkeypatch.setattr(service, "CHECK_SECONDS", 0.0)   # the server re-checks at most this often
    with TestClient(create_app(scratch, token=None, require_token=False)) as c:
        before = c.get("/api/health").json()
        article, record = next((a, r) for a, r in extracted if r.incidents)
        copy = Article(article_id="copy-1", text=article.text + " (copy)", published=article.published,
                       outlet="Other Outlet")
        with open_store(scratch) as store:       # as `sitrep ingest` in another process
            assert store.add(copy, record, EXTRACTOR_VERSION) == "added"
        after = c.get("/api/health").json()
        assert after["articles"] == before["articles"] + 1
        assert after["incidents"] == before["incidents"] + len(record.incidents)
        assert after["index_version"] != before["index_version"]
        assert any(o["outlet"] == "Other Outlet" for o in c.get("/api/outlets").json()["items"])


def test_hostile_text_comes_back_as_json_data(scratch):
    with TestClient(create_app(scratch, token=None, require_token=False)) as c:
        body = c.post("/api/articles", json={"text": HOSTILE_TEXT, "title": HOSTILE_TITLE, "outlet": HOSTILE_OUTLET,
                                             "published": "2018-03-04"}).json()
        r = c.get(f"/api/articles/{body['pk']}")
        assert r.headers["content-type"] == "application/json" and r.headers["x-content-type-options"] == "nosniff"
        art = r.json()
        assert (art["text"], art["title"], art["outlet"]) == (HOSTILE_TEXT, HOSTILE_TITLE, HOSTILE_OUTLET)
        assert body["incidents"]
        inc = c.get(f"/api/incidents/{body['incidents'][0]}").json()
        assert inc["articles"][0]["text"] == HOSTILE_TEXT and inc["articles"][0]["title"] == HOSTILE_TITLE
        listed = c.get("/api/articles", params={"outlet": HOSTILE_OUTLET}).json()["items"]
        assert [it["title"] for it in listed] == [HOSTILE_TITLE]
        assert c.get(f"/api/outlets/{HOSTILE_OUTLET}").json()["outlet"] == HOSTILE_OUTLET


def test_token_rule(scratch):
    article = {"text": DOUMA, "published": "2018-04-08"}
    with TestClient(create_app(scratch, token="s3cret-token", require_token=True)) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"},
                        {"Authorization": "Basic s3cret-token"}):
            r = c.post("/api/articles", json=article, headers=headers)
            error_of(r, 401)
            assert r.headers["www-authenticate"] == "Bearer"
            error_of(c.post("/api/link", headers=headers), 401)
        assert c.get("/api/health").json()["articles"] == 12       # nothing was written
        assert c.get("/api/incidents").status_code == 200          # reading needs no token
        assert c.post("/api/extract", json=article).status_code == 200   # nor checking
        ok = c.post("/api/articles", json=article, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and ok.json()["status"] == "added"
        assert c.post("/api/link", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    with TestClient(create_app(scratch, token=None, require_token=True)) as c:
        err = error_of(c.post("/api/articles", json=article, headers={"Authorization": "Bearer x"}), 403)
        assert "SITREP_TOKEN" in err["message"]
        error_of(c.post("/api/link"), 403)


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("192.168.1.4")
    assert not is_loopback("example.org")


# --- body limit ------------------------------------------------------------------------------

def test_body_limit(db):
    with TestClient(create_app(db, token=None, require_token=False, max_body=2000)) as c:
        big = json.dumps({"text": "x " * 1500, "published": "2018-04-08"}).encode()
        r = c.post("/api/extract", content=big, headers={"Content-Type": "application/json"})
        err = error_of(r, 413)
        assert err["message"] == "request body too large: the limit is 2000 bytes"
        assert r.headers["content-security-policy"] == CSP

        def chunks():   # no Content-Length: the body is streamed (chunked)
            for _ in range(10):
                yield b"x" * 300
        r = c.post("/api/extract", content=chunks(), headers={"Content-Type": "application/json"})
        assert "content-length" not in r.request.headers and r.request.headers["transfer-encoding"] == "chunked"
        error_of(r, 413)
        small = c.post("/api/extract", content=json.dumps({"text": DOUMA, "published": "2018-04-08"}).encode(),
                       headers={"Content-Type": "application/json"})
        assert small.status_code == 200

        def few():
            yield json.dumps({"text": DOUMA[:200]}).encode()[:-1]
            yield b', "published": "2018-04-08"}'
        assert c.post("/api/extract", content=few(), headers={"Content-Type": "application/json"}).status_code == 200


# --- the page --------------------------------------------------------------------------------

def test_page_and_static_files(db, tmp_path):
    static = tmp_path / "static"
    (static / "build").mkdir(parents=True)
    (static / "index.html").write_text("<!doctype html><title>sitrep</title><script src=/static/app.js></script>")
    (static / "app.js").write_text("console.log('sitrep');")
    (tmp_path / "secret.txt").write_text("not to be served")
    with TestClient(create_app(db, token=None, require_token=False, static_dir=static)) as c:
        r = c.get("/")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "<title>sitrep</title>" in r.text and r.headers["content-security-policy"] == CSP
        js = c.get("/static/app.js")
        assert js.status_code == 200 and "javascript" in js.headers["content-type"]
        error_of(c.get("/static/missing.js"), 404)
        error_of(c.get("/static/../secret.txt"), 404)
        error_of(c.get("/static/%2e%2e/secret.txt"), 404)
        assert "basemap" in error_of(c.get("/basemap.json"), 404)["message"]
        (static / "build" / "basemap.json").write_text('{"type": "FeatureCollection", "features": []}')
        assert c.get("/basemap.json").json()["type"] == "FeatureCollection"
        big = {"type": "Topology", "arcs": [[[i, i + 1]] for i in range(2000)]}
        (static / "build" / "basemap.json").write_text(json.dumps(big))   # rebuilt: served anew
        zipped = c.get("/basemap.json", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.json() == big
        assert c.get("/basemap.json", headers={"Accept-Encoding": "identity"}).json() == big
        error_of(c.post("/static/app.js"), 405)
    with TestClient(create_app(db, token=None, require_token=False, static_dir=tmp_path / "none")) as c:
        error_of(c.get("/"), 404)
        assert c.get("/api/health").status_code == 200


# --- PostgreSQL ------------------------------------------------------------------------------

def test_same_answers_on_postgresql_and_sqlite(store_url, extracted, client):  # noqa: F811
    """The same routes over either database give the same answers."""
    fill(store_url, extracted)
    with TestClient(create_app(store_url, token=None, require_token=False)) as c:
        for path, params in (("/api/incidents", {"limit": 500, "sort": "id"}),
                             ("/api/incidents", {"place": "Deir Ezzor", "actor": "government"}),
                             ("/api/incidents", {"since": "2018-01-01", "sort": "-killed", "limit": 5, "offset": 2}),
                             ("/api/points", {"disputed": "true"}), ("/api/timeline", {"country": "SY"}),
                             ("/api/facets", {}), ("/api/outlets", {})):
            got, want = c.get(path, params=params), client.get(path, params=params)
            assert got.status_code == 200, got.text
            assert got.json() == want.json(), path
        some = client.get("/api/incidents", params={"limit": 1}).json()["items"][0]["id"]
        assert c.get(f"/api/incidents/{some}").json() == client.get(f"/api/incidents/{some}").json()


# --- a database larger than the store's pages ------------------------------------------------

@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    """2,500 synthetic reconciled incidents (benchmarks/synthetic.py): more than one page of
    every query the store pages through."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import make_db
    path = str(tmp_path_factory.mktemp("synthetic") / "synthetic.db")
    make_db(path, 2500, seed=3)
    return path


def test_many_incidents_list_export_points_agree(synthetic_db):
    with open_store(synthetic_db) as store:
        reconciled = reconcile_all(store.links(), store.incidents())
    with TestClient(create_app(synthetic_db, token=None, require_token=False)) as c:
        for params, options in (({}, {}), ({"since": "2016-06-01"}, {"since": "2016-06-01"}),
                                ({"place": "SY"}, {"place": "SY"}),
                                ({"since": "2018-01-01", "actor": "forces"}, {"since": "2018-01-01", "actor": "forces"})):
            expected = [r.id for r in select(reconciled, **options)]
            assert len(expected) > (1000 if "place" not in params and "actor" not in params else 100)
            listed, offset = [], 0
            while True:
                page = c.get("/api/incidents", params={**params, "sort": "id", "limit": 500, "offset": offset}).json()
                assert page["total"] == len(expected)
                if not page["items"]:
                    break
                listed += [it["id"] for it in page["items"]]
                offset += 500
            assert listed == expected
            r = c.get("/api/export", params={**params, "format": "jsonl"})
            assert [json.loads(line)["id"] for line in r.text.splitlines()] == expected
            rows = c.get("/api/points", params=params).json()["rows"]
            by_id = {r.id: r for r in reconciled}
            assert [row[0] for row in rows] == [i for i in expected if by_id[i].location.lat is not None]
