"""Outlets: how often each one's figures agree with the reconciled figures, and its wire copies."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ...incident_index import agreement
from ..errors import ApiError
from ..service import Service
from . import json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["outlets"])


def outlet_item(s) -> dict[str, Any]:
    return {"outlet": s.outlet, "articles": s.articles, "figures": s.figures, "agreeing": s.agreeing,
            **agreement(s.agreeing, s.figures), "wire_copies": s.wire_copies}


@router.get("/outlets")
def list_outlets(svc: Annotated[Service, Depends(service)]) -> Response:
    store = svc.fresh()
    return json_response(json_bytes({"items": [outlet_item(s) for s in store.outlet_stats()]}))


# ":path": an outlet's name may hold "/" ("AFP/Reuters"), which arrives decoded from %2F
@router.get("/outlets/{name:path}")
def get_outlet(name: str, svc: Annotated[Service, Depends(service)]) -> Response:
    store = svc.fresh()
    s = store.outlet(name)
    if s is None:
        raise ApiError(404, f"no outlet {name!r}")
    return json_response(json_bytes({**outlet_item(s), "detail": s.detail}))
