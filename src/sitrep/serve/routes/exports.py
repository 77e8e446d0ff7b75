"""``GET /api/export``: the filtered incidents as a file, in the formats of ``sitrep export``."""
from __future__ import annotations

import io
import tempfile
from typing import Annotated, Iterator, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from ...store.model import IncidentQuery
from ..filters import incident_query
from ..service import Service
from . import service

router = APIRouter(prefix="/api", tags=["export"])

# format -> (file name, media type)
FILES = {
    "acled": ("sitrep-acled.csv", "text/csv; charset=utf-8"),
    "ucdp": ("sitrep-ucdp.csv", "text/csv; charset=utf-8"),
    "geojson": ("sitrep-incidents.geojson", "application/geo+json"),
    "jsonl": ("sitrep-incidents.jsonl", "application/x-ndjson"),
    "plover": ("sitrep-plover.jsonl", "application/x-ndjson"),
}
IN_MEMORY = 8 << 20   # an export larger than this is written to a temporary file first
CHUNK = 1 << 16


@router.get("/export")
def export_incidents(q: Annotated[IncidentQuery, Depends(incident_query)],
                     svc: Annotated[Service, Depends(service)],
                     format: Annotated[Literal["acled", "ucdp", "geojson", "jsonl", "plover"],
                                       Query(description="the file format")] = "jsonl") -> Response:
    """The file; incidents the format cannot hold are left out, counted in the header
    ``X-Sitrep-Left-Out`` (as ``sitrep export`` reports them on standard error). The whole
    file is written before it is sent (the count goes in a header), in memory when small,
    else in a temporary file, so that exporting everything does not hold it all in memory."""
    from ...export import export
    from ...reconcile import ReconciledIncident
    store = svc.fresh()
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY, mode="w+b")
    try:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        skipped = export((ReconciledIncident.from_dict(p) for p in store.index_payloads(q)), format, text)
        text.flush()
        text.detach()
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    name, media = FILES[format]
    return StreamingResponse(_chunks(spool), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Content-Length": str(size),
        "X-Sitrep-Left-Out": str(len(skipped))})


def _chunks(spool) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


__all__ = ["router", "FILES"]
