"""Latency of the HTTP API on a 100,000-incident database, through the real server.

    python benchmarks/api.py [--db PATH] [--incidents N] [--requests N] [--seed N] [--out DIR]

Builds a synthetic SQLite database of ``--incidents`` reconciled incidents with
``benchmarks/synthetic.make_db`` (or reuses ``--db PATH`` when that file exists), starts
``sitrep serve`` on it in a subprocess on a free loopback port (uvicorn, as a user runs it;
the incident index is brought up to date before it answers), and times requests from this
process with one keep-alive httpx client, one request at a time, as the page makes them
(``Accept-Encoding: gzip``):

- ``GET /api/incidents``: each request a different mix of the page's filters (date windows,
  a country, an admin1, a place by name, an actor alias or part of a name, event types,
  disputed, a minimum killed), sorts and pages (offsets up to 5,000);
- ``GET /api/incidents/{id}``: random ids (the incident with its articles and evidence);
- ``GET /api/points`` and ``/api/timeline`` (the map and the timeline) without a filter, as
  the page first loads them (the server caches these per index version), and with a random
  mix of filters as above (``?filters`` in the table: mostly answered from the database);
- ``GET /api/facets``;
- last, ``POST /api/articles``: ``--posts`` new articles (default 10), one at a time, each a
  synthetic report of one act (as ``benchmarks/synthetic.py`` writes them) with a reference of
  its own, so that each is "added"; the answer comes once the index lists its incidents.
  These are writes: the database keeps the articles (a reused ``--db`` grows by ``--posts``
  articles a run). Extraction is warmed up first with ``POST /api/extract`` (which writes
  nothing), so that loading the extractor is not counted.

Each GET endpoint gets ``--requests`` timed requests (default 300) after a warm-up of 20. Time
is the wall-clock time from sending a request to having read (and decompressed) its body.
Results: benchmarks/results/api.json and api.md (median, 95th percentile, mean, max, and the
mean size of the answers).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_P95_MS = 100.0      # lists and single incidents
WARMUP = 20
START_TIMEOUT_S = 1800     # a fresh 100k-incident index is built before the server answers
EVENT_TYPES = ("air_strike", "shelling", "armed_clash", "explosion", "suicide_bombing",
               "chemical_attack", "shooting_or_execution", "abduction", "territory_change", "other")
SORTS = ("-date", "-date", "-date", "date", "killed", "-killed", "id")
POST_NAME = "POST /api/articles, one new article"
POST_WARMUP = 3            # extractions (POST /api/extract) before the timed posts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0..100), linear between the closest ranks."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Server:
    """`sitrep serve` in a subprocess; its output goes to a log file."""

    def __init__(self, db: str, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        exe = shutil.which("sitrep", path=os.path.dirname(sys.executable))
        cmd = [exe] if exe else [sys.executable, "-m", "sitrep.cli"]
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([*cmd, "serve", "--db", db, "--port", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, client) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < START_TIMEOUT_S:
            if self.proc.poll() is not None:
                raise SystemExit(f"sitrep serve exited {self.proc.returncode}; see {self.log.name}")
            try:
                if client.get(self.url + "/api/health", timeout=5).status_code == 200:
                    return time.perf_counter() - t0
            except Exception:
                time.sleep(0.2)
        raise SystemExit(f"sitrep serve did not answer within {START_TIMEOUT_S} s")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def filter_mix(rng: random.Random, facets: dict) -> dict:
    """A random combination of the page's filters, drawn from what the database holds."""
    params: dict = {}
    lo, hi = facets["date_min"], facets["date_max"]
    import datetime as dt
    d0, d1 = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
    span = (d1 - d0).days
    choice = rng.random()
    if choice < 0.35:
        start = d0 + dt.timedelta(days=rng.randrange(max(1, span)))
        params["since"] = start.isoformat()
        params["until"] = (start + dt.timedelta(days=rng.choice((1, 7, 30, 90, 365)))).isoformat()
    elif choice < 0.45:
        params["since"] = (d0 + dt.timedelta(days=rng.randrange(max(1, span)))).isoformat()
    kind = rng.random()
    if kind < 0.2 and facets["countries"]:
        params["country"] = rng.choice(facets["countries"][:10])["code"]
    elif kind < 0.35 and facets["admin1"]:
        params["admin1"] = rng.choice(facets["admin1"][:30])["name"]
    elif kind < 0.55 and facets["admin1"]:
        # a place typed by hand: a province's name, lower-cased, or a country code
        params["place"] = rng.choice([rng.choice(facets["admin1"][:30])["name"].lower(),
                                      rng.choice(facets["countries"][:10])["code"]])
    if rng.random() < 0.25 and facets["actors"]:
        name = rng.choice(facets["actors"][:20])["name"]
        params["actor"] = name if rng.random() < 0.5 else name.split()[0][:5].lower()
    if rng.random() < 0.25:
        params["event_type"] = rng.sample(EVENT_TYPES, rng.choice((1, 1, 2)))
    if rng.random() < 0.15:
        params["disputed"] = "true"
    if rng.random() < 0.2:
        params["min_killed"] = rng.choice((1, 5, 10, 50))
    return params


def timed(client, url: str, params=None) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    r = client.get(url, params=params)
    body = r.content          # read and decompressed
    ms = (time.perf_counter() - t0) * 1000.0
    if r.status_code != 200:
        raise SystemExit(f"GET {r.url} answered {r.status_code}: {r.text[:300]}")
    return ms, len(body), int(r.headers.get("content-length") or len(body))


def run(url: str, client, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    facets = client.get(url + "/api/facets").json()
    total = facets["total"]
    ids = [row[0] for row in client.get(url + "/api/points").json()["rows"]]
    if not ids:
        raise SystemExit("the database has no incident with coordinates")

    def incidents_list():
        params = filter_mix(rng, facets)
        params["sort"] = rng.choice(SORTS)
        params["limit"] = rng.choice((50, 50, 50, 100))
        params["offset"] = rng.choice((0, 0, 0, 50, 100, 500, 1000, 5000))
        return url + "/api/incidents", params

    def one_incident():
        return url + f"/api/incidents/{rng.choice(ids)}", None

    def points():
        return url + "/api/points", None

    def points_filtered():
        return url + "/api/points", filter_mix(rng, facets)

    def timeline():
        return url + "/api/timeline", None

    def timeline_filtered():
        return url + "/api/timeline", filter_mix(rng, facets)

    def facets_req():
        return url + "/api/facets", None

    plans = {"GET /api/incidents": incidents_list, "GET /api/incidents/{id}": one_incident,
             "GET /api/points": points, "GET /api/points?filters": points_filtered,
             "GET /api/timeline": timeline, "GET /api/timeline?filters": timeline_filtered,
             "GET /api/facets": facets_req}
    results = {}
    for name, make in plans.items():
        for _ in range(WARMUP):
            timed(client, *make())
        times, sizes, wire = [], [], []
        for _ in range(n):
            ms, size, on_wire = timed(client, *make())
            times.append(ms)
            sizes.append(size)
            wire.append(on_wire)
        results[name] = {
            "requests": n, "median_ms": statistics.median(times), "p95_ms": percentile(times, 95),
            "mean_ms": statistics.fmean(times), "max_ms": max(times),
            "mean_bytes": statistics.fmean(sizes), "mean_bytes_on_wire": statistics.fmean(wire),
        }
        r = results[name]
        print(f"{name:30s} median {r['median_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
              f"max {r['max_ms']:7.1f} ms  {r['mean_bytes'] / 1024:8.1f} KiB", flush=True)
    results["_incidents"] = total
    return results


def new_articles(n: int, seed: int) -> list[dict]:
    """``n`` request bodies of POST /api/articles: synthetic reports, one act each, written as
    ``synthetic.make_db`` writes its articles, each text closed by a reference of its own
    (new on every run, so that each post stores a new article)."""
    import datetime as dt

    from synthetic import OUTLETS, _acts, _report, _Text
    rng = random.Random(seed)
    run_id = uuid.uuid4().hex[:12]
    bodies = []
    for i, act in enumerate(_acts(rng, n)):
        outlet = rng.choice(OUTLETS)
        published = act["date"] + dt.timedelta(days=rng.randint(0, 1))
        text = _Text()
        text.add(f"{act['place'].upper()}, {act['country_name']}, {published.strftime('%d %B %Y')} ({outlet}) -")
        _report(rng, act, text, published, outlet)
        text.add(f"(Reference api-bench-{run_id}-{i:03d}.)", "\n\n")
        bodies.append({"text": text.text(), "published": published.isoformat(), "outlet": outlet,
                       "title": f"{act['event_type'].replace('_', ' ').capitalize()} in {act['place']}"})
    return bodies


def post_articles(url: str, client, n: int, seed: int) -> dict:
    """Time ``n`` POST /api/articles of new articles, one at a time (after extraction warm-ups)."""
    bodies = new_articles(n + POST_WARMUP, seed + 1)
    for body in bodies[:POST_WARMUP]:
        r = client.post(url + "/api/extract", json=body)
        if r.status_code != 200:
            raise SystemExit(f"POST /api/extract answered {r.status_code}: {r.text[:300]}")
    times, sizes, wire, statuses, incidents = [], [], [], [], 0
    for body in bodies[POST_WARMUP:]:
        t0 = time.perf_counter()
        r = client.post(url + "/api/articles", json=body)
        data = r.content
        ms = (time.perf_counter() - t0) * 1000.0
        if r.status_code != 200:
            raise SystemExit(f"POST /api/articles answered {r.status_code}: {r.text[:300]}")
        answer = r.json()
        times.append(ms)
        sizes.append(len(data))
        wire.append(int(r.headers.get("content-length") or len(data)))
        statuses.append(answer["status"])
        incidents += len(answer["incidents"])
        print(f"  POST /api/articles: {answer['status']}, {len(answer['incidents'])} incident(s), "
              f"{ms:.0f} ms", flush=True)
    if any(s != "added" for s in statuses):
        raise SystemExit(f"a posted article was not new: {statuses}")
    out = {"requests": n, "median_ms": statistics.median(times), "p95_ms": percentile(times, 95),
           "mean_ms": statistics.fmean(times), "max_ms": max(times),
           "mean_bytes": statistics.fmean(sizes), "mean_bytes_on_wire": statistics.fmean(wire),
           "listed_incidents": incidents}
    print(f"{POST_NAME:30s} median {out['median_ms']:7.1f} ms  p95 {out['p95_ms']:7.1f} ms  "
          f"max {out['max_ms']:7.1f} ms", flush=True)
    return out


def write(results: dict, meta: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    doc = {**meta, "endpoints": {k: v for k, v in results.items() if not k.startswith("_")}}
    (out / "api.json").write_text(json.dumps(doc, indent=1) + "\n")
    lines = [
        f"# HTTP API latency: {meta['incidents']:,} reconciled incidents (SQLite)",
        "",
        f"`python benchmarks/api.py`; {meta['machine']}; `sitrep serve` (uvicorn, one process) on "
        f"loopback, one keep-alive client, one request at a time, gzip accepted; "
        f"{meta['requests']} timed requests per GET endpoint after {WARMUP} warm-up ones; "
        f"`POST /api/articles`: {meta.get('posts', 0)} new synthetic articles, one at a time, last "
        f"(after {POST_WARMUP} warm-up extractions; time includes extracting and storing the article "
        f"and bringing the index up to date). "
        f"Target: 95th percentile at most {TARGET_P95_MS:.0f} ms for the list and the incident.",
        "",
        "| endpoint | requests | median ms | p95 ms | mean ms | max ms | mean answer KiB (on the wire) | target met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in doc["endpoints"].items():
        target = name in ("GET /api/incidents", "GET /api/incidents/{id}")
        met = ("yes" if r["p95_ms"] <= TARGET_P95_MS else "**no**") if target else "-"
        lines.append(f"| `{name}` | {r['requests']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
                     f"{r['mean_ms']:.1f} | {r['max_ms']:.1f} | {r['mean_bytes'] / 1024:.1f} "
                     f"({r['mean_bytes_on_wire'] / 1024:.1f}) | {met} |")
    db = meta.get("database") or {}
    note = "Database reused; "
    if meta.get("build_s"):
        note = f"Database built in {meta['build_s']:.0f} s"
        if db.get("seconds", {}).get("index"):
            note += (f" ({db.get('articles', 0):,} articles, {db.get('stored_incidents', 0):,} stored "
                     f"incidents; the index in {db['seconds']['index']:.0f} s of it)")
        note += "; "
    note += (f"the server answered {meta['start_s']:.1f} s after it was started (the incident index "
             f"{'built at start' if meta.get('index_built') else 'already up to date'}).")
    lines += ["", note, ""]
    (out / "api.md").write_text("\n".join(lines))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", help="reuse this SQLite database (built here first if it does not exist)")
    p.add_argument("--incidents", type=int, default=100_000, help="incidents of a new database")
    p.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    p.add_argument("--posts", type=int, default=10, help="new articles posted (timed), last")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = p.parse_args(argv)

    import httpx
    from synthetic import make_db

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.mkdtemp(prefix="sitrep-api-bench-")
        db = os.path.join(tmp, "api.db")
    build_s = built = None
    if not os.path.exists(db):
        print(f"building a {args.incidents:,}-incident database at {db} ...", flush=True)
        t0 = time.perf_counter()
        built = make_db(db, args.incidents, seed=args.seed)
        build_s = time.perf_counter() - t0
        print(f"  built in {build_s:.0f} s", flush=True)
    from sitrep.store import open_store
    with open_store(db) as store:
        index_built = store.index_version() != store.fingerprint()
    server = Server(db, Path(tempfile.gettempdir()) / f"sitrep-api-bench-{os.getpid()}.log")
    try:
        with httpx.Client(timeout=120) as client:
            start_s = server.wait(client)
            print(f"server answering after {start_s:.1f} s", flush=True)
            results = run(server.url, client, args.requests, args.seed)
            if args.posts > 0:
                results[POST_NAME] = post_articles(server.url, client, args.posts, args.seed)
    finally:
        server.stop()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    meta = {"incidents": results["_incidents"], "requests": args.requests, "posts": args.posts, "seed": args.seed,
            "machine": machine(), "build_s": build_s, "start_s": start_s, "index_built": index_built,
            "target_p95_ms": TARGET_P95_MS, "database": built}
    write(results, meta, Path(args.out))
    missed = [k for k in ("GET /api/incidents", "GET /api/incidents/{id}")
              if results[k]["p95_ms"] > TARGET_P95_MS]
    print("target met" if not missed else f"target missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
