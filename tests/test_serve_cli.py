"""`sitrep serve` as a user runs it: a real server in a subprocess on a free loopback port."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from clitools import run
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location
from sitrep.store import open_store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sitrep() -> list[str]:
    exe = shutil.which("sitrep", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "sitrep.cli"]


@pytest.fixture
def small_db(tmp_path):
    path = str(tmp_path / "small.db")
    inc = Incident("air_strike", "2017-10-06", None, "day",
                   Location("Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45, "town"), ["Russian forces"],
                   claims=[Claim("Syrian Observatory for Human Rights", {"total": Count(best=20)})])
    with open_store(path) as store:
        store.add(Article("a-1", "An air strike killed 20 people in Mayadeen.", published="2017-10-07",
                          outlet="Wire"), ArticleRecord("a-1", "2017-10-07", [inc]), "test-1")
    return path


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, dict(r.headers), json.loads(r.read())


def test_serve_answers_then_stops(small_db):
    port = _free_port()
    proc = subprocess.Popen([*_sitrep(), "serve", "--db", small_db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stdout.readline()
        assert banner.strip() == f"sitrep: serving {small_db} at http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/api/health")
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "no answer within 60 s"
                time.sleep(0.1)
        assert status == 200 and body["status"] == "ok" and body["articles"] == 1 and body["incidents"] == 1
        assert "content-security-policy" in {k.lower() for k in headers}
        _, _, listed = _get(f"http://127.0.0.1:{port}/api/incidents")
        assert listed["items"][0]["place"] == "Mayadeen" and listed["items"][0]["killed"] == 20
        with pytest.raises(urllib.error.HTTPError) as exc:
            _get(f"http://127.0.0.1:{port}/api/incidents/12345")
        assert exc.value.code == 404 and json.loads(exc.value.read())["error"]["status"] == 404
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            raise
    # uvicorn shuts down cleanly, and a stop is the normal end of the command: exit 0
    errors = proc.stderr.read()
    assert proc.returncode == 0 and "Traceback" not in errors, errors
    assert proc.stdout.read().strip() == "sitrep: stopped"


def test_missing_sqlite_file_is_exit_2(tmp_path):
    missing = tmp_path / "nothing.db"
    code, out, err = run(["serve", "--db", str(missing), "--port", "1"])
    assert code == 2 and out == ""
    assert f"no database at {missing}" in err and "sitrep ingest" in err
    assert not missing.exists()


def test_bad_db_url_is_exit_2():
    code, _, err = run(["serve", "--db", "mysql://nowhere/db"])
    assert code == 2 and "--db" in err


def test_port_in_use_is_an_error(small_db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run([*_sitrep(), "serve", "--db", small_db, "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and f"cannot serve on 127.0.0.1:{port}" in proc.stderr


def test_bad_options_are_usage_errors():
    for argv in (["serve", "--port", "http"], ["serve", "--port", "70000"], ["serve", "--max-body", "0"]):
        with pytest.raises(SystemExit) as exc:
            run(argv)
        assert exc.value.code == 2
