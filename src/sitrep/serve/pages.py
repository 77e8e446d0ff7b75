"""The page and its files: ``GET /`` (index.html), ``GET /static/...``, ``GET /basemap.json``
(built by ``sitrep basemap build`` into ``static/build/``) and ``GET /event-types.js`` (the
event types, their labels and colours, from knowledge/event_types.yaml)."""
from __future__ import annotations

import json
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from ..knowledge.event_types import event_types, sub_event_types
from .errors import ApiError
from .routes import Body

STATIC_DIR = Path(__file__).resolve().parent / "static"


def mount(app: FastAPI, static_dir: Path | str | None = None) -> None:
    root = Path(static_dir) if static_dir is not None else STATIC_DIR

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        index = root / "index.html"
        if not index.is_file():
            raise ApiError(404, f"the page is not installed ({index} is missing)")
        # the page is small and changes with the package: always revalidate
        return FileResponse(index, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    # The base map is a few megabytes that every page load asks for: it is read and
    # compressed once (again when the file changes), not on every request.
    kept: dict[str, tuple[tuple, Body]] = {}
    lock = threading.Lock()

    @app.get("/basemap.json", include_in_schema=False)
    def basemap(request: Request) -> Response:
        path = root / "build" / "basemap.json"
        try:
            st = path.stat()
        except OSError:
            raise ApiError(404, "no basemap: build it with `sitrep basemap build`") from None
        stamp = (st.st_mtime_ns, st.st_size)
        with lock:
            if kept.get("basemap", ((), None))[0] != stamp:
                kept["basemap"] = (stamp, Body(path.read_bytes()))
            body = kept["basemap"][1]
            if "gzip" in request.headers.get("accept-encoding", ""):
                return Response(body.gz(), media_type="application/json", headers={
                    "Content-Encoding": "gzip", "Vary": "Accept-Encoding", "Cache-Control": "no-cache"})
        return Response(body.raw, media_type="application/json", headers={"Cache-Control": "no-cache"})

    @app.get("/event-types.js", include_in_schema=False)
    def types_script() -> Response:
        return Response(f"window.SITREP_EVENT_TYPES = {json.dumps(typology())};\n",
                        media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})

    # check_dir=False: the API works without the page's files (a missing file is a JSON 404)
    app.mount("/static", StaticFiles(directory=root, check_dir=False), name="static")


def typology() -> dict:
    """What the page needs of the typology: sitrep's types (name, label, colour) and ACLED's
    sub-event types (name, ACLED event type, sitrep type)."""
    return {"types": [{"name": t.name, "label": t.label, "colour": t.colour} for t in event_types().values()],
            "sub_event_types": [{"name": s.name, "event_type": s.event_type, "sitrep": s.sitrep}
                                for s in sub_event_types().values()]}


__all__ = ["mount", "STATIC_DIR", "typology"]
