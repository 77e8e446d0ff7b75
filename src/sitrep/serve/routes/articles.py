"""Stored articles: the list, one article with its record, verification and incidents; and
the two writes: store a new article (``POST /api/articles``) and link the database again
(``POST /api/link``). The writes follow the token rule of :mod:`sitrep.serve.security`."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ...records import ArticleRecord, Summary
from ...store import content_hash
from ...store.db import data_errors
from ..errors import ApiError
from ..fields import count_query, path_id
from ..security import check_writer
from ..service import Service
from ..submit import ArticleIn, extract, to_article
from . import json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["articles"])


@router.get("/articles")
def list_articles(svc: Annotated[Service, Depends(service)],
                  outlet: Annotated[str | None, Query(description="only this outlet's articles")] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, count_query()] = 0) -> Response:
    store = svc.fresh()
    total, page = store.article_page((outlet or "").strip() or None, limit, offset)
    items = [{"pk": a.pk, "article_id": a.article_id, "title": a.title, "outlet": a.outlet,
              "published": a.published, "n_incidents": len(store.incidents_of_article(a.pk))}
             for a in page]
    return json_response(json_bytes({"total": total, "limit": limit, "offset": offset, "items": items}))


@router.get("/articles/{pk}")
def get_article(pk: Annotated[int, path_id("the article's pk")], svc: Annotated[Service, Depends(service)]) -> Response:
    store = svc.fresh()
    a = store.article(pk)
    if a is None:
        raise ApiError(404, f"no article {pk}")
    ids = store.incidents_of_article(pk)
    v = store.verification(pk)
    return json_response(json_bytes({
        "pk": a.pk, "article_id": a.article_id, "title": a.title, "outlet": a.outlet,
        "published": a.published, "source": a.source, "text": a.text,
        "record": article_record(store, a, ids).to_dict(),
        "verification": None if v is None else {"score": v.score, "reasons": v.reasons},
        "incidents": ids}))


def article_record(store, article, incident_ids: list[int]) -> ArticleRecord:
    """The article's record as the extractor emitted it, from its stored incidents (found
    through the reconciled incidents that hold them)."""
    member_pks: list[int] = []
    for iid in incident_ids:
        found = store.index_incident(iid)
        if found is not None:
            member_pks.extend(int(m) for m in found[1].get("members") or [])
    mine = sorted((si for si in store.stored_incidents(sorted(set(member_pks))) if si.article_pk == article.pk),
                  key=lambda si: si.index)
    return ArticleRecord(article.article_id, article.published, [si.incident for si in mine],
                         article.summary or Summary(date=article.published))


@router.post("/articles", dependencies=[Depends(check_writer)])
async def add_article(body: ArticleIn, request: Request, svc: Annotated[Service, Depends(service)]) -> Response:
    """Extract the article and store it (as ``sitrep ingest`` does): "added", "unchanged" (the
    same text is stored) or "replaced" (stored by an older extractor). The index is brought up
    to date before the answer, so its incidents are listed at once (until ``sitrep link`` or
    ``POST /api/link`` runs, each stands alone): a new article's incidents are added to it when
    nothing else changed since it was built, else it is rebuilt."""
    article = to_article(body)
    record = await extract(request, article)
    # async: the wait for the extraction queue holds no worker thread; the store is written in one
    return await run_in_threadpool(_store_article, svc, article, record)


def _store_article(svc: Service, article, record) -> Response:
    from ...extract.pipeline import EXTRACTOR_VERSION
    store = svc.store()
    before = store.fingerprint()
    try:
        status = store.add(article, record, EXTRACTOR_VERSION)
    except data_errors() as exc:   # what the database refuses of this one article
        raise ApiError(422, f"text: not stored: {exc}", parameter="text") from None
    pk = store.article_pk(content_hash(article.text))
    svc.index_after_add(store, status, pk, before)
    out: dict[str, Any] = {"status": status, "pk": pk, "record": record.to_dict(),
                           "incidents": store.incidents_of_article(pk) if pk is not None else []}
    return json_response(json_bytes(out))


@router.post("/link", dependencies=[Depends(check_writer)])
def link(svc: Annotated[Service, Depends(service)], full: bool = False) -> Response:
    """Link what changed since the last link (as ``sitrep link``; ``?full=true``: the whole
    database, as ``sitrep link --full``), then bring the index up to date where the links
    changed (``incident_index.update``)."""
    from ...link.incremental import link_store
    store = svc.store()
    run = link_store(store, full=full)
    svc.rebuild(store)
    links, joined, wires = store.link_totals()
    counts = store.counts()
    return json_response(json_bytes({
        "linked_incidents": links, "joined_incidents": joined, "wire_groups": wires,
        "articles": counts["articles"], "incidents": counts["incidents"],
        "incremental": run.incremental, "articles_changed": run.articles_changed,
        "incidents_scored": run.incidents_read}))
