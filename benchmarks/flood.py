"""The server under a flood of large extractions: do health and reads still answer, and does
it stop when told to?

    python benchmarks/flood.py [--incidents N] [--clients 50] [--chars 90000] [--seconds 20] [--out DIR]

Builds a synthetic database of ``--incidents`` reconciled incidents (``benchmarks/synthetic``),
starts ``sitrep serve`` on it (defaults: an extraction queue of 8, texts up to 100,000
characters), loads the extractor with one small ``POST /api/extract``, then:

1. **flood**: ``--clients`` threads, each with its own connection, post ``POST /api/extract``
   with a text of ``--chars`` characters again and again for ``--seconds`` (half of them news
   prose, half one endless sentence, the worst case of the sentence splitter), so that there
   are always that many large extractions in flight;
2. meanwhile a probe, one request at a time, alternates ``GET /api/health`` and ``GET
   /api/incidents`` (with a random page and sort), timing each from sending to having read it;
3. with the flood still going, SIGTERM, and the time until the process has exited.

Results: benchmarks/results/flood.json and flood.md. The bars: health and incidents under 1 s
(each probe, the maximum), the server stopped within 5 s of SIGTERM.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from api import Server, machine, percentile  # noqa: E402

BAR_LATENCY_S = 1.0
BAR_STOP_S = 5.0
PROSE = ("BEIRUT, March 3, 2018 - Shelling killed seven civilians in the town of Nawa in Daraa "
         "province on Saturday, the Syrian Observatory for Human Rights said. Medics said twelve "
         "people were wounded when rockets hit the market. ")
ENDLESS = "and the shelling of the eastern districts went on through the night with more wounded "


def text_of(kind: str, chars: int) -> str:
    unit = PROSE if kind == "prose" else ENDLESS
    return (unit * (chars // len(unit) + 1))[:chars]


def flood(url: str, clients: int, chars: int, stop: threading.Event, answers: Counter, lock) -> list[threading.Thread]:
    import httpx
    bodies = [json.dumps({"text": text_of("prose" if n % 2 else "endless", chars),
                          "published": "2018-03-04"}).encode() for n in range(2)]

    def worker(n: int) -> None:
        with httpx.Client(timeout=120) as c:
            while not stop.is_set():
                try:
                    r = c.post(url + "/api/extract", content=bodies[n % 2],
                               headers={"Content-Type": "application/json"})
                    key = str(r.status_code)
                except Exception as exc:  # noqa: BLE001 - counted: the server went away
                    key = type(exc).__name__
                    time.sleep(0.05)
                with lock:
                    answers[key] += 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    return threads


def probe(url: str, seconds: float, seed: int) -> dict[str, list[float]]:
    import httpx
    rng = random.Random(seed)
    times: dict[str, list[float]] = {"GET /api/health": [], "GET /api/incidents": []}
    end = time.monotonic() + seconds
    with httpx.Client(timeout=60) as c:
        while time.monotonic() < end:
            for name in times:
                params = {} if "health" in name else {"offset": rng.randrange(0, 500),
                                                       "sort": rng.choice(["-date", "killed", "id"])}
                t0 = time.perf_counter()
                r = c.get(url + name.split(" ", 1)[1], params=params)
                r.read()
                times[name].append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
            time.sleep(0.05)
    return times


def summary(xs: list[float]) -> dict:
    return {"n": len(xs), "median_s": statistics.median(xs), "p95_s": percentile(xs, 95), "max_s": max(xs)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--incidents", type=int, default=10_000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--chars", type=int, default=90_000)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = p.parse_args(argv)

    import httpx
    from synthetic import make_db

    tmp = tempfile.mkdtemp(prefix="sitrep-flood-")
    db = os.path.join(tmp, "flood.db")
    print(f"building a {args.incidents:,}-incident database ...", flush=True)
    make_db(db, args.incidents, seed=args.seed)
    server = Server(db, Path(tmp) / "serve.log")
    with httpx.Client(timeout=300) as c:
        server.wait(c)
        t0 = time.perf_counter()
        r = c.post(server.url + "/api/extract", json={"text": PROSE, "published": "2018-03-04"})
        assert r.status_code == 200, r.text
        warm_s = time.perf_counter() - t0
        quiet = probe(server.url, 3, args.seed)

    stop, lock, answers = threading.Event(), threading.Lock(), Counter()
    print(f"flooding with {args.clients} clients for {args.seconds:g} s ...", flush=True)
    threads = flood(server.url, args.clients, args.chars, stop, answers, lock)
    time.sleep(2)   # every client has its request in
    loud = probe(server.url, args.seconds, args.seed + 1)
    t0 = time.perf_counter()
    server.proc.send_signal(signal.SIGTERM)
    code = server.proc.wait(60)
    stop_s = time.perf_counter() - t0
    stop.set()
    for t in threads:
        t.join(5)
    server.log.close()

    result = {
        "machine": machine(), "incidents": args.incidents, "clients": args.clients,
        "chars": args.chars, "flood_seconds": args.seconds, "extractor_load_s": warm_s,
        "quiet": {k: summary(v) for k, v in quiet.items()},
        "flood": {k: summary(v) for k, v in loud.items()},
        "flood_answers": dict(answers), "stop_after_sigterm_s": stop_s, "exit_code": code,
        "bars": {"latency_s": BAR_LATENCY_S, "stop_s": BAR_STOP_S},
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "flood.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = [f"# Flood: {args.clients} concurrent `POST /api/extract` of {args.chars:,} characters", "",
             f"{machine()}; {args.incidents:,} incidents; flood of {args.seconds:g} s.", "",
             "| request | quiet median | under flood: median | p95 | max | bar |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, s in result["flood"].items():
        q = result["quiet"][name]
        met = "met" if s["max_s"] < BAR_LATENCY_S else "NOT met"
        lines.append(f"| `{name}` ({s['n']} probes) | {q['median_s'] * 1000:.1f} ms | {s['median_s'] * 1000:.1f} ms | "
                     f"{s['p95_s'] * 1000:.1f} ms | {s['max_s'] * 1000:.1f} ms | < 1 s: {met} |")
    met = "met" if stop_s < BAR_STOP_S else "NOT met"
    lines += ["", f"Stopped {stop_s:.2f} s after SIGTERM with the flood going (exit {code}); bar < 5 s: {met}.",
              "", "Flood answers: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(answers.items())), ""]
    (out / "flood.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
