"""The Store: articles, incidents, claims and evidence in and out of the database.

Identity and idempotency. An article is keyed by ``content_hash`` (sha256 of its text with
whitespace collapsed), unique in the schema. ``add`` inserts with ``ON CONFLICT DO NOTHING``:
the same text again is ``"unchanged"``; the same text stored by another extractor version is
``"replaced"`` (its incidents, claims and evidence deleted and written anew; the article keeps
its key). Each ``add`` is one transaction, so a process killed at any point leaves each
article either whole or absent, and running the batch again completes it.

Everything else that the later stages save (links, reference records, verifications) is
written here too, so that only this package speaks SQL.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from ..records import (Article, ArticleRecord, Claim, Count, Incident, Location, Span, incident_figures,
                       Summary)
from .db import Database
from .migrations import migrate
from .model import LinkedIncident, ReferenceRecord, StoredArticle, StoredIncident, Verification

ADDED, UNCHANGED, REPLACED = "added", "unchanged", "replaced"
PAGE = 1000  # rows per query when streaming articles

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """What an article's identity is computed from: NFC, whitespace runs as one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: the identity of an article.

    The text alone, not the input's id: the same text read again from another file is the
    same article, and two inputs that share an id with different texts are two articles.
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _version_key(version: str) -> tuple | None:
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def is_newer(candidate: str, stored: str) -> bool:
    """Whether records of extractor ``candidate`` should replace those of ``stored``.

    Any different version replaces, except a numerically older one (an old sitrep never
    overwrites what a newer one wrote).
    """
    if candidate == stored:
        return False
    a, b = _version_key(candidate), _version_key(stored)
    if a is not None and b is not None:
        return a > b
    return True


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _check_no_nul(article: Article) -> None:
    # PostgreSQL text cannot hold NUL; refuse it in both databases alike.
    for value in (article.text, article.title, article.article_id, article.outlet, article.source):
        if value and "\x00" in value:
            raise ValueError("the article contains NUL characters")


def _total(counts: dict[str, Count]) -> tuple[int | None, int | None, int | None]:
    c = counts.get("total")
    return (c.low, c.best, c.high) if c is not None else (None, None, None)


_ARTICLE_COLUMNS = ("content_hash", "article_id", "title", "text", "published", "published_from",
                    "outlet", "source", "extractor_version", "summary_date", "summary_location",
                    "summary_actor", "summary_cause_of_death", "nb_civilians", "nb_children",
                    "nb_women", "nb_noncivilians", "n_incidents", "stored_at")


_INCIDENT_COLUMNS = ("article_pk", "position", "event_type", "date", "date_end", "date_precision",
                     "place", "admin1", "country", "lat", "lon", "place_precision", "perpetrator",
                     "target", "killed_low", "killed_best", "killed_high", "injured_best", "n_claims")
_CLAIM_COLUMNS = ("incident_pk", "position", "claimed_by", "denial", "killed_low", "killed_best",
                  "killed_high", "injured_low", "injured_best", "injured_high")


class Store:
    """The incident database. Open it with :func:`open_store`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.applied_migrations = migrate(db)

    @property
    def dialect(self) -> str:
        return self.db.dialect

    # -- context manager --------------------------------------------------------------------

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- articles ---------------------------------------------------------------------------

    def stored_version(self, hash_: str) -> str | None:
        """The extractor version an article (by content hash) is stored with; None if absent."""
        row = self.db.one("SELECT extractor_version FROM articles WHERE content_hash = ?", (hash_,))
        return row[0] if row else None

    def needs_extraction(self, article: Article, extractor_version: str) -> bool:
        """False when ``add`` would answer "unchanged": the batch can skip extracting it."""
        stored = self.stored_version(content_hash(article.text))
        return stored is None or is_newer(extractor_version, stored)

    def add(self, article: Article, record: ArticleRecord, extractor_version: str) -> str:
        """Store one article and its record in one transaction: "added", "unchanged" or "replaced"."""
        _check_no_nul(article)
        hash_ = content_hash(article.text)
        values = self._article_values(hash_, article, record, extractor_version)
        db = self.db
        with db.transaction():
            cols = ", ".join(_ARTICLE_COLUMNS)
            marks = ", ".join("?" for _ in _ARTICLE_COLUMNS)
            rows = db.query(f"INSERT INTO articles ({cols}) VALUES ({marks}) "
                            "ON CONFLICT (content_hash) DO NOTHING RETURNING pk", values)
            if rows:
                self._write_incidents(int(rows[0][0]), record.incidents)
                return ADDED
            lock = " FOR UPDATE" if db.dialect == "postgresql" else ""
            pk, stored = db.one("SELECT pk, extractor_version FROM articles WHERE content_hash = ?"
                                + lock, (hash_,))
            if not is_newer(extractor_version, stored):
                return UNCHANGED
            sets = ", ".join(f"{c} = ?" for c in _ARTICLE_COLUMNS[1:])
            db.execute(f"UPDATE articles SET {sets} WHERE pk = ?", (*values[1:], pk))
            db.execute("DELETE FROM incidents WHERE article_pk = ?", (pk,))
            db.execute("DELETE FROM verifications WHERE article_pk = ?", (pk,))
            self._write_incidents(int(pk), record.incidents)
            return REPLACED

    @staticmethod
    def _article_values(hash_: str, article: Article, record: ArticleRecord, version: str) -> tuple:
        s = record.summary or Summary()
        return (hash_, record.article_id, article.title, article.text, record.published,
                article.published_from, article.outlet, article.source, version, s.date,
                s.location, s.actor, s.cause_of_death, int(s.nb_civilians), int(s.nb_children),
                int(s.nb_women), int(s.nb_noncivilians), len(record.incidents), _now())

    def _write_incidents(self, article_pk: int, incidents: list[Incident]) -> None:
        """Incidents, claims, counts and evidence of one article: one multi-row INSERT each."""
        if not incidents:
            return
        db = self.db
        rows = []
        for i, inc in enumerate(incidents):
            loc = inc.location
            rows.append((article_pk, i, inc.event_type, inc.date, inc.date_end, inc.date_precision,
                         loc.name, loc.admin1, loc.country, loc.lat, loc.lon, loc.precision,
                         json.dumps(list(inc.perpetrator), ensure_ascii=False), inc.target,
                         *incident_figures(inc), len(inc.claims)))
        returned = db.insert_rows("incidents", _INCIDENT_COLUMNS, rows, returning="pk, position")
        incident_pks = {int(pos): int(pk) for pk, pos in returned}
        rows = [(incident_pks[i], j, claim.claimed_by, bool(claim.denial),
                 *_total(claim.killed), *_total(claim.injured))
                for i, inc in enumerate(incidents) for j, claim in enumerate(inc.claims)]
        returned = db.insert_rows("claims", _CLAIM_COLUMNS, rows, returning="pk, incident_pk, position")
        claim_pks = {(int(ipk), int(pos)): int(pk) for pk, ipk, pos in returned}
        counts: list[tuple] = []
        evidence: list[tuple] = []
        for i, inc in enumerate(incidents):
            for j, claim in enumerate(inc.claims):
                claim_pk = claim_pks[(incident_pks[i], j)]
                position = 0
                for kind, group in (("killed", claim.killed), ("injured", claim.injured)):
                    for category, c in group.items():
                        counts.append((claim_pk, kind, category, position, c.low, c.best, c.high, c.text or ""))
                        position += 1
                for k, span in enumerate(claim.evidence):
                    evidence.append((claim_pk, k, span.start, span.end, span.text or ""))
        db.insert_rows("counts", ("claim_pk", "kind", "category", "position", "low", "best", "high",
                                  "text"), counts)
        db.insert_rows("evidence", ("claim_pk", "position", "start_offset", "end_offset", "text"),
                       evidence)

    def articles(self) -> Iterator[StoredArticle]:
        """Every stored article with its summary, in key order (streamed page by page)."""
        last = -1
        while True:
            rows = self.db.query(
                "SELECT pk, article_id, content_hash, text, title, published, outlet, source, "
                "extractor_version, summary_date, summary_location, summary_actor, "
                "summary_cause_of_death, nb_civilians, nb_children, nb_women, nb_noncivilians "
                f"FROM articles WHERE pk > ? ORDER BY pk LIMIT {PAGE}", (last,))
            for r in rows:
                yield StoredArticle(
                    pk=int(r[0]), article_id=r[1], content_hash=r[2], text=r[3], title=r[4],
                    published=r[5], outlet=r[6], source=r[7], extractor_version=r[8],
                    summary=Summary(date=r[9], location=r[10], actor=r[11], cause_of_death=r[12],
                                    nb_civilians=int(r[13]), nb_children=int(r[14]),
                                    nb_women=int(r[15]), nb_noncivilians=int(r[16])))
            if len(rows) < PAGE:
                return
            last = int(rows[-1][0])

    def incidents(self) -> list[StoredIncident]:
        """Every stored incident, its records.Incident rebuilt with claims, counts and evidence."""
        db = self.db
        evidence: dict[int, list[Span]] = {}
        for claim_pk, start, end, text in db.query(
                "SELECT claim_pk, start_offset, end_offset, text FROM evidence ORDER BY claim_pk, position"):
            evidence.setdefault(int(claim_pk), []).append(Span(int(start), int(end), text))
        counts: dict[int, dict[str, dict[str, Count]]] = {}
        for claim_pk, kind, category, low, best, high, text in db.query(
                "SELECT claim_pk, kind, category, low, best, high, text FROM counts "
                "ORDER BY claim_pk, position"):
            groups = counts.setdefault(int(claim_pk), {"killed": {}, "injured": {}})
            groups[kind][category] = Count(_int(low), _int(best), _int(high), text)
        claims: dict[int, list[Claim]] = {}
        for pk, incident_pk, claimed_by, denial in db.query(
                "SELECT pk, incident_pk, claimed_by, denial FROM claims ORDER BY incident_pk, position"):
            groups = counts.get(int(pk), {"killed": {}, "injured": {}})
            claims.setdefault(int(incident_pk), []).append(Claim(
                claimed_by=claimed_by, killed=groups["killed"], injured=groups["injured"],
                denial=bool(denial), evidence=evidence.get(int(pk), [])))
        out = []
        for r in db.query(
                "SELECT i.pk, i.article_pk, a.article_id, a.outlet, a.published, i.position, "
                "i.event_type, i.date, i.date_end, i.date_precision, i.place, i.admin1, i.country, "
                "i.lat, i.lon, i.place_precision, i.perpetrator, i.target "
                "FROM incidents i JOIN articles a ON a.pk = i.article_pk "
                "ORDER BY i.article_pk, i.position"):
            incident = Incident(
                event_type=r[6], date=r[7], date_end=r[8], date_precision=r[9],
                location=Location(r[10], r[11], r[12], r[13], r[14], r[15]),
                perpetrator=json.loads(r[16]), target=r[17], claims=claims.get(int(r[0]), []))
            out.append(StoredIncident(pk=int(r[0]), article_pk=int(r[1]), article_id=r[2],
                                      outlet=r[3], published=r[4], index=int(r[5]), incident=incident))
        return out

    def records(self) -> Iterator[tuple[StoredArticle, ArticleRecord]]:
        """Each stored article with its ArticleRecord rebuilt (as the extractor emitted it)."""
        by_article: dict[int, list[Incident]] = {}
        for si in self.incidents():
            by_article.setdefault(si.article_pk, []).append(si.incident)
        for art in self.articles():
            yield art, ArticleRecord(art.article_id, art.published, by_article.get(art.pk, []),
                                     art.summary or Summary())

    def counts(self) -> dict[str, int]:
        """Rows per table (a quick look for the CLI and the tests)."""
        return {t: int(self.db.one(f"SELECT COUNT(*) FROM {t}")[0])
                for t in ("articles", "incidents", "claims", "counts", "evidence", "links",
                          "link_members", "wire_groups", "reference", "verifications")}

    # -- links ------------------------------------------------------------------------------

    def save_links(self, links: list[LinkedIncident]) -> None:
        """Replace all links and their wire groups, in one transaction."""
        with self.db.transaction():
            self.db.execute("DELETE FROM wire_groups")
            self.db.execute("DELETE FROM link_members")
            self.db.execute("DELETE FROM links")
            self.db.executemany("INSERT INTO links (id, n_members) VALUES (?, ?)",
                                [(int(link.id), len(link.members)) for link in links])
            self.db.executemany(
                "INSERT INTO link_members (link_id, position, incident_pk) VALUES (?, ?, ?)",
                [(int(link.id), i, int(m)) for link in links for i, m in enumerate(link.members)])
            self.db.executemany(
                "INSERT INTO wire_groups (link_id, group_no, position, article_pk) VALUES (?, ?, ?, ?)",
                [(int(link.id), g, i, int(a)) for link in links
                 for g, group in enumerate(link.wire_groups) for i, a in enumerate(group)])

    def links(self) -> list[LinkedIncident]:
        out: dict[int, LinkedIncident] = {}
        for (link_id,) in self.db.query("SELECT id FROM links ORDER BY id"):
            out[int(link_id)] = LinkedIncident(id=int(link_id), members=[], wire_groups=[])
        for link_id, incident_pk in self.db.query(
                "SELECT link_id, incident_pk FROM link_members ORDER BY link_id, position"):
            out[int(link_id)].members.append(int(incident_pk))
        groups: dict[tuple[int, int], list[int]] = {}
        for link_id, group_no, article_pk in self.db.query(
                "SELECT link_id, group_no, article_pk FROM wire_groups ORDER BY link_id, group_no, position"):
            groups.setdefault((int(link_id), int(group_no)), []).append(int(article_pk))
        for (link_id, _), group in groups.items():
            out[link_id].wire_groups.append(group)
        return list(out.values())

    # -- reference records ------------------------------------------------------------------

    _REF_COLUMNS = ("source", "ref_id", "date", "date_end", "country", "admin1", "place", "lat",
                    "lon", "event_type", "actor", "killed_low", "killed_best", "killed_high",
                    "civilians", "raw")

    def add_reference(self, records: Iterable[ReferenceRecord]) -> int:
        """Insert or update reference records by (source, ref_id); returns how many were new."""
        cols = self._REF_COLUMNS
        sets = ", ".join(f"{c} = excluded.{c}" for c in cols[2:])
        sql = (f"INSERT INTO reference ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
               f"ON CONFLICT (source, ref_id) DO UPDATE SET {sets}")
        rows = [(r.source, str(r.ref_id), r.date, r.date_end, r.country, r.admin1, r.place, r.lat,
                 r.lon, r.event_type, r.actor, r.killed_low, r.killed_best, r.killed_high,
                 r.civilians, json.dumps(r.raw or {}, ensure_ascii=False, sort_keys=True))
                for r in records]
        with self.db.transaction():
            before = int(self.db.one("SELECT COUNT(*) FROM reference")[0])
            for start in range(0, len(rows), 5000):
                self.db.executemany(sql, rows[start:start + 5000])
            after = int(self.db.one("SELECT COUNT(*) FROM reference")[0])
        return after - before

    def reference(self, source: str | None = None, date_from: str | None = None,
                  date_to: str | None = None) -> list[ReferenceRecord]:
        """Reference records, optionally of one source and within dates (inclusive, ISO)."""
        where, params = [], []
        if source is not None:
            where.append("source = ?")
            params.append(source)
        if date_from is not None:
            where.append("COALESCE(date_end, date) >= ?")
            params.append(date_from)
        if date_to is not None:
            where.append("date <= ?")
            params.append(date_to)
        sql = f"SELECT {', '.join(self._REF_COLUMNS)} FROM reference"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY source, date, ref_id"
        out = []
        for r in self.db.query(sql, params):
            out.append(ReferenceRecord(
                source=r[0], ref_id=r[1], date=r[2], date_end=r[3], country=r[4], admin1=r[5],
                place=r[6], lat=r[7], lon=r[8], event_type=r[9], actor=r[10],
                killed_low=_int(r[11]), killed_best=_int(r[12]), killed_high=_int(r[13]),
                civilians=_int(r[14]), raw=json.loads(r[15])))
        return out

    # -- verifications ----------------------------------------------------------------------

    def save_verifications(self, items: list[Verification]) -> None:
        """Store verifications, replacing those of the same articles (one per article)."""
        rows = [(int(v.article_pk), v.article_id, float(v.score),
                 json.dumps(v.reasons, ensure_ascii=False)) for v in items]
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO verifications (article_pk, article_id, score, reasons) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_pk) DO UPDATE SET article_id = excluded.article_id, "
                "score = excluded.score, reasons = excluded.reasons", rows)

    def verifications(self) -> list[Verification]:
        return [Verification(article_pk=int(r[0]), article_id=r[1], score=float(r[2]),
                             reasons=json.loads(r[3]))
                for r in self.db.query("SELECT article_pk, article_id, score, reasons "
                                       "FROM verifications ORDER BY article_pk")]


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating as needed) the database at ``url``.

    None: the SQLite file ``sitrep.db`` in the working directory; ``path.db`` or
    ``sqlite:///path.db``: a SQLite file; ``postgresql://user@host:port/db``: PostgreSQL.
    """
    db = Database(url)
    try:
        return Store(db)
    except BaseException:
        db.close()
        raise


__all__ = ["Store", "open_store", "content_hash", "normalise_text", "is_newer",
           "ADDED", "UNCHANGED", "REPLACED"]
