"""Review on the page, in a real browser (Debian's Chromium, headless, through Playwright):
correct a place by a click on the map, split an incident and merge it back, confirm five
incidents from the queue by keyboard; the exports change accordingly and a reload shows the
history; hostile text in corrections and notes is shown as text and never runs.

The database is written by hand (tests/reviewfix.py and eight more acts), so the server
starts in a second; it runs as a user starts it (`sitrep serve` in a subprocess)."""
from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request

import pytest

from reviewfix import fill
from sitrep import review
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Span
from sitrep.store import open_store
from test_browser import Server, _free_port, _pwned, _ready, _require_browser, _shot, browser, page  # noqa: F401

HOSTILE = "<img src=x onerror=\"window.__pwned='note'\"><script>window.__pwned='script'</script>"
TOWNS = [("Saraqib", 35.86, 36.8), ("Maarat al-Numan", 35.64, 36.67), ("Ariha", 35.81, 36.61),
         ("Khan Shaykhun", 35.44, 36.65), ("Kafr Nabl", 35.61, 36.56), ("Binnish", 35.95, 36.71),
         ("Taftanaz", 35.99, 36.78), ("Sarmin", 35.9, 36.73)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    db = tmp_path_factory.mktemp("review-browser") / "review.db"
    with open_store(str(db)) as st:
        for k, (town, lat, lon) in enumerate(TOWNS):
            text = f"A mortar round hit {town} on Sunday and killed {k + 2} people, residents said."
            inc = Incident("shelling", f"2019-04-{k + 1:02d}", None, "day", Location(town, "Idlib", "SY", lat, lon),
                           ["unknown"], claims=[Claim("residents", killed={"total": Count(best=k + 2)},
                                                      evidence=[Span(0, len(text), text)])])
            st.add(Article(f"t{k}", text, title=f"Mortar fire on {town}", published="2019-04-20", outlet="Idlib Daily"),
                   ArticleRecord(f"t{k}", "2019-04-20", [inc]), "1.0")
        fill(st)   # Kafr Batna (two reports, linked) and Jisr al-Shughur; links saved last
    srv = Server(db, _free_port())
    srv.db = str(db)
    yield srv
    srv.stop()


def _id_of(server, place) -> int:
    items = server.get("/api/incidents?limit=500&place=" + urllib.request.quote(place))["items"]
    return next(i["id"] for i in items if i["place"] == place)


def _open(page, server, iid) -> None:
    _ready(page, f"{server.url}/#/incident/{iid}")
    page.wait_for_selector("#review")
    page.fill("#reviewer-name", "ana")


def _export(server, fmt: str, **params) -> str:
    q = urllib.parse.urlencode({"format": fmt, **params}, doseq=True)
    with urllib.request.urlopen(f"{server.url}/api/export?{q}", timeout=30) as r:
        return r.read().decode()


def test_correct_a_place_on_the_map(server, page):
    iid = _id_of(server, "Jisr al-Shughur")
    _open(page, server, iid)
    before = page.get_attribute("#place-map", "data-point")
    page.click("#place-map", position={"x": 270, "y": 60})
    lat, lon = float(page.input_value("input[name=lat]")), float(page.input_value("input[name=lon]"))
    assert f"{lat},{lon}" == page.get_attribute("#place-map", "data-point") != before
    assert lat > 35.81 and lon > 36.32           # up and to the right of the old point
    page.fill("input[name=name]", "Jisr al-Shughur (west)")
    page.click("#place-save")
    page.wait_for_function("() => (document.querySelector('#review-status') || {}).textContent === 'corrected'")
    feature = next(f for f in json.loads(_export(server, "geojson"))["features"]
                   if f["properties"].get("place", "").startswith("Jisr"))
    assert feature["geometry"]["coordinates"] == [lon, lat]
    page.reload()
    page.wait_for_selector("#history li")
    assert "Jisr al-Shughur (west)" in page.inner_text("#history")
    assert "ana" in page.inner_text("#history") and page.inner_text("h1").startswith("Shelling in Jisr al-Shughur (west)")
    page.locator("#review").scroll_into_view_if_needed()
    _shot(page, "review.png")
    assert not page.errors


def test_split_an_incident_and_merge_it_back(server, page):
    total = server.get("/api/incidents")["total"]
    iid = _id_of(server, "Kafr Batna")
    _open(page, server, iid)
    page.check("#split input[name=member] >> nth=1")
    page.fill("#review-note", "two strikes an hour apart")
    page.click("#split button[type=submit]")
    page.wait_for_function("() => (document.querySelector('#review-status') || {}).textContent === 'corrected'")
    assert server.get("/api/incidents")["total"] == total + 1
    assert len(_export(server, "jsonl", place="Kafr Batna").splitlines()) == 2
    parts = [i["id"] for i in server.get("/api/incidents?place=Kafr%20Batna")["items"]]
    here = int(page.evaluate("() => location.hash.split('/').pop()"))
    other = next(p for p in parts if p != here)
    page.fill("#merge input[name=other]", str(other))
    page.click("#merge button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#history li[data-action=merge]').length === 1")
    assert server.get("/api/incidents")["total"] == total
    merged = [json.loads(line) for line in _export(server, "jsonl", place="Kafr Batna").splitlines()]
    assert len(merged) == 1 and len(merged[0]["members"]) == 2
    page.reload()
    page.wait_for_selector("#history li")
    assert [li.get_attribute("data-action") for li in page.query_selector_all("#history li")] == ["split", "merge"]
    assert "two strikes an hour apart" in page.inner_text("#history")
    assert not page.errors


def test_confirm_five_incidents_from_the_queue_by_keyboard(server, page):
    reviewed_before = server.get("/api/incidents?review_status=reviewed")["total"]
    _ready(page, f"{server.url}/#/review")
    page.wait_for_selector("#queue[data-id]")
    page.fill("#reviewer-name", "ben")
    page.click("h1")   # the keys go to the page, not the name field
    remaining = int(page.get_attribute("#queue", "data-remaining"))
    assert remaining >= 6
    confirmed = []
    for _ in range(5):
        current = page.get_attribute("#queue", "data-id")
        confirmed.append(int(current))
        page.keyboard.press("c")
        page.wait_for_function(f"() => document.querySelector('#queue').dataset.id !== '{current}'")
    assert int(page.get_attribute("#queue", "data-remaining")) == remaining - 5
    reviewed = server.get("/api/incidents?review_status=reviewed&limit=500")["items"]
    assert len(reviewed) == reviewed_before + 5 and set(confirmed) <= {i["id"] for i in reviewed}
    exported = [json.loads(line) for line in _export(server, "jsonl", review_status="reviewed").splitlines()]
    assert {r["id"] for r in exported} >= set(confirmed)
    assert all(r["review"]["history"][-1]["author"] == "ben" for r in exported if r["id"] in confirmed)
    # n skips, o opens the evidence
    current = page.get_attribute("#queue", "data-id")
    page.keyboard.press("n")
    page.wait_for_function(f"() => document.querySelector('#queue').dataset.id !== '{current}'")
    page.keyboard.press("o")
    page.wait_for_selector("#review")
    assert not page.errors


def test_correct_types_date_and_a_claim_on_the_page(server, page):
    iid = _id_of(server, "Ariha")
    _open(page, server, iid)

    def save(form, n):   # the n-th change made here (the queue may have confirmed it before)
        page.click(f"#{form} button[type=submit]")
        page.wait_for_function(f"() => document.querySelectorAll('#history li[data-action=set]').length === {n}")

    page.select_option("#fix-event select", "explosion")
    save("fix-event", 1)
    page.wait_for_function("() => document.querySelectorAll('#fix-acled option').length > 20")
    page.select_option("#fix-acled select", "Remote explosive/landmine/IED")
    save("fix-acled", 2)
    page.fill("#fix-date input[name=date]", "2019-04-02")
    save("fix-date", 3)
    page.fill("#fix-claim input[name=claimed_by]", "Ariha civil defence")
    page.fill("#fix-claim input[name=killed]", "9")
    save("fix-claim", 4)
    incident = server.get(f"/api/incidents/{iid}")
    assert incident["incident"]["event_type"] == "explosion" and incident["incident"]["date"] == "2019-04-02"
    assert incident["incident"]["killed"] == 9 and incident["reconciled"]["claims"][0]["source"] == "Ariha civil defence"
    assert incident["incident"]["corrected"] == ["acled", "claims", "date", "event_type"]
    row = next(r for r in csv.DictReader(io.StringIO(_export(server, "acled", place="Ariha"))))
    assert (row["event_type"], row["sub_event_type"], row["event_date"]) == \
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", "2019-04-02")
    page.check("#fix-claim input[name=wrong]")
    page.fill("#fix-claim input[name=killed]", "")
    page.fill("#fix-claim input[name=claimed_by]", "")
    save("fix-claim", 5)
    assert page.inner_text("#claims").count("marked wrong") == 1
    assert server.get(f"/api/incidents/{iid}")["incident"]["killed"] is None
    assert not page.errors


def test_the_list_filters_by_review_status(server, page):
    _ready(page, server.url + "/")
    for status in ("reviewed", "corrected", "unreviewed"):
        expected = server.get(f"/api/incidents?review_status={status}&limit=500")
        assert expected["total"] > 0, status   # the tests above reviewed and corrected some
        page.select_option("#filter-review", status)
        page.click("#filter-apply")
        page.wait_for_function("n => document.querySelector('#list-total').textContent.trim() === String(n)",
                               arg=expected["total"])
        rows = page.query_selector_all("#incident-list tbody tr")
        assert len(rows) == expected["total"]
        badges = page.query_selector_all(f"#incident-list tbody .badge.review-{status}")
        assert len(badges) == (0 if status == "unreviewed" else expected["total"])
    assert "review_status=unreviewed" in page.get_attribute("a.export[data-format=jsonl]", "href")
    assert not page.errors


def test_hostile_text_in_corrections_and_notes_is_shown_escaped(server, page):
    iid = _id_of(server, "Saraqib")
    _open(page, server, iid)
    page.fill("#review-note", HOSTILE)
    page.click("#review-add-note")
    page.wait_for_selector("#history li .note")
    page.fill("#fix-perpetrator input[name=value]", "<b onmouseover=\"window.__pwned='perp'\">Evil</b>")
    page.click("#fix-perpetrator button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#history li[data-action=set]').length === 1")
    page.reload()
    page.wait_for_selector("#history li .note")
    page.hover("#history")
    assert HOSTILE in page.inner_text("#history li .note")
    assert "<b onmouseover" in page.inner_text("#history") and "<b onmouseover" in page.inner_text(".facts")
    assert page.query_selector("#history img, #history script, #history b[onmouseover], .facts b[onmouseover]") is None
    assert _pwned(page) is None
    assert not page.errors


def test_a_correction_whose_incident_is_gone_is_listed_in_the_queue(server, page):
    with open_store(server.db) as st:   # as `sitrep corrections import` of another database's work
        st.add_corrections([review.correction("set", ["e" * 64 + ":0"], author="zo", field="event_type",
                                               new="abduction", note=HOSTILE)])
    _ready(page, f"{server.url}/#/review")
    page.wait_for_selector("#orphans li")
    text = page.inner_text("#orphans")
    assert "1 correction whose incident is gone" in text and "event_type: abduction" in text and HOSTILE in text
    assert page.query_selector("#orphans img, #orphans script") is None and _pwned(page) is None
    assert not page.errors
