"""The incident filters shared by /api/incidents, /api/points, /api/timeline and /api/export.

Query parameters (all optional): ``since``, ``until`` (YYYY-MM-DD, inclusive; a span that
reaches the day counts; undated incidents drop out), ``country`` (ISO alpha-2), ``admin1``,
``place`` (place, admin1 or country in any transliteration, or an ISO code), ``actor`` (any
alias the actor dictionary knows, else part of a name), ``event_type`` (repeatable: any of
them), ``sub_event_type`` (ACLED's, any case, repeatable: any of them), ``disputed`` (true:
only disputed incidents), ``min_killed`` (at least N killed, the best total) and
``review_status`` (repeatable: unreviewed, reviewed, corrected). They mean what the options
of ``sitrep incidents`` mean; the text ones are
turned into index terms by :mod:`sitrep.incident_index`. A bad value is a 422 naming it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import Query

from .. import incident_filters, incident_index
from ..store.model import REVIEW_STATUSES, IncidentQuery
from .errors import ApiError
from .fields import count_query


def _date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ApiError(422, f"{name}: not a date (YYYY-MM-DD): {value!r}", parameter=name) from None


def _checked(name: str, check, value):
    try:
        return check(value)
    except ValueError as exc:
        raise ApiError(422, f"{name}: {exc}", parameter=name) from None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def incident_query(
    since: Annotated[str | None, Query(description="YYYY-MM-DD: incidents on or after this day")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: incidents on or before this day")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2 code")] = None,
    admin1: Annotated[str | None, Query(description="first-level division, any case")] = None,
    place: Annotated[str | None, Query(description="place, admin1 or country, any transliteration")] = None,
    actor: Annotated[str | None, Query(description="perpetrator: an alias or part of a name")] = None,
    event_type: Annotated[list[str], Query(description="repeatable: any of these event types")] = [],  # noqa: B006 - FastAPI copies it
    sub_event_type: Annotated[list[str], Query(description="repeatable: any of these ACLED sub-event "
                                                           "types (ACLED's spelling, any case)")] = [],  # noqa: B006
    disputed: Annotated[bool, Query(description="only incidents whose figures, perpetrator or "
                                                "occurrence are disputed")] = False,
    min_killed: Annotated[int | None, count_query("at least this many killed")] = None,
    review_status: Annotated[list[str], Query(description="repeatable: unreviewed, reviewed, "
                                                          "corrected")] = [],  # noqa: B006
) -> IncidentQuery:
    """FastAPI dependency: the query parameters as an IncidentQuery."""
    since_d, until_d = _date("since", since), _date("until", until)
    if since_d and until_d and since_d > until_d:
        raise ApiError(422, f"until: {until_d} is before since ({since_d})", parameter="until")
    code = _checked("country", incident_filters.country_code, country)
    types = _checked("event_type", incident_filters.event_types, event_type)
    subs = _checked("sub_event_type", incident_filters.sub_event_types, sub_event_type)
    statuses = tuple(dict.fromkeys(t.strip() for t in review_status if t.strip()))
    unknown = [t for t in statuses if t not in REVIEW_STATUSES]
    if unknown:
        raise ApiError(422, f"review_status: unknown status {unknown[0]!r} (one of {', '.join(REVIEW_STATUSES)})",
                       parameter="review_status")
    place_text, actor_text = _text(place), _text(actor)
    exact, substring = incident_index.actor_filter(actor_text) if actor_text else (None, None)
    return IncidentQuery(
        since=since_d, until=until_d,
        country=code,
        admin1=_text(admin1),
        place_needles=incident_index.place_needles(place_text) if place_text else (),
        actor_exact=exact, actor_substring=substring,
        event_types=types, sub_event_types=subs, disputed=bool(disputed), min_killed=min_killed,
        review_status=statuses)


def query_key(q: IncidentQuery) -> tuple:
    """A hashable key of a query (for the caches)."""
    return dataclasses.astuple(q)


__all__ = ["incident_query", "query_key"]
