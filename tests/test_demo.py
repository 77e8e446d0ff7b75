"""`make demo` as a newcomer runs it: every command of the recipe, then Ctrl-C on the
server. Nothing it prints looks like a failure (no line starting `error:` or `make: ***`),
and the server stops cleanly."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_demo_prints_no_failure_and_stops_cleanly(tmp_path):
    bin_dir = Path(sys.executable).parent
    port = _free_port()
    # STAMP= : the environment running the tests is the one to use (no venv rebuilt)
    argv = ["make", "--no-print-directory", "-C", str(ROOT), "demo", "STAMP=", f"BIN={bin_dir}",
            f"DB={tmp_path / 'demo.db'}", f"OUTDIR={tmp_path / 'out'}", f"PORT={port}"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # its own process group, as a terminal's job
    lines = []
    try:
        deadline = time.monotonic() + 240
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("sitrep: serving"):
                break
            assert time.monotonic() < deadline, "".join(lines)
        assert any(line.startswith("sitrep: serving") for line in lines), "".join(lines)
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole foreground job gets it
        rest, _ = proc.communicate(timeout=60)
        lines += rest.splitlines(keepends=True)
    finally:
        if proc.poll() is None:  # pragma: no cover
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = "".join(lines)
    assert not [line for line in lines if line.startswith(("error:", "make: ***", "make[1]: ***"))], text
    assert "Traceback" not in text, text
    # make itself ends by the Ctrl-C it received, as any job does (the shell says nothing);
    # the server, its child, stopped cleanly: "sitrep: stopped", and make reported nothing
    assert proc.returncode in (0, -signal.SIGINT), text
    assert "sitrep: stopped" in text
    assert "incidents," in text and "records written to" in text
    assert (tmp_path / "out" / "samples.jsonl").stat().st_size > 0
