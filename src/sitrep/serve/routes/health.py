"""``GET /api/health``: the server answers, with what the database holds."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ...store.model import IncidentQuery
from ..service import Service
from . import json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def health(svc: Annotated[Service, Depends(service)]) -> Response:
    """``articles``: stored articles; ``incidents``: reconciled incidents in the index."""
    store = svc.fresh()
    articles, _ = store.article_page(None, 1, 0)
    incidents, _ = store.query_index(IncidentQuery(), limit=1, offset=0)
    return json_response(json_bytes({"status": "ok", "articles": articles, "incidents": incidents,
                                     "index_version": store.index_version()}))
