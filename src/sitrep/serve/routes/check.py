"""``POST /api/extract``: extract an article without storing it, and say how each of its
incidents fits the database (:mod:`sitrep.serve.fit`)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ..fit import fit_record
from ..service import Service
from ..submit import ArticleIn, extract, to_article
from . import json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["check"])


@router.post("/extract")
async def check_article(body: ArticleIn, request: Request,
                        svc: Annotated[Service, Depends(service)]) -> Response:
    """The article's record (evidence offsets point into the text sent) and, per incident,
    the stored incidents that may report the same act, best first. Nothing is written."""
    article = to_article(body)
    record = await extract(request, article)
    # async: the wait for the extraction queue holds no worker thread; the database is read
    # in one, as the other routes read it
    return await run_in_threadpool(_answer, svc, article, record)


def _answer(svc: Service, article, record) -> Response:
    store = svc.fresh()
    return json_response(json_bytes({"record": record.to_dict(), "fits": fit_record(store, article, record)}))
