"""Review through the HTTP API: corrections, review, merge and split, each validated with a
clear 4xx, behind the write token, naming its reviewer; two reviewers at once are both kept,
in order, and the later wins."""
import json
import threading

import pytest
from fastapi.testclient import TestClient

from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from reviewfix import fill
from sitrep.serve import create_app
from sitrep.store import open_store

ANA = {"X-Sitrep-Reviewer": "ana"}


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "review.db")
    with open_store(path) as st:
        fill(st)
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db, token=None, require_token=False)) as c:
        yield c


def _ids(client, **params):
    items = client.get("/api/incidents", params={"sort": "id", **params}).json()["items"]
    return {i["place"]: i["id"] for i in items}


def test_a_correction_is_applied_and_listed_with_its_history(client):
    sid = _ids(client)["Kafr Batna"]
    r = client.post(f"/api/incidents/{sid}/corrections", headers=ANA,
                    json={"field": "location", "value": {"name": "Kafr Batna", "country": "SY", "lat": 33.6, "lon": 36.4},
                          "note": "map click"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["reconciled"]["location"]["lat"] == 33.6
    history = body["reconciled"]["review"]["history"]
    assert history[0]["author"] == "ana" and history[0]["old"]["lat"] == 33.51 and history[0]["note"] == "map click"
    assert body["incident"]["review_status"] == "corrected" and body["incident"]["corrected"] == ["location"]
    r = client.post(f"/api/incidents/{sid}/corrections", headers=ANA,
                    json={"field": "claim", "value": {"claim": 1, "killed": {"total": 14}, "claimed_by": "Civil Defence"}})
    assert r.status_code == 201, r.text
    claims = r.json()["reconciled"]["claims"]
    assert claims[1]["source"] == "Civil Defence" and claims[1]["killed"]["total"]["best"] == 14
    r = client.post(f"/api/incidents/{sid}/corrections", headers=ANA, json={"field": "claim", "value": {"claim": 0, "wrong": True}})
    assert r.json()["reconciled"]["review"]["wrong_claims"] == [0]
    assert r.json()["reconciled"]["killed"]["total"]["best"] == 14
    assert _ids(client, review_status="corrected") == {"Kafr Batna": sid}
    assert set(_ids(client, review_status="unreviewed")) == {"Jisr al-Shughur"}
    # the exports read the reviewed values
    lines = client.get("/api/export", params={"format": "jsonl", "review_status": "corrected"}).text.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["location"]["lat"] == 33.6


def test_review_note_merge_and_split(client):
    ids = _ids(client)
    sid, other = ids["Kafr Batna"], ids["Jisr al-Shughur"]
    r = client.post(f"/api/incidents/{other}/review", headers=ANA, json={"note": "checked against the video"})
    assert r.status_code == 201 and r.json()["incident"]["review_status"] == "reviewed"
    r = client.post(f"/api/incidents/{other}/corrections", headers=ANA, json={"note": "<b>second look</b>"})
    assert r.json()["reconciled"]["review"]["history"][-1]["note"] == "<b>second look</b>"
    assert r.json()["incident"]["review_status"] == "reviewed"   # a note changes nothing
    members = client.get(f"/api/incidents/{sid}").json()["reconciled"]["members"]
    r = client.post(f"/api/incidents/{sid}/split", headers=ANA, json={"members": [members[1]]})
    assert r.status_code == 201, r.text
    assert r.json()["reconciled"]["members"] == [members[0]]
    assert client.get("/api/incidents").json()["total"] == 3
    parts = [i["id"] for i in client.get("/api/incidents", params={"place": "Kafr Batna"}).json()["items"]]
    r = client.post(f"/api/incidents/{parts[0]}/merge", headers=ANA, json={"other": parts[1]})
    assert r.status_code == 201, r.text
    assert sorted(r.json()["reconciled"]["members"]) == sorted(members)
    assert [h["action"] for h in r.json()["reconciled"]["review"]["history"]] == ["split", "merge"]
    assert client.get("/api/incidents").json()["total"] == 2
    listed = client.get("/api/corrections").json()
    assert listed["total"] == 4 and not any(c["orphaned"] for c in listed["items"])


@pytest.mark.parametrize("path,body,headers,status,message", [
    ("corrections", {"field": "event_type", "value": "bombing"}, ANA, 422, "unknown event type"),
    ("corrections", {"field": "colour", "value": "red"}, ANA, 422, "unknown field"),
    ("corrections", {"field": "date", "value": "yesterday"}, ANA, 422, "not a date"),
    ("corrections", {"field": "claim", "value": {"claim": 9, "wrong": True}}, ANA, 422, "value.claim"),
    ("corrections", {"value": "x"}, ANA, 422, "field: required"),
    ("corrections", {"note": ""}, ANA, 422, "note: required"),
    ("corrections", {"field": "event_type", "value": "shelling", "colour": 1}, ANA, 422, "colour"),
    ("corrections", {"field": "event_type", "value": "shelling"}, {}, 422, "X-Sitrep-Reviewer"),
    ("merge", {"other": 999999}, ANA, 422, "no incident 999999"),
    ("split", {"members": []}, ANA, 422, "not none and not all"),
    ("split", {"members": [424242]}, ANA, 422, "not a member"),
    ("review", "not json", ANA, 422, ""),
])
def test_bad_requests_are_refused_clearly(client, path, body, headers, status, message):
    sid = _ids(client)["Kafr Batna"]
    kw = {"content": body, "headers": {**headers, "Content-Type": "application/json"}} if isinstance(body, str) \
        else {"json": body, "headers": headers}
    r = client.post(f"/api/incidents/{sid}/{path}", **kw)
    assert r.status_code == status, r.text
    assert message in r.json()["error"]["message"] or message in json.dumps(r.json())
    assert client.get("/api/corrections").json()["total"] == 0


def test_an_unknown_incident_is_404(client):
    assert client.post("/api/incidents/999999/review", headers=ANA, json={}).status_code == 404


def test_writes_beyond_loopback_need_a_token_and_a_reviewer_token_names_its_reviewer(db):
    app = create_app(db, token="shared-token-1", require_token=True, reviewers={"ben-token-123": "Ben"})
    with TestClient(app) as c:
        sid = _ids(c)["Kafr Batna"]
        assert c.post(f"/api/incidents/{sid}/review", headers=ANA, json={}).status_code == 401
        assert c.post(f"/api/incidents/{sid}/review", json={},
                      headers={**ANA, "Authorization": "Bearer wrong"}).status_code == 401
        r = c.post(f"/api/incidents/{sid}/review", json={}, headers={"Authorization": "Bearer ben-token-123"})
        assert r.status_code == 201 and r.json()["corrections"][0]["author"] == "Ben"
        r = c.post(f"/api/incidents/{sid}/review", json={},
                   headers={"Authorization": "Bearer shared-token-1", "X-Sitrep-Reviewer": "Zo%C3%AB"})
        assert r.status_code == 201 and r.json()["corrections"][0]["author"] == "Zoë"


@pytest.fixture
def any_client(store_url):
    """As ``client``, on SQLite and on PostgreSQL."""
    with open_store(store_url) as st:
        fill(st)
    with TestClient(create_app(store_url, token=None, require_token=False)) as c:
        yield c


def test_two_reviewers_at_once_are_both_kept_in_order_and_the_later_wins(any_client):
    client = any_client
    sid = _ids(client)["Kafr Batna"]
    start = threading.Barrier(2)
    answers: dict[str, list[int]] = {"ana": [], "ben": []}

    def reviewer(name, event_type):
        start.wait()
        for k in range(4):
            r = client.post(f"/api/incidents/{sid}/corrections", headers={"X-Sitrep-Reviewer": name},
                            json={"field": "event_type", "value": event_type, "note": f"{name} {k}"})
            answers[name].append(r.status_code)

    threads = [threading.Thread(target=reviewer, args=("ana", "shelling")),
               threading.Thread(target=reviewer, args=("ben", "explosion"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == {"ana": [201] * 4, "ben": [201] * 4}
    stored = client.get("/api/corrections").json()["items"]
    assert len(stored) == 8 and [c["seq"] for c in stored] == sorted(c["seq"] for c in stored)
    for name in ("ana", "ben"):   # each reviewer's own corrections in the order they were sent
        assert [c["note"] for c in stored if c["author"] == name] == [f"{name} {k}" for k in range(4)]
    incident = client.get(f"/api/incidents/{sid}").json()
    assert incident["incident"]["event_type"] == stored[-1]["new"]   # the later wins
    assert [h["uid"] for h in incident["reconciled"]["review"]["history"]] == [c["uid"] for c in stored]


def test_the_place_search_and_the_review_options(client):
    found = client.get("/api/places", params={"q": "Aleppo"}).json()["items"]
    assert found and found[0]["country"] == "SY" and isinstance(found[0]["lat"], float)
    assert client.get("/api/places", params={"q": "Qwzxvbnm"}).json()["items"] == []
    assert client.get("/api/places", params={"q": ""}).status_code == 422
    options = client.get("/api/review/options").json()
    assert "Russian forces" in options["actors"] and "Islamic State" in options["actors"]
    assert len(options["acled"]) == 25 and options["statuses"] == ["unreviewed", "reviewed", "corrected"]
    assert {"sub_event_type": "Suicide bomb", "acled_event_type": "Explosions/Remote violence",
            "disorder_type": "Political violence"} in options["acled"]


def test_a_confirmation_and_a_note_update_the_index_without_a_rebuild(client, monkeypatch):
    from sitrep import incident_index
    sid = _ids(client)["Kafr Batna"]

    def rebuilt(store):
        raise AssertionError("the index was rebuilt")
    monkeypatch.setattr(incident_index, "build", rebuilt)
    r = client.post(f"/api/incidents/{sid}/review", headers=ANA, json={"note": "as the video shows"})
    assert r.status_code == 201 and r.json()["incident"]["review_status"] == "reviewed"
    r = client.post(f"/api/incidents/{sid}/corrections", headers=ANA, json={"note": "one more"})
    assert [h["action"] for h in r.json()["reconciled"]["review"]["history"]] == ["review", "note"]
    assert _ids(client, review_status="reviewed") == {"Kafr Batna": sid}
