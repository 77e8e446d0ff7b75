"""``POST /api/extract``: extract an article without storing it, and say how each of its
incidents fits the database (:mod:`sitrep.serve.fit`)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ..fit import fit_record
from ..service import Service
from ..submit import ArticleIn, extract, to_article
from . import json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["check"])


@router.post("/extract")
def check_article(body: ArticleIn, svc: Annotated[Service, Depends(service)]) -> Response:
    """The article's record (evidence offsets point into the text sent) and, per incident,
    the stored incidents that may report the same act, best first. Nothing is written."""
    article = to_article(body)
    record = extract(svc, article)
    store = svc.fresh()
    return json_response(json_bytes({"record": record.to_dict(), "fits": fit_record(store, article, record)}))
