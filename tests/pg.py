"""A PostgreSQL server for the store's tests, and a fresh schema per test.

Where the server comes from, in order:
1. the URL in the environment variable SITREP_TEST_PG_URL (a database the tests may create
   schemas in);
2. PostgreSQL binaries on this machine (initdb and pg_ctl on PATH or under
   /usr/lib/postgresql/*/bin): a throwaway cluster in a temporary folder on 127.0.0.1 and a
   free port, started once per test process and stopped at its end (as root, the cluster
   runs as the `postgres` user: initdb refuses to run as root);
3. otherwise the PostgreSQL tests skip, saying why (`.ci/postgres.sh` installs the packages).

Each test gets a schema of its own (dropped afterwards), named in the URL it is given
(``options=-csearch_path=...``), so every test starts from an empty database and a
subprocess given the URL sees the same schema.

Test modules use it as ``from pg import STORE_URLS, store_url`` and parametrise over
``STORE_URLS`` (``"sqlite"``, ``"postgresql"``).
"""
from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from urllib.parse import quote

import pytest

ENV_URL = "SITREP_TEST_PG_URL"
STORE_URLS = ["sqlite", "postgresql"]

_server: dict = {}  # "url" or "skip": started (or refused) once per process


def _find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_cluster() -> str:
    initdb, pg_ctl = _find_bin("initdb"), _find_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) on this machine; "
                           f"run .ci/postgres.sh or set {ENV_URL}")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    root = tempfile.mkdtemp(prefix="sitrep-pg-")
    if as_root:
        import pwd
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no `postgres` user to run the server")
        runuser = shutil.which("runuser")
        if not runuser:
            raise RuntimeError("running as root and `runuser` is missing")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chmod(root, 0o700)
        prefix = [runuser, "-u", "postgres", "--"]
    data, log = os.path.join(root, "data"), os.path.join(root, "server.log")
    port = _free_port()

    def run(cmd: list[str], timeout: float = 120) -> None:
        done = subprocess.run(prefix + cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            tail = ""
            if os.path.exists(log):
                with open(log, errors="replace") as fh:
                    tail = fh.read()[-2000:]
            raise RuntimeError(f"{' '.join(cmd[:2])} failed: {done.stderr.strip()[-2000:]} {tail}")

    run([initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
         "--locale=C"])
    opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
    run([pg_ctl, "-D", data, "-l", log, "-o", opts, "-w", "-t", "60", "start"])

    def stop() -> None:
        subprocess.run(prefix + [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str:
    """The admin URL of the test server (started on first use); skips the test if none."""
    if "url" not in _server and "skip" not in _server:
        try:
            url = os.environ.get(ENV_URL) or _start_cluster()
            import psycopg
            psycopg.connect(url, connect_timeout=10).close()  # pg_ctl -w waited for it to start
            _server["url"] = url
        except Exception as exc:  # no server: the PostgreSQL tests skip, saying why
            _server["skip"] = f"PostgreSQL unavailable: {exc}"
    if "skip" in _server:
        pytest.skip(_server["skip"])
    return _server["url"]


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=STORE_URLS)
def store_url(request, tmp_path):
    """A URL of an empty database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    admin = server_url()
    import psycopg
    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(admin, schema)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def dump(url: str) -> dict[str, list[tuple]]:
    """Every table's content, canonical: generated keys replaced by what they stand for
    (an article by its content hash, an incident by (hash, position), a claim by (hash,
    incident position, claim position)), timestamps left out, rows sorted."""
    from sitrep.store import open_store

    with open_store(url) as store:
        q = store.db.query
        art = {pk: h for pk, h in q("SELECT pk, content_hash FROM articles")}
        inc = {pk: (art[a], p) for pk, a, p in q("SELECT pk, article_pk, position FROM incidents")}
        clm = {pk: (*inc[i], p) for pk, i, p in q("SELECT pk, incident_pk, position FROM claims")}

        def table(name: str, drop: tuple[str, ...], keys: dict[str, dict]) -> list[tuple]:
            cur = store.db.execute(f"SELECT * FROM {name}")
            cols = [d[0] for d in cur.description]
            rows = []
            for row in cur.fetchall():
                out = []
                for col, value in zip(cols, row):
                    if col in drop:
                        continue
                    if col in keys:
                        value = keys[col][value]
                    if isinstance(value, bool):
                        value = int(value)
                    out.append((col, value))
                rows.append(tuple(out))
            return sorted(rows, key=repr)

        return {
            "schema_version": sorted((v, n) for v, n in q("SELECT version, name FROM schema_version")),
            "articles": table("articles", ("pk", "stored_at"), {}),
            "incidents": table("incidents", ("pk",), {"article_pk": art}),
            "claims": table("claims", ("pk",), {"incident_pk": inc}),
            "counts": table("counts", (), {"claim_pk": clm}),
            "evidence": table("evidence", (), {"claim_pk": clm}),
            "links": table("links", (), {}),
            "link_members": table("link_members", (), {"incident_pk": inc}),
            "wire_groups": table("wire_groups", (), {"article_pk": art}),
            "reference": table("reference", ("pk",), {}),
            "verifications": table("verifications", (), {"article_pk": art}),
        }


# -- articles for the store's tests ---------------------------------------------------------

def sample_articles():
    """The bundled samples as Articles (English ones only), in reading order."""
    from pathlib import Path

    from sitrep.extract.pipeline import looks_english
    from sitrep.ingest import IngestError, read_inputs

    samples = Path(__file__).resolve().parents[1] / "samples"
    return [a for a in read_inputs([str(samples)])
            if not isinstance(a, IngestError) and looks_english(a.text)]


def write_copies(path, copies: int, extra: list[dict] | None = None) -> int:
    """A JSON Lines file with `copies` variants of each sample, each text distinct (a closing
    line of its own), plus `extra` raw items; returns how many lines it wrote."""
    import json

    lines = []
    for k in range(copies):
        for a in sample_articles():
            lines.append({"id": f"{a.article_id}-{k}", "title": a.title, "outlet": a.outlet,
                          "published": a.published, "text": f"{a.text}\n\nFile copy {k}."})
    lines += extra or []
    with open(path, "w", encoding="utf-8") as fh:
        for item in lines:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(lines)
