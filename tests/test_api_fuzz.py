"""The API under hostile values: every query parameter, path parameter and body field of
every route gets numbers past 2^63, negative and fractional numbers, NaN, empty and very long
strings, NUL and control characters, lone surrogates, wrong JSON types and nesting. Bounded
(a few hundred requests, in process). No answer is a 500; every 4xx is a JSON error, and
one about a value names the parameter or field."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from sitrep.link import link_incidents
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location
from sitrep.serve import create_app
from sitrep.store import open_store

HUGE = str(2**63)
QUERY_VALUES = ["", " ", "-1", "0", "1.5", HUGE, "9" * 40, "-" + HUGE, "1e309", "NaN", "true", "null",
                "\x00", "\x1b[31m", "x" * 5000, "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
                "\U0001f4a5", "2024-02-30", "9999-12-31"]
PATH_VALUES = ["-1", "0", HUGE, "9" * 40, "1.5", "abc", "%00", "%2F", "..%2F..", "x" * 300]
BODY_VALUES = [None, True, -1, 0, 2**63, 10**100, -(2**63) - 1, 1.5, "", " ", "x" * 20000, "\x00",
               "2024-01-01", [], {}, [1, "a", None], {"a": {"b": [2**64]}}, "\U0001f4a5"]
# Raw JSON texts no encoder writes but a client may send.
RAW_VALUES = ['"\\ud800"', '"a\\udfffb"', "NaN", "Infinity", "-Infinity", "1" + "0" * 400]

GET_ROUTES = {
    "/api/incidents": ["since", "until", "country", "admin1", "place", "actor", "event_type",
                       "sub_event_type", "disputed", "min_killed", "review_status", "limit", "offset", "sort"],
    "/api/points": ["min_killed", "since", "country"],
    "/api/timeline": ["min_killed", "until", "place"],
    "/api/export": ["format", "min_killed", "actor"],
    "/api/articles": ["outlet", "limit", "offset"],
    "/api/corrections": ["orphaned"],
    "/api/places": ["q", "country"],
}
PATH_ROUTES = ["/api/incidents/{}", "/api/articles/{}", "/api/outlets/{}"]
GOOD_ARTICLE = {"text": "Shelling killed two people in Aleppo on Monday, the monitor said.",
                "published": "2024-01-02", "title": "t", "outlet": "o", "article_id": "a"}
REVIEWER = {"X-Sitrep-Reviewer": "fuzz"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    with open_store(path) as store:
        # two reports of one strike (linked: an incident to split) and one of another
        for n, (place, outlet) in enumerate([("Mayadeen", "AFP/Reuters"), ("Mayadeen", "Wire"),
                                             ("Aleppo", "Wire")], start=1):
            lat = 35.02 if place == "Mayadeen" else 36.2
            inc = Incident("air_strike", "2017-10-06", None, "day",
                           Location(place, "Deir ez-Zor", "SY", lat, 40.45, "town"), ["Russian forces"],
                           claims=[Claim("Syrian Observatory for Human Rights", {"total": Count(best=20 + n)})])
            store.add(Article(f"a-{n}", f"An air strike killed {20 + n} people in {place} ({outlet}).",
                              published="2017-10-07", outlet=outlet),
                      ArticleRecord(f"a-{n}", "2017-10-07", [inc]), "test-1")
        store.save_links(link_incidents(store.incidents(), {a.pk: a for a in store.articles()}))
    with TestClient(create_app(path, token=None, require_token=False), raise_server_exceptions=False) as c:
        yield c


def _check(r, field: str | None, also: tuple[str, ...] = ()) -> None:
    assert r.status_code < 500, (r.request.method, r.request.url, r.text[:300])
    if r.status_code < 400:
        return
    assert r.headers["content-type"].startswith("application/json"), r.text[:300]
    error = r.json()["error"]
    assert error["status"] == r.status_code and error["message"]
    if field is not None and r.status_code not in (404,):
        named = error.get("parameter") or ""
        assert named.split(".")[0] in (field, *also) or field in error["message"], (field, error)


def test_query_parameters(client):
    sent = 0
    for route, names in GET_ROUTES.items():
        for name in names:
            for value in QUERY_VALUES:
                base = {"q": "Aleppo"} if route == "/api/places" else {}
                _check(client.get(route, params={**base, name: value}), name)
                sent += 1
    assert sent > 300


def test_path_parameters(client):
    for route in PATH_ROUTES:
        for value in PATH_VALUES:
            _check(client.get(route.format(value)), None if "outlets" in route else _path_name(route))


def _path_name(route: str) -> str:
    return {"incidents": "incident_id", "articles": "pk"}[route.split("/")[2]]


def test_outlet_with_a_slash_opens(client):
    names = [o["outlet"] for o in client.get("/api/outlets").json()["items"]]
    assert "AFP/Reuters" in names
    r = client.get("/api/outlets/AFP%2FReuters")
    assert r.status_code == 200 and r.json()["outlet"] == "AFP/Reuters"


def _bodies(base: dict, fields: list[str]):
    for field in fields:
        for value in BODY_VALUES:
            yield field, json.dumps({**base, field: value}).encode()
        for raw in RAW_VALUES:
            text = json.dumps({**base, field: "@@"}).replace('"@@"', raw)
            yield field, text.encode()
        yield field, json.dumps({k: v for k, v in base.items() if k != field}).encode()   # missing


@pytest.mark.parametrize("route", ["/api/extract", "/api/articles"])
def test_article_bodies(client, route):
    for field, body in _bodies(GOOD_ARTICLE, list(GOOD_ARTICLE)):
        r = client.post(route, content=body, headers={"Content-Type": "application/json"})
        _check(r, field)


def test_review_bodies(client):
    ids = [i["id"] for i in client.get("/api/incidents", params={"sort": "id", "limit": 500}).json()["items"]]
    members = {i: client.get(f"/api/incidents/{i}").json()["reconciled"]["members"] for i in ids}
    first = next(i for i in ids if len(members[i]) == 2)
    second = next(i for i in ids if i != first)
    forms = {f"/api/incidents/{first}/corrections": ({"field": "event_type", "value": "shelling", "note": "n"},
                                                     ["field", "value", "note"]),
             f"/api/incidents/{first}/review": ({"note": "n"}, ["note"]),
             f"/api/incidents/{first}/split": ({"members": members[first][:1], "note": "n"}, ["members", "note"]),
             f"/api/incidents/{first}/merge": ({"other": second, "note": "n"}, ["other", "note"])}
    for route, (base, fields) in forms.items():
        for field, body in _bodies(base, fields):
            r = client.post(route, content=body, headers={"Content-Type": "application/json", **REVIEWER})
            # A correction's value is named by the field it corrects ("event_type: unknown ...").
            # Once a split or merge goes through (a valid note), the base is stale: its own
            # members or incident are then what the error names (or a 404).
            _check(r, field, also=(*fields, *([base["field"]] if "field" in base else [])))
    for value in PATH_VALUES:
        _check(client.post(f"/api/incidents/{value}/review", json={}, headers=REVIEWER),
               None if not value.lstrip("-").isdigit() else "incident_id")


def test_a_lone_surrogate_is_replaced_as_the_cli_replaces_it(client):
    """U+FFFD for U+D800, one character for one: the evidence offsets still fit the text sent."""
    text = "Shelling killed two people in Aleppo on Monday, the monitor said \\ud800."
    body = json.dumps({**GOOD_ARTICLE, "text": "@@"}).replace('"@@"', f'"{text}"')
    r = client.post("/api/extract", content=body.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["record"]["incidents"]


def test_huge_integers_are_422_naming_the_parameter(client):
    for path, params, name in (("/api/incidents", {"min_killed": HUGE}, "min_killed"),
                               ("/api/incidents", {"offset": HUGE}, "offset"),
                               (f"/api/incidents/{HUGE}", {}, "incident_id"),
                               (f"/api/articles/{HUGE}", {}, "pk")):
        r = client.get(path, params=params)
        assert r.status_code == 422 and r.json()["error"]["parameter"] == name, r.text
