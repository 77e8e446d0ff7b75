"""Analysts' review through the API: correct an incident, confirm it, add a note, merge two
incidents, split one; and what the page needs to do it (the gazetteer search, the list of
corrections). Each write names its reviewer and follows the token rule
(:func:`sitrep.serve.security.check_reviewer`); a value that does not check is a 422 naming
it. The correction is stored (an overlay: :mod:`sitrep.review`), the index rebuilt, and the
incident answered as it now stands, with its history."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from ... import review
from ...reconcile import ReconciledIncident
from ..errors import ApiError
from ..fields import AnyValue, BodyId, Text, path_id
from ..security import check_reviewer
from ..service import Service
from . import json_bytes, json_response, service

router = APIRouter(prefix="/api", tags=["review"])
IncidentId = Annotated[int, path_id("the incident's id")]


class CorrectionIn(BaseModel):
    """``field`` and ``value`` (see sitrep.review.fields), or a ``note`` alone."""
    model_config = ConfigDict(extra="forbid")
    field: Text | None = None
    value: AnyValue = None
    note: Text | None = None


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Text | None = None


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other: BodyId
    note: Text | None = None


class SplitIn(BaseModel):
    """``members``: the stored incidents (pks, as the incident's ``members`` lists them) to
    take out into an incident of their own."""
    model_config = ConfigDict(extra="forbid")
    members: list[BodyId]
    note: Text | None = None


def _incident(store, incident_id: int) -> dict:
    found = store.index_incident(incident_id)
    if found is None:
        raise ApiError(404, f"no incident {incident_id}")
    return found[1]


def _target(store, payload: dict) -> list[str]:
    members = [int(pk) for pk in payload.get("members") or []]
    keys = store.incident_keys(members)
    return [keys[pk] for pk in members if pk in keys]


def _old(store, payload: dict, field: str, value: Any) -> tuple[Any, Any]:
    """(the value checked, with a claim named by its key; the value it replaces)."""
    r = ReconciledIncident.from_dict(payload)
    if field == "event_type":
        return value, r.event_type
    if field == "date":
        return value, {"date": r.date, "date_end": r.date_end, "date_precision": r.date_precision}
    if field == "location":
        return value, r.location.to_dict()
    if field == "perpetrator":
        return value, [p.actor for p in r.perpetrators]
    if field == "acled":
        from ...export import acled_row
        row = acled_row(r)
        return value, None if row is None else {k: row[k] for k in ("disorder_type", "event_type", "sub_event_type")}
    if field == "claim":
        n = value.get("claim") if isinstance(value, dict) else None
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < len(r.claims):
            raise ApiError(422, f"value.claim: the number of one of the incident's {len(r.claims)} claims, "
                                f"not {n!r}", parameter="value.claim")
        by_pk = {si.pk: si for si in store.stored_incidents(r.members)}
        keys = review.claim_keys(r.members, store.incident_keys(r.members), by_pk)
        c = r.claims[n]
        return {**value, "claim": keys[n]}, {"claim": keys[n], "claimed_by": c.source,
                                             "killed": {k: v.to_dict() for k, v in c.killed.items()},
                                             "injured": {k: v.to_dict() for k, v in c.injured.items()}}
    return value, None   # an unknown field: review.correction names it


def _store_and_answer(svc: Service, store, spec: dict, holder_pk: int, incident_id: int) -> Response:
    try:
        correction = review.correction(**spec)
    except ValueError as exc:
        raise ApiError(422, str(exc), parameter=str(exc).split(":", 1)[0]) from None
    before = store.fingerprint()
    stored = store.add_corrections([correction])
    if correction.action in ("review", "note"):   # the review queue's confirmations: no rebuild
        svc.index_after_review(store, incident_id, correction, before)
    else:
        svc.rebuild(store)
    iid = store.incident_holding(holder_pk)
    found = store.index_incident(iid) if iid is not None else None
    return json_response(json_bytes({
        "corrections": [c.to_dict() for c in stored],
        "incident": found[0] if found else None, "reconciled": found[1] if found else None}), 201)


@router.post("/incidents/{incident_id}/corrections", status_code=201)
def correct(incident_id: IncidentId, body: CorrectionIn, svc: Annotated[Service, Depends(service)],
            reviewer: Annotated[str, Depends(check_reviewer)]) -> Response:
    """Correct one field of the incident (``field``, ``value``, optional ``note``), or add a
    ``note`` alone. Fields: event_type, acled ({sub_event_type}), date ({date, date_end,
    date_precision}), location ({name, admin1, country, lat, lon, precision}), perpetrator
    (a name or a list), claim ({claim: its number in ``claims``, claimed_by, killed, injured,
    wrong})."""
    store = svc.store()
    payload = _incident(store, incident_id)
    target = _target(store, payload)
    if body.field is None:
        if body.value is not None:
            raise ApiError(422, "field: required with a value", parameter="field")
        spec = {"action": "note", "target": target, "author": reviewer, "note": body.note}
    else:
        value, old = _old(store, payload, body.field, body.value)
        spec = {"action": "set", "target": target, "author": reviewer, "field": body.field,
                "new": value, "old": old, "note": body.note}
    return _store_and_answer(svc, store, spec, payload["members"][0], incident_id)


@router.post("/incidents/{incident_id}/review", status_code=201)
def confirm(incident_id: IncidentId, body: ReviewIn, svc: Annotated[Service, Depends(service)],
            reviewer: Annotated[str, Depends(check_reviewer)]) -> Response:
    """Mark the incident reviewed: confirmed as it stands (with an optional note)."""
    store = svc.store()
    payload = _incident(store, incident_id)
    return _store_and_answer(svc, store, {"action": "review", "target": _target(store, payload),
                                           "author": reviewer, "note": body.note}, payload["members"][0], incident_id)


@router.post("/incidents/{incident_id}/merge", status_code=201)
def merge(incident_id: IncidentId, body: MergeIn, svc: Annotated[Service, Depends(service)],
          reviewer: Annotated[str, Depends(check_reviewer)]) -> Response:
    """Merge the incident ``other`` into this one: the two are reports of one act."""
    store = svc.store()
    if body.other == incident_id:
        raise ApiError(422, "other: an incident cannot be merged with itself", parameter="other")
    payload = _incident(store, incident_id)
    other = store.index_incident(body.other)
    if other is None:
        raise ApiError(422, f"other: no incident {body.other}", parameter="other")
    return _store_and_answer(svc, store, {"action": "merge", "target": _target(store, payload),
                                           "new": _target(store, other[1]), "author": reviewer,
                                           "note": body.note}, payload["members"][0], incident_id)


@router.post("/incidents/{incident_id}/split", status_code=201)
def split(incident_id: IncidentId, body: SplitIn, svc: Annotated[Service, Depends(service)],
          reviewer: Annotated[str, Depends(check_reviewer)]) -> Response:
    """Split the incident: ``members`` (some of its stored incidents) become one of their own."""
    store = svc.store()
    payload = _incident(store, incident_id)
    members = [int(pk) for pk in payload.get("members") or []]
    out = list(dict.fromkeys(body.members))
    stray = [pk for pk in out if pk not in members]
    if stray:
        raise ApiError(422, f"members: {stray[0]} is not a member of incident {incident_id} "
                            f"(its members: {', '.join(map(str, members))})", parameter="members")
    if not out or len(out) >= len(members):
        raise ApiError(422, "members: name some of the incident's members, not none and not all",
                       parameter="members")
    keys = store.incident_keys(out)
    keep = next(pk for pk in members if pk not in out)
    return _store_and_answer(svc, store, {"action": "split", "target": _target(store, payload),
                                           "new": [keys[pk] for pk in out], "author": reviewer,
                                           "note": body.note}, keep, incident_id)


@router.get("/corrections")
def corrections(svc: Annotated[Service, Depends(service)],
                orphaned: Annotated[bool, Query(description="only those whose incident is gone")] = False) -> Response:
    """Every correction, in the order made; ``orphaned`` ones are listed for review."""
    store = svc.fresh()
    # Which are orphaned takes a reconciliation of everything: kept while the store is unchanged
    # (the index version moves with every correction, ingest and link).
    orphans = svc.cached(store, ("orphaned corrections",), lambda: {c.uid for c in review.reconciled(store).orphans})
    items = [{**c.to_dict(), "orphaned": c.uid in orphans} for c in store.corrections()
             if not orphaned or c.uid in orphans]
    return json_response(json_bytes({"total": len(items), "items": items}))


@router.get("/review/options")
def options() -> Response:
    """What the review forms offer: the fields, ACLED's sub-event types with their event and
    disorder types, and the actor dictionary's canonical perpetrators."""
    from ...knowledge.actors import ActorDictionary
    return json_response(json_bytes({
        "actors": sorted(ActorDictionary.load().names()),
        "fields": list(review.FIELDS), "statuses": list(review.STATUSES),
        "acled": [{"sub_event_type": sub, "acled_event_type": et, "disorder_type": dt}
                  for sub, (et, dt) in review.ACLED_SUB_EVENTS.items()]}))


@router.get("/places")
def places(q: Annotated[str, Query(min_length=1, max_length=200, description="a place name")],
           country: Annotated[str | None, Query(description="ISO alpha-2: prefer places there")] = None) -> Response:
    """The gazetteer's place for a name (what the page offers when a reviewer corrects a place)."""
    from ...knowledge.places import Gazetteer
    loc = Gazetteer.load().lookup(q.strip(), countries=[country.upper()] if country else ())
    return json_response(json_bytes({"items": [] if loc is None else [loc.to_dict()]}))
