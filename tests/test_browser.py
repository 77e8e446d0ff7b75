"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright.

The server runs as a user starts it (`sitrep serve` in a subprocess on a free loopback port)
over a database of the bundled samples, the demo's reports of the same acts by other
outlets (demo/), and one hostile article whose text carries script
tags and event-handler attributes. The tests check what an analyst sees: markers on the map,
a filter changing the list, a brushed timeline range, an incident's claims with their
evidence highlighted, the outlets table, the paste-an-article flow, the export links; that
no script of an article ever runs; and save the screenshots the README shows.

Chromium comes from Debian (`.ci/chromium.sh`); Playwright's own browser download does not
work here. Without /usr/bin/chromium the tests skip, unless SITREP_REQUIRE_BROWSER=1 (set by
`.ci/run`), where they fail.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
# As root in a container: no sandbox; the rest keeps Chromium off this machine's closed network.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

# Written for this test: an article whose text tries every way of running a script.
HOSTILE_TEXT = (
    "DARAA, Syria, March 3, 2018 — <script>window.__pwned = 'script';</script> Shelling killed "
    "seven civilians, including two children, in the town of Nawa in Daraa province on Saturday, "
    "the Syrian Observatory for Human Rights said. <img src=x onerror=\"window.__pwned='img'\"> "
    "Local medics said twelve people were wounded. <svg onload=\"window.__pwned='svg'\"></svg> "
    "\"><iframe src=\"javascript:window.__pwned='iframe'\"></iframe> The monitor blamed "
    "government forces for the shelling. <a href=\"javascript:window.__pwned='link'\">more</a>")
HOSTILE_TITLE = "Nawa shelling <script>window.__pwned='title'</script>"

# Written for this test: one more outlet's report of an act the samples hold (El Fasher).
CHECK_TEXT = (
    "EL FASHER, Sudan, January 25, 2025 — A drone struck the emergency ward of the Saudi "
    "Teaching Hospital in El Fasher on Friday, killing 68 people, most of them patients, the "
    "World Health Organization said. Hospital staff said 21 people were wounded in the attack "
    "on the city in North Darfur state.")


def _require_browser():
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("SITREP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"no Chromium at {CHROMIUM} (install Debian's chromium: bash .ci/chromium.sh)")
    pytest.skip(f"no Chromium at {CHROMIUM} (bash .ci/chromium.sh installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sitrep(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    exe = shutil.which("sitrep", path=os.path.dirname(sys.executable)) or "sitrep"
    proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=600)
    if check and proc.returncode not in (0, 1):
        raise AssertionError(f"sitrep {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc


class Server:
    def __init__(self, db: Path, port: int):
        exe = shutil.which("sitrep", path=os.path.dirname(sys.executable)) or "sitrep"
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([exe, "serve", "--db", str(db), "--port", str(port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 300   # a 100k-incident index is built at start
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"sitrep serve exited {self.proc.returncode}: {self.proc.stdout.read()}")
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("sitrep serve did not answer within 300 s")

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    d = tmp_path_factory.mktemp("browser")
    (d / "hostile.json").write_text(json.dumps({
        "id": "hostile-1", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT,
        "published": "2018-03-04", "outlet": "<b onmouseover=\"window.__pwned='outlet'\">Evil</b>"}))
    db = d / "sitrep.db"
    _sitrep("ingest", str(ROOT / "samples"), str(ROOT / "demo"), str(d / "hostile.json"), "--db", str(db))
    _sitrep("link", "--db", str(db))
    srv = Server(db, _free_port())
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.errors = []      # uncaught page errors and console errors, checked by each test
    pg.dialogs = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()
    pg.on("dialog", on_dialog)
    yield pg
    ctx.close()


def _ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)


def _pwned(page) -> object:
    return page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_map_shows_a_marker_for_every_located_incident(server, page):
    _ready(page, server.url + "/")
    located = len(server.get("/api/points")["rows"])
    assert located > 0
    assert page.get_attribute("#map", "data-basemap") == "loaded"
    assert int(page.get_attribute("#map", "data-markers")) == located
    assert page.locator("#map canvas").count() >= 1
    total = server.get("/api/incidents?limit=1")["total"]
    assert page.inner_text("#list-total").strip().startswith(str(total))
    assert page.locator("#incident-list tr[data-id]").count() == min(total, 50)
    _shot(page, "overview.png")
    assert page.errors == []


def test_a_filter_changes_the_list_and_the_map(server, page):
    _ready(page, server.url + "/")
    before = page.locator("#incident-list tr[data-id]").count()
    expected = server.get("/api/incidents?place=Aleppo&limit=500")
    assert 0 < expected["total"] < before
    page.fill("#filter-place", "Aleppo")
    page.click("#filter-apply")
    page.wait_for_function(
        "n => document.querySelectorAll('#incident-list tr[data-id]').length === n", arg=expected["total"])
    shown = {int(x) for x in page.eval_on_selector_all("#incident-list tr[data-id]",
                                                       "rows => rows.map(r => r.dataset.id)")}
    assert shown == {item["id"] for item in expected["items"]}
    located = len(server.get("/api/points?place=Aleppo")["rows"])
    page.wait_for_function("n => document.querySelector('#map').dataset.markers === String(n)", arg=located)
    # The export links carry the filter.
    for fmt in ("acled", "ucdp", "geojson"):
        href = page.get_attribute(f"a.export[data-format='{fmt}']", "href")
        assert "place=Aleppo" in href and f"format={fmt}" in href
        with urllib.request.urlopen(server.url + href if href.startswith("/") else href) as r:
            assert r.status == 200 and r.read()
    page.click("#filter-reset")
    page.wait_for_function(
        "n => document.querySelectorAll('#incident-list tr[data-id]').length === n", arg=before)
    assert page.errors == []


def test_the_event_type_and_disputed_filters(server, page):
    _ready(page, server.url + "/")
    expected = server.get("/api/incidents?disputed=true&limit=500")["total"]
    page.check("#filter-disputed")
    page.click("#filter-apply")
    page.wait_for_function(
        "n => document.querySelector('#list-total').textContent.trim().startsWith(String(n))", arg=expected)
    page.uncheck("#filter-disputed")
    options = page.eval_on_selector_all("#filter-event option", "os => os.map(o => o.value)")
    event = next(o for o in options if o)
    expected = server.get(f"/api/incidents?event_type={event}&limit=500")["total"]
    page.select_option("#filter-event", event)
    page.click("#filter-apply")
    page.wait_for_function(
        "n => document.querySelector('#list-total').textContent.trim().startsWith(String(n))", arg=expected)
    assert page.errors == []


def test_the_acled_sub_event_type_filter_and_legend(server, page):
    _ready(page, server.url + "/")
    groups = page.eval_on_selector_all("#filter-sub-event optgroup", "gs => gs.map(g => g.label)")
    assert groups and set(groups) <= {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                      "Protests", "Riots", "Strategic developments"}
    options = page.eval_on_selector_all("#filter-sub-event option", "os => os.map(o => o.value)")
    sub = next(o for o in options if o)
    expected = server.get(f"/api/incidents?sub_event_type={urllib.parse.quote(sub)}&limit=500")["total"]
    assert expected > 0
    page.select_option("#filter-sub-event", sub)
    page.click("#filter-apply")
    page.wait_for_function(
        "n => document.querySelector('#list-total').textContent.trim().startsWith(String(n))", arg=expected)
    # the legend's colours and labels come from the typology the server writes
    labels = page.evaluate("() => window.SITREP_EVENT_TYPES.types.map(t => t.label)")
    assert "Air strike" in labels and len(labels) == 10
    assert page.errors == []


def test_brushing_the_timeline_filters_map_and_list(server, page):
    _ready(page, server.url + "/")
    all_markers = int(page.get_attribute("#map", "data-markers"))
    box = page.locator("#timeline canvas").first.bounding_box() if page.locator("#timeline canvas").count() \
        else page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    # A range over the right third of the timeline: the most recent incidents only.
    page.mouse.move(box["x"] + box["width"] * 0.66, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=5)
    page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('#timeline').dataset.range")
    since, until = page.get_attribute("#timeline", "data-range").split("..")
    expected = server.get(f"/api/incidents?since={since}&until={until}&limit=500")
    page.wait_for_function(
        "n => document.querySelector('#list-total').textContent.trim().startsWith(String(n))",
        arg=expected["total"])
    markers = int(page.get_attribute("#map", "data-markers"))
    assert markers < all_markers
    assert markers == len(server.get(f"/api/points?since={since}&until={until}")["rows"])
    assert page.errors == []


def _incident_with_most_claims(server) -> dict:
    items = server.get("/api/incidents?limit=500&sort=id")["items"]
    return max(items, key=lambda i: (i["number_of_sources"], i["n_reports"], -i["id"]))


def test_an_incident_view_shows_claims_side_by_side_and_highlights(server, page):
    summary = _incident_with_most_claims(server)
    assert summary["number_of_sources"] >= 2 and summary["n_reports"] >= 2   # the demo's other outlets
    detail = server.get(f"/api/incidents/{summary['id']}")
    _ready(page, server.url + "/")
    row = page.locator(f"#incident-list tr[data-id='{summary['id']}']")
    if row.count():
        row.click()
    else:
        page.goto(f"{server.url}/#/incident/{summary['id']}")
    page.wait_for_selector("#incident #claims")
    claims_text = page.inner_text("#claims")
    for c in detail["reconciled"]["claims"]:
        assert c["source"] in claims_text
    assert page.locator(".article").count() == len(detail["articles"]) >= 2
    spans = [a["text"][h["start"]:h["end"]] for a in detail["articles"] for h in a["highlights"]]
    assert spans
    marks = page.eval_on_selector_all("mark.evidence", "ms => ms.map(m => m.textContent)")
    assert marks
    # Each highlight is a piece of an evidence span (overlapping spans are cut where they meet).
    assert all(any(m in s for s in spans) for m in marks)
    assert page.inner_text("#reconciled").strip()
    _shot(page, "incident.png")
    assert page.errors == []


def test_hostile_article_text_never_runs(server, page):
    found = [i for i in server.get("/api/incidents?place=Daraa&limit=50")["items"]]
    assert found, "the hostile article's incident was not extracted"
    _ready(page, server.url + "/")
    page.goto(f"{server.url}/#/incident/{found[0]['id']}")
    page.wait_for_selector("#incident .article mark.evidence")
    text = page.inner_text("#incident")
    assert "<script>" in text and "onerror" in text   # shown as text, not parsed
    assert page.locator("#incident script, #incident img, #incident svg, #incident iframe").count() == 0
    page.hover("#incident .article")
    page.goto(server.url + "/#/outlets")
    page.wait_for_selector("#outlets tr[data-outlet]")
    assert "<b onmouseover" in page.inner_text("#outlets")
    page.hover("#outlets")
    page.goto(server.url + "/#/check")
    page.wait_for_selector("#check-text")
    page.fill("#check-text", HOSTILE_TEXT)
    page.fill("#check-date", "2018-03-04")
    page.click("#check-submit")
    page.wait_for_selector("#check-result mark.evidence")
    page.wait_for_timeout(300)
    assert _pwned(page) is None
    assert page.dialogs == []
    assert page.errors == []


def test_outlets_view(server, page):
    outlets = server.get("/api/outlets")["items"]
    _ready(page, server.url + "/")
    page.goto(server.url + "/#/outlets")
    page.wait_for_selector("#outlets tr[data-outlet]")
    assert page.locator("#outlets tr[data-outlet]").count() == len(outlets)
    few = [o for o in outlets if o["figures"] and o["few_figures"]]
    assert page.locator("#outlets .few-figures").count() == len(few) > 0  # 1 of 1 is marked, not a 100% record
    _shot(page, "outlets.png")
    name = outlets[0]["outlet"]
    page.click(f"#outlets tr[data-outlet] >> nth=0")
    page.wait_for_selector("#outlet")
    assert name in page.inner_text("#outlet")
    assert page.errors == []


def test_check_an_article(server, page):
    _ready(page, server.url + "/")
    page.goto(server.url + "/#/check")
    page.wait_for_selector("#check-text")
    page.fill("#check-text", CHECK_TEXT)
    page.fill("#check-date", "2025-01-25")
    page.click("#check-submit")
    page.wait_for_selector("#check-result mark.evidence")
    marks = page.eval_on_selector_all("#check-result mark.evidence", "ms => ms.map(m => m.textContent)")
    assert all(m and m in CHECK_TEXT for m in marks)
    result = page.inner_text("#check-result")
    assert "68" in result and "El Fasher" in result
    # It fits the stored report of the same strike.
    fasher = server.get("/api/incidents?place=El%20Fasher&since=2025-01-24&until=2025-01-24")["items"]
    assert fasher
    page.wait_for_selector("#check-result .fit li.candidate")
    links = page.eval_on_selector_all("#check-result .fit li.candidate a", "as => as.map(a => a.getAttribute('href'))")
    assert any(f"#/incident/{i['id']}" in links for i in fasher)
    _shot(page, "check.png")
    assert page.errors == []


@pytest.mark.slow
def test_page_load_with_100k_incidents(browser, tmp_path_factory):
    """The bar: the first view is ready in under 2 s with 100,000 incidents in the database.

    Measured, not asserted (this machine is shared and noisy): the Performance API's time from
    navigation start to the page's ``sitrep-ready`` mark, best and median of 5 cold loads,
    written to benchmarks/results/page-load.json.
    """
    _require_browser()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_db
    d = tmp_path_factory.mktemp("page-load")
    db = d / "synthetic.db"
    made = make_db(f"sqlite:///{db}", 100_000, seed=1)
    srv = Server(db, _free_port())
    try:
        total = srv.get("/api/incidents?limit=1")["total"]
        assert total >= 100_000
        loads = []
        for _ in range(5):
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            pg = ctx.new_page()
            pg.goto(srv.url + "/")
            pg.wait_for_selector("body[data-ready='1']", timeout=60_000)
            m = pg.evaluate("""() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const ready = performance.getEntriesByName('sitrep-ready')[0];
                return {ready_ms: ready.startTime, dom_content_loaded_ms: nav.domContentLoadedEventEnd,
                        load_ms: nav.loadEventEnd,
                        markers: Number(document.querySelector('#map').dataset.markers)};
            }""")
            loads.append(m)
            if not (SCREENSHOTS / "overview-100k.png").exists() or len(loads) == 5:
                _shot(pg, "overview-100k.png")
            ctx.close()
        ready = sorted(x["ready_ms"] for x in loads)
        result = {"incidents": total, "loads": loads, "ready_ms_best": round(ready[0], 1),
                  "ready_ms_median": round(ready[len(ready) // 2], 1), "target_ms": 2000,
                  "markers": loads[-1]["markers"], "synthetic": made,
                  "how": "tests/test_browser.py::test_page_load_with_100k_incidents (headless Chromium, "
                         "navigation start to performance.mark('sitrep-ready'), 5 cold loads)"}
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "page-load.json").write_text(json.dumps(result, indent=2) + "\n")
        assert all(x["markers"] > 0 for x in loads)
    finally:
        srv.stop()
