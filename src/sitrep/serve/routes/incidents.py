"""Reconciled incidents: the list, one incident with its articles and evidence, the map's
points, the timeline and the facets. All read the incident index."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ...store.model import IncidentQuery
from ..errors import ApiError
from ..fields import count_query, path_id
from ..filters import incident_query, query_key
from ..service import Service
from . import cached_json, json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["incidents"])

POINT_FIELDS = ["id", "lat", "lon", "killed", "event_type", "date", "disputed"]
Sort = Literal["date", "-date", "killed", "-killed", "id"]


@router.get("/incidents")
def list_incidents(q: Annotated[IncidentQuery, Depends(incident_query)],
                   svc: Annotated[Service, Depends(service)],
                   limit: Annotated[int, Query(ge=1, le=500)] = 50,
                   offset: Annotated[int, count_query()] = 0,
                   sort: Sort = "-date") -> Response:
    """A page of reconciled incidents that pass the filters, and how many pass."""
    store = svc.fresh()
    total, items = store.query_index(q, limit=limit, offset=offset, sort=sort)
    return json_response(json_bytes({"total": total, "limit": limit, "offset": offset, "items": items}))


@router.get("/incidents/{incident_id}")
def get_incident(incident_id: Annotated[int, path_id("the incident's id")], svc: Annotated[Service, Depends(service)]) -> Response:
    """One reconciled incident: its list item, everything reconciliation knows, and the
    articles that report it with the evidence spans of their claims."""
    store = svc.fresh()
    found = store.index_incident(incident_id)
    if found is None:
        raise ApiError(404, f"no incident {incident_id}")
    summary, payload = found
    return json_response(json_bytes({"incident": summary, "reconciled": payload,
                                     "articles": incident_articles(store, payload)}))


def incident_articles(store, payload: dict) -> list[dict[str, Any]]:
    """The member articles of a reconciled incident, in reconciliation's order, each with the
    evidence spans (offsets into its text) of the claims it contributes; ``claim`` numbers a
    span's claim in ``payload["claims"]`` (reconciliation lists the members' claims in the
    order of ``payload["members"]``)."""
    member_pks = [int(pk) for pk in payload.get("members") or []]
    by_pk = {si.pk: si for si in store.stored_incidents(member_pks)}
    claims = payload.get("claims") or []
    order: list[int] = []
    marks: dict[int, list[dict]] = {}
    members_of: dict[int, list[int]] = {}   # article pk -> its stored incidents here (a split names them)
    n = 0
    for pk in member_pks:
        si = by_pk.get(pk)
        if si is None:
            continue
        if si.article_pk not in marks:
            order.append(si.article_pk)
            marks[si.article_pk] = []
        members_of.setdefault(si.article_pk, []).append(pk)
        for claim in si.incident.claims:
            source = claims[n]["source"] if n < len(claims) else claim.claimed_by
            for span in claim.evidence:
                marks[si.article_pk].append({"start": span.start, "end": span.end, "source": source,
                                             "denial": bool(claim.denial), "claim": n})
            n += 1
    wire_of = {aid: g for g, ids in enumerate(payload.get("wire_groups") or []) for aid in ids}
    out = []
    for article_pk in order:
        a = store.article(article_pk)
        if a is None:
            continue
        out.append({"pk": a.pk, "article_id": a.article_id, "title": a.title, "outlet": a.outlet,
                    "published": a.published, "text": a.text, "wire_group": wire_of.get(a.article_id),
                    "members": members_of[article_pk],
                    "highlights": sorted(marks[article_pk], key=lambda h: (h["start"], h["end"]))})
    return out


@router.get("/points")
def points(request: Request, q: Annotated[IncidentQuery, Depends(incident_query)],
           svc: Annotated[Service, Depends(service)]) -> Response:
    """The incidents that pass the filters and have coordinates, as rows of POINT_FIELDS."""
    store = svc.fresh()
    return cached_json(request, svc, store, ("points", query_key(q)),
                       lambda: {"fields": POINT_FIELDS, "rows": store.index_points(q)})


@router.get("/timeline")
def timeline(request: Request, q: Annotated[IncidentQuery, Depends(incident_query)],
             svc: Annotated[Service, Depends(service)]) -> Response:
    """Per day (an incident's first day): how many incidents pass the filters, and their killed."""
    store = svc.fresh()
    return cached_json(request, svc, store, ("timeline", query_key(q)),
                       lambda: {"days": store.index_timeline(q)})


@router.get("/facets")
def facets(request: Request, svc: Annotated[Service, Depends(service)]) -> Response:
    """What the filters can choose from: dates, event types, countries, admin1, top actors."""
    from ...export import country
    store = svc.fresh()

    def make() -> dict:
        f = dict(store.index_facets())
        f["countries"] = [{**c, "name": country(c["code"])["name"]} for c in f.get("countries") or []]
        return f
    return cached_json(request, svc, store, ("facets",), make)
