"""Hostile and odd input to `sitrep extract` and `sitrep ingest`: every case beside a good
article, each under a time limit. No crash (no traceback, the good article's record still
written), no silent drop (one error line naming the bad item, counted as failed, exit 1),
no hang (the case ends within its limit)."""
from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import socket
from pathlib import Path

import pytest

from clitools import GOOD, NOT_ENGLISH, run
from sitrep.store import open_store

CASE_SECONDS = 120   # generous: the first case also loads the model (about 10 s on 2 cores)


@contextlib.contextmanager
def time_limit(seconds: int = CASE_SECONDS):
    """Fail the case when it runs past ``seconds`` (a blocking open() of a pipe included:
    the alarm interrupts it)."""
    def expire(signum, frame):
        raise TimeoutError(f"the case ran past {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _unreadable_file(path: Path, monkeypatch) -> None:
    path.chmod(0)
    if os.geteuid() == 0:   # root reads anything: make reading it fail as it would for a user
        real = Path.read_bytes

        def read_bytes(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)
        monkeypatch.setattr(Path, "read_bytes", read_bytes)


def _unreadable_folder(path: Path, monkeypatch) -> None:
    path.chmod(0)
    if os.geteuid() == 0:
        real = os.scandir

        def scandir(p="."):
            if Path(p) == path:
                raise PermissionError(13, "Permission denied", str(p))
            return real(p)
        monkeypatch.setattr(os, "scandir", scandir)


def _billion_laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
            "<title>t</title><item><title>&lol9;</title><description>&lol9;</description></item>"
            "</channel></rss>")


XXE = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
       "<description>&xxe;</description></item></channel></rss>")


# name -> (how to make it in the folder, the name its error line gives, words of the reason).
# A maker returns the path to give the command (the folder itself when the case is inside it).
def _write(name: str, content: bytes | str):
    def make(d: Path, monkeypatch) -> Path:
        p = d / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p
    return make


def _fifo(d: Path, monkeypatch) -> Path:
    os.mkfifo(d / "pipe.jsonl")
    return d / "pipe.jsonl"


def _socket(d: Path, monkeypatch) -> Path:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "feed.csv"))
    monkeypatch.setattr(_socket, "keep", s, raising=False)   # closed with the monkeypatch's undo
    return d / "feed.csv"


def _symlink_loop(d: Path, monkeypatch) -> Path:
    (d / "loop.txt").symlink_to(d / "loop.txt")
    return d / "loop.txt"


def _dir_loop(d: Path, monkeypatch) -> Path:
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d, target_is_directory=True)   # os.walk does not follow it
    return d / "sub"


def _locked_file(d: Path, monkeypatch) -> Path:
    p = d / "locked.txt"
    p.write_text(GOOD)
    _unreadable_file(p, monkeypatch)
    return p


def _locked_folder(d: Path, monkeypatch) -> Path:
    sub = d / "locked"
    sub.mkdir()
    (sub / "inside.txt").write_text(GOOD)
    _unreadable_folder(sub, monkeypatch)
    return sub


def _sparse(name: str, size: int):
    def make(d: Path, monkeypatch) -> Path:
        with open(d / name, "wb") as fh:
            fh.truncate(size)
        return d / name
    return make


BIG_INT = '{"text": "Shelling killed two in Aleppo.", "n": ' + "9" * 5000 + "}"
DEEP = "[" * 100_000 + "]" * 100_000
BOMB = gzip.compress(b"\0" * 50_000_000)

CASES = {
    # the findings of the issue
    "json-integer-of-5000-digits": (_write("big.json", BIG_INT), "big.json", "invalid JSON"),
    "json-nested-100000-deep": (_write("deep.json", DEEP), "deep.json", "invalid JSON"),
    "named-pipe": (_fifo, "pipe.jsonl", "a named pipe, not a regular file"),
    "socket": (_socket, "feed.csv", "a socket, not a regular file"),
    "unreadable-folder": (_locked_folder, "locked", "cannot read the folder"),
    "text-of-1.2-million-characters": (_write("dump.txt", "Word. " * 200_000), "dump.txt",
                                       "1,200,000 characters, more than the 1,000,000"),
    "newline-in-name": (_write("evil\nerror: forged.txt", "\x00\x01\x02" * 100),
                        "evil\\nerror: forged.txt", "binary file"),
    "escape-codes-in-name": (_write("\x1b[31mred.txt", ""), "\\x1b[31mred.txt", "empty file"),
    "not-english": (_write("fr.json", json.dumps(NOT_ENGLISH)), "fr.json", "not English"),
    # the cases that already held
    "empty": (_write("empty.txt", ""), "empty.txt", "empty file"),
    "binary": (_write("blob.txt", bytes(range(256)) * 40), "blob.txt", "binary file"),
    "truncated-json": (_write("cut.json", '{"text": "Rockets hit the port and killed two'), "cut.json",
                       "truncated JSON"),
    "broken-csv-row": (_write("rows.csv", 'id,text\n1,"Shelling killed two in Aleppo."\n2,"a",b,c,d\n'),
                       "rows.csv:row 2", "expected 2 fields, found 5"),
    "50-MB-file": (_sparse("huge.txt", 50_000_000), "huge.txt", "more than the 5,000,000-byte limit"),
    "invalid-utf8-binary-looking": (_write("bad.csv", b"id,text\n1,\xff\xfe\x00\x00\x00"), "bad.csv", ""),
    "gzip-bomb": (_write("bomb.json.gz", BOMB), "bomb.json.gz", "binary file"),
    "symlink-loop": (_symlink_loop, "loop.txt", "cannot read it"),
    "unreadable-file": (_locked_file, "locked.txt", "cannot read it"),
}
# Inputs that are not errors: read as articles (and extracted) without a crash.
READABLE = {
    "invalid-utf8-text": _write("latin.txt", "Shelling killed two people in Aleppo on Monday, ".encode()
                                + b"the caf\xe9 owner said."),
    "utf16-bom": _write("u16.txt", ("\ufeff" + GOOD).encode("utf-16")),
    "utf32-bom": _write("u32.txt", ("\ufeff" + GOOD).encode("utf-32")),
    "folder-with-a-link-to-itself": _dir_loop,
}


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    return d


def _check(code: int, out: str, err: str, shown: str, reason: str, failed: int = 1) -> None:
    assert "Traceback" not in err, err
    assert code == 1, (code, err)
    lines = err.splitlines()
    mine = [line for line in lines if line.startswith("error: ") and shown in line]
    assert mine, err
    assert all(reason in line for line in mine), err
    # nothing printed raw: every line of standard error is one the command wrote
    assert all(line.startswith(("error: ", "warning: ")) or line.endswith(" failed") for line in lines if line), err
    assert f", {failed} failed" in lines[-1] or f" {failed} failed" in lines[-1], err


@pytest.mark.parametrize("case", sorted(CASES))
def test_extract_reports_the_bad_item_and_goes_on(tmp_path, monkeypatch, case):
    make, shown, reason = CASES[case]
    d = _folder(tmp_path)
    with time_limit():
        target = make(d, monkeypatch)
        for argv in (["extract", str(d), "--format", "jsonl"], ["extract", str(target), str(d / "good.txt")]):
            code, out, err = run(argv)
            records = [json.loads(line) for line in out.splitlines()]
            assert "good" in {r["article_id"] for r in records}, (argv, err)
            failed = sum(1 for line in err.splitlines() if line.startswith("error: "))
            _check(code, out, err, shown, reason, failed)


@pytest.mark.parametrize("case", sorted(READABLE))
def test_odd_but_readable_input_is_read(tmp_path, monkeypatch, case):
    d = _folder(tmp_path)
    with time_limit():
        READABLE[case](d, monkeypatch)
        code, out, err = run(["extract", str(d)])
    assert "Traceback" not in err and code == 0, err
    assert len(out.splitlines()) == (1 if case == "folder-with-a-link-to-itself" else 2), err


@pytest.mark.parametrize("feed", [XXE, _billion_laughs()], ids=["xxe", "billion-laughs"])
def test_xml_entities_are_never_expanded(tmp_path, feed):
    from sitrep.ingest import read_inputs
    (tmp_path / "feed.rss").write_text(feed)
    with time_limit(30):
        items = list(read_inputs([str(tmp_path / "feed.rss")]))
        code, out, err = run(["extract", str(tmp_path / "feed.rss")])
    assert "Traceback" not in err and code in (0, 1), err
    for item in items:
        text = str(item) if not hasattr(item, "text") else f"{item.title} {item.text}"
        assert "lollol" not in text and "root:" not in text, text


def test_ingest_stores_the_good_and_counts_the_bad(tmp_path, monkeypatch):
    """All the bad cases in one folder: ingest stores the good article and fails each bad one."""
    d = _folder(tmp_path)
    with time_limit(CASE_SECONDS * 2):
        for name in ("json-integer-of-5000-digits", "json-nested-100000-deep", "named-pipe",
                     "unreadable-folder", "text-of-1.2-million-characters", "not-english",
                     "newline-in-name", "truncated-json", "symlink-loop"):
            CASES[name][0](d, monkeypatch)
        db = str(tmp_path / "news.db")
        code, out, err = run(["ingest", str(d), "--db", db, "--max-bytes", "10000000"])
    assert code == 1 and "Traceback" not in err, err
    assert err.count("\nerror: ") + err.startswith("error: ") == 9, err
    assert "1 added" in err and "9 failed" in err, err
    with open_store(db) as store:
        assert [a.article_id for a in store.articles()] == ["good"]


def test_counting_never_fails_the_batch(tmp_path):
    """The progress bar's count reads files first (from 20 articles on): a file it cannot
    count is one item, and reading it reports what is wrong."""
    from sitrep.ingest import count_inputs
    d = _folder(tmp_path)
    (d / "big.json").write_text(BIG_INT)
    (d / "deep.json").write_text(DEEP)
    os.mkfifo(d / "pipe.csv")
    with time_limit(30):
        assert count_inputs([str(d)]) == 4
        assert count_inputs([str(d / "deep.json"), str(d / "pipe.csv")]) == 2


def test_foreign_text_on_standard_input_is_an_error_line(tmp_path):
    code, out, err = run(["extract", "-"], stdin=json.dumps(NOT_ENGLISH))
    assert code == 1 and out == "" and "error: -: not English" in err and "1 failed" in err
