"""Writes from other sites and DNS rebinding: forged ``Origin``, ``Sec-Fetch-Site`` and
``Host`` headers, as a web page the user visits would make their browser send them."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location
from sitrep.serve import create_app
from sitrep.serve.origin import HostRule
from sitrep.store import open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("origin") / "origin.db")
    inc = Incident("air_strike", "2017-10-06", None, "day",
                   Location("Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45, "town"), ["Russian forces"],
                   claims=[Claim("Syrian Observatory for Human Rights", {"total": Count(best=20)})])
    with open_store(path) as store:
        store.add(Article("a-1", "An air strike killed 20 people in Mayadeen.", published="2017-10-07"),
                  ArticleRecord("a-1", "2017-10-07", [inc]), "test-1")
    return path


@pytest.fixture(scope="module")
def loopback(db):
    """The app as `sitrep serve` makes it on 127.0.0.1 (port 8000), with one --allow-host name."""
    app = create_app(db, token=None, require_token=False,
                     hosts=HostRule.serving("127.0.0.1", ["sitrep.lan"]))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        yield c


def _error(r, status: int, parameter: str) -> str:
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["parameter"] == parameter
    return error["message"]


# -- DNS rebinding -----------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io:8000",
                                  "localhost.evil.example", "10.0.0.7:8000", "sitrep.lan.evil.example"])
def test_a_host_the_server_was_not_started_on_is_refused(loopback, host):
    for r in (loopback.get("/api/health", headers={"Host": host}),
              loopback.post("/api/link", headers={"Host": host})):
        assert "is not served here" in _error(r, 400, "Host")


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "127.0.0.1", "localhost:8000", "LOCALHOST.",
                                  "[::1]:8000", "127.0.0.2", "sitrep.lan:8000"])
def test_the_servers_own_names_are_answered(loopback, host):
    assert loopback.get("/api/health", headers={"Host": host}).status_code == 200


def test_beyond_loopback_addresses_are_answered_but_names_only_when_allowed(db):
    app = create_app(db, token="t0ken-for-writes", require_token=True, hosts=HostRule.serving("0.0.0.0"))
    with TestClient(app) as c:
        for host in ("192.168.1.20:8000", "[fe80::1]:8000", "127.0.0.1:8000", "localhost"):
            assert c.get("/api/health", headers={"Host": host}).status_code == 200, host
        _error(c.get("/api/health", headers={"Host": "attacker.example:8000"}), 400, "Host")


def test_without_a_rule_any_host_is_answered(db):
    with TestClient(create_app(db, token=None, require_token=False)) as c:
        assert c.get("/api/health", headers={"Host": "anything.example"}).status_code == 200


# -- cross-site writes -------------------------------------------------------------------------

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("headers,parameter", [
    ({"Origin": "http://evil.example"}, "Origin"),
    ({"Origin": "http://127.0.0.1:9999"}, "Origin"),          # another port is another origin
    ({"Origin": "https://127.0.0.1:8000"}, "Origin"),          # and another scheme's default port
    ({"Origin": "null"}, "Origin"),                             # sandboxed frames, file: pages
    ({"Sec-Fetch-Site": "cross-site"}, "Sec-Fetch-Site"),
    ({"Sec-Fetch-Site": "same-site"}, "Sec-Fetch-Site"),        # a sibling subdomain
    ({"Sec-Fetch-Site": "cross-site", "Origin": "http://127.0.0.1:8000"}, "Sec-Fetch-Site"),
])
def test_cross_site_writes_are_refused(loopback, headers, parameter):
    for path in ("/api/link", "/api/articles", "/api/extract", "/api/incidents/1/review"):
        r = loopback.post(path, json={}, headers={**headers, "X-Sitrep-Reviewer": "ana"})
        assert "cross-site write refused" in _error(r, 403, parameter)


def test_a_form_post_from_another_page_is_refused(loopback):
    """What a <form method=post action=http://127.0.0.1:8000/api/link> on any page sends."""
    r = loopback.post("/api/link", content=b"x=1", headers={**FORM, "Origin": "http://evil.example",
                                                            "Sec-Fetch-Site": "cross-site"})
    _error(r, 403, "Sec-Fetch-Site")
    # an old browser that sends neither header still cannot send JSON from a form
    for media in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"):
        r = loopback.post("/api/link", content=b"x=1", headers={"Content-Type": media})
        assert "JSON" in _error(r, 415, "Content-Type")
    r = loopback.post("/api/articles", content=b'{"text": "x", "published": "2024-01-01"}',
                      headers={"Content-Type": "text/plain"})
    _error(r, 415, "Content-Type")


def test_same_origin_and_tool_writes_go_through(loopback):
    page = {"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}
    assert loopback.post("/api/link", json={}, headers=page).status_code == 200
    assert loopback.post("/api/link", headers={"Sec-Fetch-Site": "none"}).status_code == 200   # typed in
    assert loopback.post("/api/link").status_code == 200   # curl -X POST: no body, no Origin
    r = loopback.post("/api/link", json={}, headers={"Host": "localhost:8000", "Origin": "http://localhost:8000"})
    assert r.status_code == 200
    # reads are not writes: a cross-site GET is answered (the page's CSP and no CORS keep it unread)
    assert loopback.get("/api/health", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200
