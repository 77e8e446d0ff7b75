"""Rows as the first release wrote them (its columns only), for the tests of upgrades: a later
release's writer needs the later migrations, so an older database is written here by hand."""
from __future__ import annotations

import hashlib
import json

from sitrep.records import Incident


def add_as_first_release(db, article_id: str, text: str, published: str | None, outlet: str | None,
                         incidents: list[Incident]) -> None:
    """One article and its incidents (no claims), in the columns of migration 0001."""
    with db.transaction():
        db.execute("INSERT INTO articles (content_hash, article_id, title, text, published, published_from, "
                   "outlet, source, extractor_version, summary_date, summary_location, summary_actor, "
                   "summary_cause_of_death, nb_civilians, nb_children, nb_women, nb_noncivilians, "
                   "n_incidents, stored_at) VALUES (?, ?, NULL, ?, ?, NULL, ?, NULL, ?, NULL, '', 'unknown', "
                   "'unknown', 0, 0, 0, 0, ?, ?)",
                   (hashlib.sha256(text.encode()).hexdigest(), article_id, text, published, outlet,
                    "1.0.0", len(incidents), "2019-01-01T00:00:00"))
        pk = db.one("SELECT pk FROM articles WHERE article_id = ?", (article_id,))[0]
        for i, inc in enumerate(incidents):
            loc = inc.location
            db.execute("INSERT INTO incidents (article_pk, position, event_type, date, date_end, date_precision, "
                       "place, admin1, country, lat, lon, place_precision, perpetrator, target, killed_low, "
                       "killed_best, killed_high, injured_best, n_claims) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, 0)",
                       (pk, i, inc.event_type, inc.date, inc.date_end, inc.date_precision, loc.name,
                        loc.admin1, loc.country, loc.lat, loc.lon, loc.precision,
                        json.dumps(inc.perpetrator), inc.target))
