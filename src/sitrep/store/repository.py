"""The Store: articles, incidents, claims and evidence in and out of the database.

Identity and idempotency. An article is keyed by ``content_hash`` (sha256 of its text with
whitespace collapsed), unique in the schema. ``add`` inserts with ``ON CONFLICT DO NOTHING``:
the same text again is ``"unchanged"``; the same text stored by another extractor version is
``"replaced"`` (its incidents, claims and evidence deleted and written anew; the article keeps
its key). Each ``add`` is one transaction, so a process killed at any point leaves each
article either whole or absent, and running the batch again completes it.

Everything else that the later stages save (links, reference records, verifications, the
reconciled-incident index) is written here too, so that only this package speaks SQL.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
import unicodedata
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator

from ..records import (Article, ArticleRecord, Claim, Count, Incident, Location, Span, incident_figures,
                       Summary)
from .changes import IndexChanges
from .db import Database
from .migrations import migrate
from .model import (Correction, IncidentQuery, IndexedIncident, IndexExtension, LinkedIncident, OutletStats,
                    ReferenceRecord, StoredArticle, StoredIncident, Verification)

ADDED, UNCHANGED, REPLACED = "added", "unchanged", "replaced"
PAGE = 1000  # rows per query when streaming articles
IN_CHUNK = 500  # keys per IN (...) list
IN_LITERALS = 2000  # matching actor or place values written into a filter as a list (more: a subquery)
SELECTIVE_SHARE = 0.3  # a filter keeping at most this share of rows is read through its own index
GUESSED_SHARE = 0.25   # the share assumed for admin1 and disputed filters (not counted)
TOP_ACTORS = 50  # actors the facets list
INDEX_LOCK = 0x5173_7265_7002  # PostgreSQL advisory lock: one writer of the index at a time

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


def _stamp() -> str:
    """A time stamp that is unique, not merely later: two writes within one clock tick differ."""
    return f"{datetime.now(timezone.utc).isoformat(timespec='microseconds')} {uuid.uuid4().hex[:8]}"


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
                     "target", "killed_low", "killed_best", "killed_high", "injured_best", "n_claims",
                     "disorder_type", "acled_event_type", "sub_event_type")
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
        with self.db.transaction():
            return self._add(article, record, extractor_version)

    def add_many(self, items: Iterable[tuple[Article, ArticleRecord]], extractor_version: str) -> list[str]:
        """As ``add`` for each (article, record), all in ONE transaction (bulk loads: one commit,
        not one per article); all or nothing. The outcomes, in order."""
        items = list(items)
        for article, _ in items:
            _check_no_nul(article)  # refuse before writing anything
        with self.db.transaction():
            return [self._add(article, record, extractor_version) for article, record in items]

    def _add(self, article: Article, record: ArticleRecord, extractor_version: str) -> str:
        """``add`` inside the caller's transaction."""
        hash_ = content_hash(article.text)
        values = self._article_values(hash_, article, record, extractor_version)
        db = self.db
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
        self.index_changes.replacing(int(pk))
        held = sorted({int(r[0]) for r in db.query(
            "SELECT m.link_id FROM link_members m JOIN incidents i ON i.pk = m.incident_pk WHERE i.article_pk = ?",
            (pk,))})
        db.execute("DELETE FROM incidents WHERE article_pk = ?", (pk,))
        db.execute("DELETE FROM verifications WHERE article_pk = ?", (pk,))
        self._write_incidents(int(pk), record.incidents)
        self.index_changes.incidents(self.incidents_of_articles([int(pk)]))
        # the next incremental link relinks it, and the links it leaves short (sitrep.link.incremental)
        db.execute("INSERT INTO link_state_replaced (article_pk, links) VALUES (?, ?)",
                   (int(pk), " ".join(map(str, held))))
        # The rewritten incidents may take back the keys just freed (SQLite reuses the
        # highest), leaving counts and keys as they were: the stamp tells `fingerprint`.
        # Written last, so that concurrent writers hold this one row for the least time.
        self.db.set_meta("articles_replaced_at", _stamp())
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
                         *incident_figures(inc), len(inc.claims),
                         inc.disorder_type, inc.acled_event_type, inc.sub_event_type))
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

    _ARTICLE_SELECT = ("SELECT pk, article_id, content_hash, text, title, published, outlet, source, "
                       "extractor_version, summary_date, summary_location, summary_actor, "
                       "summary_cause_of_death, nb_civilians, nb_children, nb_women, nb_noncivilians "
                       "FROM articles")

    @staticmethod
    def _stored_article(r: tuple) -> StoredArticle:
        return StoredArticle(
            pk=int(r[0]), article_id=r[1], content_hash=r[2], text=r[3], title=r[4],
            published=r[5], outlet=r[6], source=r[7], extractor_version=r[8],
            summary=Summary(date=r[9], location=r[10], actor=r[11], cause_of_death=r[12],
                            nb_civilians=int(r[13]), nb_children=int(r[14]),
                            nb_women=int(r[15]), nb_noncivilians=int(r[16])))

    def articles(self, text: bool = True) -> Iterator[StoredArticle]:
        """Every stored article with its summary, in key order (streamed page by page);
        ``text=False``: each with an empty text, which is then not read at all."""
        select = self._ARTICLE_SELECT if text else self._ARTICLE_SELECT.replace(" text,", " '' AS text,", 1)
        last = -1
        while True:
            rows = self.db.query(f"{select} WHERE pk > ? ORDER BY pk LIMIT {PAGE}", (last,))
            for r in rows:
                yield self._stored_article(r)
            if len(rows) < PAGE:
                return
            last = int(rows[-1][0])

    def article(self, pk: int) -> StoredArticle | None:
        row = self.db.one(f"{self._ARTICLE_SELECT} WHERE pk = ?", (int(pk),))
        return self._stored_article(row) if row else None

    def article_pk(self, hash_: str) -> int | None:
        """The key of the article with this content hash (see ``content_hash``); None if absent."""
        row = self.db.one("SELECT pk FROM articles WHERE content_hash = ?", (hash_,))
        return int(row[0]) if row else None

    def article_page(self, outlet: str | None, limit: int, offset: int) -> tuple[int, list[StoredArticle]]:
        """(how many articles there are, of ``outlet`` if given, and a page of them in key order)."""
        where, params = ("", []) if outlet is None else (" WHERE outlet = ?", [outlet])
        total = int(self.db.one(f"SELECT COUNT(*) FROM articles{where}", params)[0])
        rows = self.db.query(f"{self._ARTICLE_SELECT}{where} ORDER BY pk LIMIT ? OFFSET ?",
                             [*params, int(limit), int(offset)])
        return total, [self._stored_article(r) for r in rows]

    def article_labels(self, pks: Iterable[int] | None = None) -> dict[int, tuple[str, str | None]]:
        """pk -> (article_id, outlet) of every article (or of those of ``pks``), without
        reading the texts."""
        sql = "SELECT pk, article_id, outlet FROM articles"
        if pks is None:
            return {int(pk): (article_id, outlet) for pk, article_id, outlet in self.db.query(sql)}
        wanted = sorted({int(pk) for pk in pks})
        return {int(pk): (article_id, outlet) for start in range(0, len(wanted), IN_CHUNK)
                for pk, article_id, outlet in self.db.query(
                    sql + f" WHERE pk IN ({', '.join('?' for _ in wanted[start:start + IN_CHUNK])})",
                    wanted[start:start + IN_CHUNK])}

    def incidents(self) -> list[StoredIncident]:
        """Every stored incident, its records.Incident rebuilt with claims, counts and evidence."""
        return self._incidents("", [])

    def iter_incidents(self, evidence: bool = True) -> Iterator[StoredIncident]:
        """As ``incidents()``, in the same order, read the incidents of ``PAGE`` articles at a
        time: a stage that reads each incident once holds one page in memory, not the store.
        ``evidence=False``: claims without their evidence spans, which are then not read."""
        last = -1
        while True:
            rows = self.db.query("SELECT DISTINCT article_pk FROM incidents WHERE article_pk > ? "
                                 f"ORDER BY article_pk LIMIT {PAGE}", (last,))
            if not rows:
                return
            top = int(rows[-1][0])
            yield from self._incidents(" IN (SELECT pk FROM incidents WHERE article_pk > ? AND article_pk <= ?)",
                                       [last, top], evidence)
            last = top

    def stored_incidents(self, pks: Iterable[int]) -> list[StoredIncident]:
        """As ``incidents()``, only those with these keys (unknown keys are left out)."""
        keys = sorted({int(pk) for pk in pks})
        out: list[StoredIncident] = []
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            out += self._incidents(f" IN ({', '.join('?' for _ in chunk)})", chunk)
        out.sort(key=lambda si: (si.article_pk, si.index))
        return out

    def _incidents(self, pk_in: str, params: list, with_evidence: bool = True) -> list[StoredIncident]:
        """Incidents rebuilt; ``pk_in`` ("" for all, else " IN (?, ...)") restricts their keys."""
        db = self.db
        claims_of = f" JOIN claims c ON c.pk = x.claim_pk WHERE c.incident_pk{pk_in}" if pk_in else ""
        evidence: dict[int, list[Span]] = {}
        for claim_pk, start, end, text in db.query(
                "SELECT x.claim_pk, x.start_offset, x.end_offset, x.text FROM evidence x"
                f"{claims_of} ORDER BY x.claim_pk, x.position", params) if with_evidence else ():
            evidence.setdefault(int(claim_pk), []).append(Span(int(start), int(end), text))
        counts: dict[int, dict[str, dict[str, Count]]] = {}
        for claim_pk, kind, category, low, best, high, text in db.query(
                "SELECT x.claim_pk, x.kind, x.category, x.low, x.best, x.high, x.text FROM counts x"
                f"{claims_of} ORDER BY x.claim_pk, x.position", params):
            groups = counts.setdefault(int(claim_pk), {"killed": {}, "injured": {}})
            groups[kind][category] = Count(_int(low), _int(best), _int(high), text)
        claims: dict[int, list[Claim]] = {}
        for pk, incident_pk, claimed_by, denial in db.query(
                "SELECT pk, incident_pk, claimed_by, denial FROM claims"
                f"{' WHERE incident_pk' + pk_in if pk_in else ''} ORDER BY incident_pk, position", params):
            groups = counts.get(int(pk), {"killed": {}, "injured": {}})
            claims.setdefault(int(incident_pk), []).append(Claim(
                claimed_by=claimed_by, killed=groups["killed"], injured=groups["injured"],
                denial=bool(denial), evidence=evidence.get(int(pk), [])))
        out = []
        for r in db.query(
                "SELECT i.pk, i.article_pk, a.article_id, a.outlet, a.published, i.position, "
                "i.event_type, i.date, i.date_end, i.date_precision, i.place, i.admin1, i.country, "
                "i.lat, i.lon, i.place_precision, i.perpetrator, i.target, "
                "i.disorder_type, i.acled_event_type, i.sub_event_type "
                "FROM incidents i JOIN articles a ON a.pk = i.article_pk"
                f"{' WHERE i.pk' + pk_in if pk_in else ''} ORDER BY i.article_pk, i.position", params):
            incident = Incident(
                event_type=r[6], date=r[7], date_end=r[8], date_precision=r[9],
                location=Location(r[10], r[11], r[12], r[13], r[14], r[15]),
                perpetrator=json.loads(r[16]), target=r[17], claims=claims.get(int(r[0]), []),
                disorder_type=r[18], acled_event_type=r[19], sub_event_type=r[20])
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

    def incident_keys(self, pks: Iterable[int] | None = None) -> dict[int, str]:
        """Stored incident pk -> its key '<article content hash>:<position in the article>':
        what names an incident across re-extraction and re-linking (sitrep.review). All of
        them, or those of ``pks``."""
        sql = "SELECT i.pk, a.content_hash, i.position FROM incidents i JOIN articles a ON a.pk = i.article_pk"
        if pks is None:
            rows = self.db.query(sql)
        else:
            wanted = [int(pk) for pk in pks]
            rows = [r for start in range(0, len(wanted), IN_CHUNK)
                    for r in self.db.query(sql + f" WHERE i.pk IN ({', '.join('?' for _ in wanted[start:start + IN_CHUNK])})",
                                           wanted[start:start + IN_CHUNK])]
        return {int(pk): f"{h}:{int(pos)}" for pk, h, pos in rows}

    # -- corrections (sitrep.review) --------------------------------------------------------

    _CORRECTION_COLUMNS = ("uid", "action", "field", "target", "old_value", "new_value", "note",
                           "author", "created_at", "hashes")

    def add_corrections(self, corrections: Iterable[Correction]) -> list[Correction]:
        """Store corrections in one transaction, each after every one stored before (its
        ``seq``); one whose ``uid`` is already stored is skipped. The ones stored, with their
        ``seq`` (``fingerprint`` counts them)."""
        stored: list[Correction] = []
        with self.db.transaction():
            for c in corrections:
                keys = list(c.target) + [k for k in (c.new if c.action in ("merge", "split") else []) or []]
                hashes = _wrap(sorted({str(k).split(":", 1)[0] for k in keys}))
                rows = self.db.query(
                    f"INSERT INTO corrections ({', '.join(self._CORRECTION_COLUMNS)}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING RETURNING seq",
                    (c.uid, c.action, c.field, _dumps(list(c.target)), _dumps(c.old), _dumps(c.new),
                     c.note, c.author, c.created_at, hashes))
                if rows:
                    c.seq = int(rows[0][0])
                    stored.append(c)
        return stored

    def corrections(self) -> list[Correction]:
        """Every correction, in the order they were made."""
        return [Correction(action=a, target=json.loads(t), author=au, created_at=at, uid=u, field=f,
                           old=json.loads(o) if o is not None else None,
                           new=json.loads(n) if n is not None else None, note=note, seq=int(seq))
                for seq, u, a, f, t, o, n, note, au, at in self.db.query(
                    "SELECT seq, uid, action, field, target, old_value, new_value, note, author, created_at "
                    "FROM corrections ORDER BY seq")]

    def has_corrections(self) -> bool:
        return self.db.one("SELECT 1 FROM corrections LIMIT 1") is not None

    def corrections_regroup_or_name(self, hash_: str) -> bool:
        """Whether any correction merges or splits incidents, or names an incident of the
        article ``hash_``."""
        contains = "instr" if self.db.dialect == "sqlite" else "strpos"
        return self.db.one(f"SELECT 1 FROM corrections WHERE action IN ('merge', 'split') "
                           f"OR {contains}(hashes, ?) > 0 LIMIT 1", (f"|{hash_}|",)) is not None

    def has_regrouping_corrections(self) -> bool:
        """Whether any correction merges or splits incidents."""
        return self.db.one("SELECT 1 FROM corrections WHERE action IN ('merge', 'split') LIMIT 1") is not None

    def only_corrections_since(self, fingerprint_before: str, seq: int) -> str | None:
        """Inside ``index_transaction``: the store's fingerprint when the index was current at
        ``fingerprint_before`` and nothing has been stored since but corrections up to the one
        numbered ``seq`` (the last); else None."""
        if self.index_version() != fingerprint_before:
            return None
        now = self.fingerprint()   # read first: a write after it leaves the index stale, not wrong
        before, _, held = fingerprint_before.rpartition("; corrections ")
        rest, _, current = now.rpartition("; corrections ")
        n = held.partition("/")[0]
        if rest != before or not n.isdigit() or current != f"{int(n) + 1}/{int(seq)}":
            return None   # something else was stored, or another correction besides this one
        return now

    def update_index_review(self, incident_id: int, summary: dict, payload: dict, status: str,
                            version: str) -> None:
        """Inside ``index_transaction``: one indexed incident's review status, summary and
        payload replaced, and the index's version set."""
        if not self.db._in_tx:
            raise RuntimeError("update_index_review runs inside index_transaction")
        self.db.execute("UPDATE reconciled SET review_status = ? WHERE id = ?", (status, int(incident_id)))
        self.db.execute("UPDATE reconciled_docs SET summary = ?, payload = ? WHERE id = ?",
                        (_dumps(summary), _dumps(payload), int(incident_id)))
        self.db.set_meta("index_version", version)

    # -- links ------------------------------------------------------------------------------

    def save_links(self, links: list[LinkedIncident]) -> str:
        """Replace all links and their wire groups, in one transaction (and mark the time, so
        that ``fingerprint`` changes); returns the mark ('links_saved_at')."""
        with self.db.transaction():
            stamp = _stamp()
            self.db.set_meta("links_saved_at", stamp)
            self.db.execute("DELETE FROM wire_groups")
            self.db.execute("DELETE FROM link_members")
            self.db.execute("DELETE FROM links")
            self._insert_links(links)
            self.index_changes.everything()
        return stamp

    def replace_links(self, gone: Iterable[int], links: list[LinkedIncident]) -> str:
        """Inside the caller's transaction: the links ``gone`` (ids) deleted and ``links``
        written (an incremental relink), the time marked as ``save_links`` marks it."""
        stamp = _stamp()
        self.db.set_meta("links_saved_at", stamp)
        gone = sorted({int(g) for g in gone})
        # what the index must group again: every member the links held and hold now (a
        # link's id is its smallest member when saved: it may have gone since)
        regrouped = set(gone) | {int(m) for link in links for m in link.members}
        for start in range(0, len(gone), IN_CHUNK):
            chunk = gone[start:start + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            regrouped.update(int(r[0]) for r in self.db.query(
                f"SELECT incident_pk FROM link_members WHERE link_id IN ({marks})", chunk))
            for table, column in (("wire_groups", "link_id"), ("link_members", "link_id"), ("links", "id")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        self._insert_links(links)
        self.index_changes.incidents(regrouped)
        return stamp

    def link_totals(self) -> tuple[int, int, int]:
        """(links, incidents they join, wire groups within them)."""
        links, members = self.db.one("SELECT COUNT(*), COALESCE(SUM(n_members), 0) FROM links")
        groups = self.db.one("SELECT COUNT(*) FROM (SELECT DISTINCT link_id, group_no FROM wire_groups) g")[0]
        return int(links), int(members), int(groups)

    def links_saved_at(self) -> str | None:
        return self.db.meta("links_saved_at")

    def links_holding(self, incident_pks: Iterable[int], short: bool | Iterable[int] = True) -> list[LinkedIncident]:
        """The links that hold any of these incidents, and with ``short`` those that lost a
        member since they were saved (a replaced article's incidents are deleted, and their
        membership with them), with their members and wire groups. ``short`` may name the
        links that can have lost one (the replacement log's): only those are counted."""
        keys = sorted({int(pk) for pk in incident_pks})
        ids: set[int] = set()
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            ids |= {int(r[0]) for r in self.db.query(
                f"SELECT DISTINCT link_id FROM link_members WHERE incident_pk IN ({', '.join('?' for _ in chunk)})",
                chunk)}
        if short is True:
            ids.update(int(r[0]) for r in self.db.query(
                "SELECT l.id FROM links l LEFT JOIN (SELECT link_id, COUNT(*) AS n FROM link_members GROUP BY link_id) m "
                "ON m.link_id = l.id WHERE COALESCE(m.n, 0) <> l.n_members"))
        elif short is not False:
            named = sorted({int(i) for i in short})
            for start in range(0, len(named), IN_CHUNK):
                chunk = named[start:start + IN_CHUNK]
                ids.update(int(r[0]) for r in self.db.query(
                    f"SELECT l.id FROM links l WHERE l.id IN ({', '.join('?' for _ in chunk)}) AND l.n_members <> "
                    "(SELECT COUNT(*) FROM link_members m WHERE m.link_id = l.id)", chunk))
        return self._links_by_id(sorted(ids))

    def _links_by_id(self, ids: list[int]) -> list[LinkedIncident]:
        out = {i: LinkedIncident(id=i, members=[], wire_groups=[]) for i in ids}
        groups: dict[tuple[int, int], list[int]] = {}
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start:start + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            for link_id, pk in self.db.query(f"SELECT link_id, incident_pk FROM link_members WHERE link_id IN ({marks}) "
                                             "ORDER BY link_id, position", chunk):
                out[int(link_id)].members.append(int(pk))
            for link_id, group_no, pk in self.db.query(
                    f"SELECT link_id, group_no, article_pk FROM wire_groups WHERE link_id IN ({marks}) "
                    "ORDER BY link_id, group_no, position", chunk):
                groups.setdefault((int(link_id), int(group_no)), []).append(int(pk))
        for (link_id, _), group in sorted(groups.items()):
            out[link_id].wire_groups.append(group)
        return list(out.values())

    def incidents_of_articles(self, article_pks: Iterable[int]) -> list[int]:
        keys = sorted({int(pk) for pk in article_pks})
        out: list[int] = []
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            out += [int(r[0]) for r in self.db.query(
                f"SELECT pk FROM incidents WHERE article_pk IN ({', '.join('?' for _ in chunk)})", chunk)]
        return sorted(out)

    def incidents_dated(self, first: str, last: str) -> list[int]:
        """The incidents whose date (ISO text) lies between ``first`` and ``last``, inclusive."""
        return [int(r[0]) for r in self.db.query(
            "SELECT pk FROM incidents WHERE date >= ? AND date <= ?", (first, last + "~"))]

    def articles_by_pk(self, pks: Iterable[int]) -> dict[int, StoredArticle]:
        keys = sorted({int(pk) for pk in pks})
        out: dict[int, StoredArticle] = {}
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            for r in self.db.query(f"{self._ARTICLE_SELECT} WHERE pk IN ({', '.join('?' for _ in chunk)})", chunk):
                out[int(r[0])] = self._stored_article(r)
        return out

    def _insert_links(self, links: list[LinkedIncident]) -> None:
        self.db.executemany("INSERT INTO links (id, n_members) VALUES (?, ?)",
                            [(int(link.id), len(link.members)) for link in links])
        self.db.executemany(
            "INSERT INTO link_members (link_id, position, incident_pk) VALUES (?, ?, ?)",
            [(int(link.id), i, int(m)) for link in links for i, m in enumerate(link.members)])
        self.db.executemany(
            "INSERT INTO wire_groups (link_id, group_no, position, article_pk) VALUES (?, ?, ?, ?)",
            [(int(link.id), g, i, int(a)) for link in links
             for g, group in enumerate(link.wire_groups) for i, a in enumerate(group)])

    @property
    def link_state(self) -> "LinkState":
        """What the last link read of the store (``sitrep.link.incremental`` keeps it)."""
        from .linkstate import LinkState
        return LinkState(self.db)

    @property
    def index_changes(self) -> "IndexChanges":
        """What the index must look at again (written by the writes above, read by its update)."""
        return IndexChanges(self.db)

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

    # -- the reconciled-incident index ------------------------------------------------------

    def fingerprint(self) -> str:
        """Changes whenever the stored articles, incidents, links or corrections change (cheap:
        three aggregates on keys and two meta rows): new articles, incidents and corrections
        move the counts and keys (corrections are never deleted); saving links and replacing
        an article's records each write a stamp."""
        incidents = self.db.one("SELECT COUNT(*), MAX(pk) FROM incidents")
        articles = self.db.one("SELECT COUNT(*), MAX(pk) FROM articles")
        return self._fingerprint_of(incidents, articles, self._stamps())

    def _stamps(self) -> str:
        n, last = self.db.one("SELECT COUNT(*), MAX(seq) FROM corrections")
        # the index's version, this fingerprint, says up to where it read the change log
        return (f"links {self.db.meta('links_saved_at') or '-'}; "
                f"replaced {self.db.meta('articles_replaced_at') or '-'}; "
                f"changes {self.index_changes.last()}; "
                f"corrections {int(n)}/{int(last or 0)}")

    @staticmethod
    def _fingerprint_of(incidents: tuple, articles: tuple, stamps: str) -> str:
        """The fingerprint of (count, max key) of the incidents and of the articles, and the
        stamps of the last links saved and the last article replaced."""
        return (f"incidents {int(incidents[0])}/{int(incidents[1] or 0)}; "
                f"articles {int(articles[0])}/{int(articles[1] or 0)}; {stamps}")

    def index_version(self) -> str | None:
        """The fingerprint the index was built from (None: never built)."""
        return self.db.meta("index_version")

    _INDEX_COLUMNS = ("id", "event_type", "date", "date_end", "date_precision", "place", "admin1",
                      "admin1_key", "country", "lat", "lon", "perpetrator", "actors_id", "places_id",
                      "killed", "injured", "number_of_sources", "n_reports", "disputed", "flags",
                      "sub_event_type", "review_status", "grouping")
    _INDEX_TABLES = ("reconciled_outlets", "reconciled_members", "reconciled_docs", "reconciled", "reconciled_actors",
                     "reconciled_places", "outlet_stats")

    _OUTLET_COLUMNS = ("outlet", "articles", "figures", "agreeing", "wire_copies", "detail")
    _VALUE_TABLES = (("actors", "reconciled_actors", "actors"), ("places", "reconciled_places", "place_keys"))

    @staticmethod
    def _index_row(r: IndexedIncident, actors_id: int, places_id: int) -> tuple:
        """The row of ``reconciled`` (``_INDEX_COLUMNS``) of an indexed incident."""
        return (int(r.id), r.event_type, r.date, r.date_end, r.date_precision, r.place, r.admin1,
                r.admin1.lower() if r.admin1 else None, r.country.upper() if r.country else None,
                r.lat, r.lon, r.perpetrator, actors_id, places_id,
                r.killed, r.injured, int(r.number_of_sources), int(r.n_reports), bool(r.disputed),
                _dumps(list(r.flags)), r.sub_event_type, r.review_status, r.grouping)

    @staticmethod
    def _outlet_row(o: OutletStats) -> tuple:
        return (o.outlet, int(o.articles), int(o.figures), int(o.agreeing), int(o.wire_copies), _dumps(o.detail))

    def _lock_index(self) -> None:
        """Inside a transaction: one writer of the index at a time (SQLite: BEGIN IMMEDIATE
        does it), so that an index extended by one article and one rebuilt never interleave."""
        if self.db.dialect == "postgresql":
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (INDEX_LOCK,))

    def save_index(self, rows: Iterable[IndexedIncident],
                   outlets: list[OutletStats] | Callable[[], list[OutletStats]], version: str) -> None:
        """Replace the index (reconciled incidents, their members, outlet statistics, facets)
        and set its version, in one transaction: readers see the old index or the new one.
        ``outlets`` may be a function, called once the rows are read (a build that tallies
        them on the way).

        The rows are turned into table rows first and written after, so that the write lock
        is held only while writing (an ingest or a link waits that long, not while the
        caller computes the rows)."""
        facets = _Facets()
        values: dict[str, dict[str, list[int]]] = {"actors": {}, "places": {}}  # '|a|b|' -> [id, rows]

        def value_id(kind: str, names: list[str]) -> int:
            entry = values[kind].setdefault(_wrap(names), [len(values[kind]) + 1, 0])
            entry[1] += 1
            return entry[0]

        reconciled: list[tuple] = []
        docs: list[tuple] = []
        members: list[tuple] = []
        outlets_of: list[tuple] = []
        for r in rows:
            facets.add(r)
            reconciled.append(self._index_row(r, value_id("actors", r.actors), value_id("places", r.place_keys)))
            docs.append((int(r.id), _dumps(r.summary), _dumps(r.payload)))
            members += [(int(r.id), int(a), int(i)) for a, i in r.members]
            outlets_of += self._outlet_contributions(r)
        if callable(outlets):
            outlets = outlets()
        db = self.db
        with db.transaction():
            self._lock_index()
            for table in self._INDEX_TABLES:
                db.execute(f"DELETE FROM {table}")
            for kind, table, column in self._VALUE_TABLES:  # first: reconciled rows refer to them
                db.insert_rows(table, ("id", column, "n"),
                               [(i, value, n) for value, (i, n) in values[kind].items()])
            db.insert_rows("reconciled", self._INDEX_COLUMNS, reconciled)
            db.insert_rows("reconciled_docs", ("id", "summary", "payload"), docs)
            db.insert_rows("reconciled_members", ("incident_id", "article_pk", "incident_pk"), members)
            db.insert_rows("reconciled_outlets", self._CONTRIBUTION_COLUMNS, outlets_of)
            db.insert_rows("outlet_stats", self._OUTLET_COLUMNS, [self._outlet_row(o) for o in outlets])
            self.db.set_meta("facets", _dumps(facets.result()))
            self.db.set_meta("index_max_span", "" if facets.max_span is None else str(facets.max_span))
            self.set_index_version(version)
            # Fresh statistics, so that the planner weighs the filters' indexes by what they hold.
            for table in ("reconciled", "reconciled_members"):
                db.execute(f"ANALYZE {table}")

    # Extending the index by one new article (sitrep.incident_index.add_article): inside
    # index_transaction, index_extension checks that the index is current but for that article
    # and says what the new rows need; append_index writes them, as save_index would have.

    @contextlib.contextmanager
    def index_transaction(self) -> Iterator["Store"]:
        """One transaction in which the index is read and extended; index writers (this and
        ``save_index``) queue on it."""
        with self.db.transaction():
            self._lock_index()
            yield self

    def index_extension(self, article_pks: Iterable[int], fingerprint_before: str) -> IndexExtension | None:
        """Inside ``index_transaction``: whether the index can take the articles ``article_pks``
        as an extension, and what their rows need; None when it cannot (a rebuild is due).

        It can when the index is the one built from ``fingerprint_before`` (the fingerprint
        taken before the articles were stored) and the store is that state plus these
        articles, the newest: their keys are above every other article's, their incidents'
        keys above every other incident's, and no link holds them (they stand alone,
        numbered by their keys, after every indexed one). Links, replacements and corrections since leave
        their stamps in the fingerprint, which must be unchanged."""
        if not self.db._in_tx:
            raise RuntimeError("index_extension runs inside index_transaction")
        db = self.db
        article_pks = sorted({int(pk) for pk in article_pks})
        if not article_pks or self.index_version() != fingerprint_before or self.db.meta("facets") is None \
                or self.db.meta("index_max_span") is None:
            return None
        articles = db.one("SELECT COUNT(*), MAX(pk) FROM articles")
        first = article_pks[0]
        # the articles are exactly those from the first of them on (none of another writer)
        if articles[1] is None or int(articles[1]) != article_pks[-1] \
                or int(db.one("SELECT COUNT(*) FROM articles WHERE pk >= ?", (first,))[0]) != len(article_pks):
            return None
        previous = db.one("SELECT pk FROM articles WHERE pk < ? ORDER BY pk DESC LIMIT 1", (first,))
        articles_before = (int(articles[0]) - len(article_pks), previous[0] if previous else None)
        pks = [int(r[0]) for r in db.query("SELECT pk FROM incidents WHERE article_pk >= ? ORDER BY pk", (first,))]
        incidents = db.one("SELECT COUNT(*), MAX(pk) FROM incidents")
        incidents_before = (int(incidents[0]), incidents[1])
        if pks:
            if int(db.one("SELECT COUNT(*) FROM incidents WHERE pk >= ?", (pks[0],))[0]) != len(pks) \
                    or int(db.one("SELECT COUNT(*) FROM link_members WHERE incident_pk >= ?", (pks[0],))[0]):
                return None
            previous = db.one("SELECT pk FROM incidents WHERE pk < ? ORDER BY pk DESC LIMIT 1", (pks[0],))
            incidents_before = (int(incidents[0]) - len(pks), previous[0] if previous else None)
        stamps = self._stamps()
        if self._fingerprint_of(incidents_before, articles_before, stamps) != fingerprint_before:
            return None
        return IndexExtension(article_pks=article_pks, incident_pks=pks,
                              version=self._fingerprint_of(incidents, articles, stamps))

    def articles_after_index(self) -> list[int] | None:
        """The keys of the articles stored after the index was built (by any process), when
        the index's version says how far it reached; None when it was never built or the
        version cannot be read. Whether they alone are new is ``index_extension``'s check."""
        version = self.index_version()
        found = re.search(r"; articles (\d+)/(\d+);", version or "")
        if found is None:
            return None
        return [int(r[0]) for r in self.db.query("SELECT pk FROM articles WHERE pk > ? ORDER BY pk",
                                                 (int(found.group(2)),))]

    def append_index(self, rows: list[IndexedIncident], outlets: list[OutletStats], version: str) -> None:
        """Inside ``index_transaction``: add ``rows`` (ids above every indexed one, in id
        order) to the index, with their members, actor and place values and facets, as
        ``save_index`` would hold them; write ``outlets`` (each outlet's statistics, whole)
        in place of those stored; and set the index's version."""
        if not self.db._in_tx:
            raise RuntimeError("append_index runs inside index_transaction")
        facets = _Facets.saved(json.loads(self.db.meta("facets") or "null"), self.db.meta("index_max_span"))
        self._insert_index_rows(rows, facets)
        self.save_outlets(outlets, [])
        self._save_facets(facets, version)

    _CONTRIBUTION_COLUMNS = ("incident_id", "outlet", "member", "figures", "agreeing", "disagrees")

    @staticmethod
    def _outlet_contributions(r: IndexedIncident) -> list[tuple]:
        return [(int(r.id), o, bool(member), int(figures), int(agreeing), bool(disagrees))
                for o, member, figures, agreeing, disagrees in r.outlets]

    def _insert_index_rows(self, rows: list[IndexedIncident], facets: "_Facets") -> None:
        """``rows`` written into the index with their members, outlet contributions, actor and
        place values (counted on; new values numbered after the highest, in order of first
        use, as ``save_index`` numbers them), and counted into ``facets``."""
        db = self.db
        rows = sorted(rows, key=lambda r: r.id)
        listed = {name for name in facets.actors}
        if len(listed) >= TOP_ACTORS:  # the saved list may leave actors out: count those named now
            for name in sorted({r.perpetrator for r in rows} - listed):
                n = int(db.one("SELECT COUNT(*) FROM reconciled WHERE perpetrator = ?", (name,))[0])
                if n:
                    facets.actors[name] = n
        ids: dict[str, dict[str, int]] = {}
        for kind, table, column in self._VALUE_TABLES:
            wrapped = [_wrap(r.actors if kind == "actors" else r.place_keys) for r in rows]
            uses = Counter(wrapped)
            known: dict[str, int] = {}
            distinct = list(uses)
            for start in range(0, len(distinct), IN_CHUNK):
                chunk = distinct[start:start + IN_CHUNK]
                known.update((value, int(i)) for i, value in db.query(
                    f"SELECT id, {column} FROM {table} WHERE {column} IN ({', '.join('?' for _ in chunk)})", chunk))
            next_id = int(db.one(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0]) + 1
            new: list[tuple] = []
            for value in distinct:  # new values numbered in order of first use, as save_index does
                if value not in known:
                    known[value] = next_id
                    new.append((next_id, value, uses[value]))
                    next_id += 1
            fresh = {value for _, value, _ in new}
            db.executemany(f"UPDATE {table} SET n = n + ? WHERE id = ?",
                           [(uses[value], known[value]) for value in distinct if value not in fresh])
            db.insert_rows(table, ("id", column, "n"), new)
            ids[kind] = known
        reconciled, docs, members, outlets_of = [], [], [], []
        for r in rows:
            facets.add(r)
            reconciled.append(self._index_row(r, ids["actors"][_wrap(r.actors)], ids["places"][_wrap(r.place_keys)]))
            docs.append((int(r.id), _dumps(r.summary), _dumps(r.payload)))
            members += [(int(r.id), int(a), int(i)) for a, i in r.members]
            outlets_of += self._outlet_contributions(r)
        db.insert_rows("reconciled", self._INDEX_COLUMNS, reconciled)
        db.insert_rows("reconciled_docs", ("id", "summary", "payload"), docs)
        db.insert_rows("reconciled_members", ("incident_id", "article_pk", "incident_pk"), members)
        db.insert_rows("reconciled_outlets", self._CONTRIBUTION_COLUMNS, outlets_of)

    def _save_facets(self, facets: "_Facets", version: str) -> None:
        self.db.set_meta("facets", _dumps(facets.result()))
        self.db.set_meta("index_max_span", "" if facets.max_span is None else str(facets.max_span))
        self.db.set_meta("index_version", version)

    def save_outlets(self, outlets: list[OutletStats], gone: Iterable[str]) -> None:
        """Inside ``index_transaction``: ``outlets`` (each outlet's statistics, whole) written
        in place of those stored, and the statistics of the outlets ``gone`` deleted."""
        db = self.db
        sets = ", ".join(f"{c} = excluded.{c}" for c in self._OUTLET_COLUMNS[1:])
        db.executemany(f"INSERT INTO outlet_stats ({', '.join(self._OUTLET_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?) "
                       f"ON CONFLICT (outlet) DO UPDATE SET {sets}", [self._outlet_row(o) for o in outlets])
        db.executemany("DELETE FROM outlet_stats WHERE outlet = ?", [(o,) for o in gone])

    # Updating the index where the store changed (sitrep.incident_index.update): inside
    # index_transaction, what it holds is read (index_groupings, unindexed_incidents), and
    # replace_index_rows swaps the rows of the incidents whose grouping changed.

    def index_groupings(self) -> dict[int, str]:
        """Indexed incident id -> its grouping (members and wire groups, as JSON)."""
        return {int(i): g for i, g in self.db.query("SELECT id, grouping FROM reconciled")}

    def incident_pks(self) -> list[int]:
        """The keys of every stored incident, ascending."""
        return [int(r[0]) for r in self.db.query("SELECT pk FROM incidents ORDER BY pk")]

    def unindexed_incidents(self) -> set[int]:
        """Stored incidents that no indexed incident holds: stored (or written again, when an
        article was replaced: SQLite may give them their old keys back) since the index was
        built."""
        return {int(r[0]) for r in self.db.query(
            "SELECT pk FROM incidents i WHERE NOT EXISTS "
            "(SELECT 1 FROM reconciled_members m WHERE m.incident_pk = i.pk)")}

    def has_index(self) -> bool:
        """Whether an index was built (its version and facets saved)."""
        return self.index_version() is not None and self.db.meta("facets") is not None \
            and self.db.meta("index_max_span") is not None

    def articles_of_incidents(self, pks: Iterable[int]) -> set[int]:
        keys = sorted({int(pk) for pk in pks})
        out: set[int] = set()
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            out |= {int(r[0]) for r in self.db.query(
                f"SELECT DISTINCT article_pk FROM incidents WHERE pk IN ({', '.join('?' for _ in chunk)})", chunk)}
        return out

    def index_articles_of(self, ids: Iterable[int]) -> set[int]:
        """The articles whose incidents the indexed incidents ``ids`` hold."""
        wanted = sorted({int(i) for i in ids})
        return {int(r[0]) for start in range(0, len(wanted), IN_CHUNK)
                for r in self.db.query("SELECT DISTINCT article_pk FROM reconciled_members WHERE incident_id IN "
                                       f"({', '.join('?' for _ in wanted[start:start + IN_CHUNK])})",
                                       wanted[start:start + IN_CHUNK])}

    def index_contributions(self, ids: Iterable[int]) -> dict[int, list[tuple[str, bool, int, int, bool]]]:
        """What the indexed incidents ``ids`` give each outlet's statistics, as
        ``IndexedIncident.outlets`` holds it: id -> [(outlet, member, figures, agreeing,
        disagrees)]."""
        wanted = sorted({int(i) for i in ids})
        out: dict[int, list[tuple[str, bool, int, int, bool]]] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start:start + IN_CHUNK]
            for i, outlet, member, figures, agreeing, disagrees in self.db.query(
                    "SELECT incident_id, outlet, member, figures, agreeing, disagrees FROM reconciled_outlets "
                    f"WHERE incident_id IN ({', '.join('?' for _ in chunk)})", chunk):
                out.setdefault(int(i), []).append((outlet, bool(member), int(figures), int(agreeing), bool(disagrees)))
        return out

    def article_hashes(self, pks: Iterable[int]) -> list[str]:
        wanted = sorted({int(pk) for pk in pks})
        return [r[0] for start in range(0, len(wanted), IN_CHUNK)
                for r in self.db.query("SELECT content_hash FROM articles WHERE pk IN "
                                       f"({', '.join('?' for _ in wanted[start:start + IN_CHUNK])})",
                                       wanted[start:start + IN_CHUNK])]

    def outlet_article_counts(self) -> dict[str, int]:
        return {o: int(n) for o, n in self.db.query(
            "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet")}

    def wire_groups_of_outlets(self, outlets: Iterable[str]) -> list[LinkedIncident]:
        """The wire groups that hold an article of any of ``outlets``, each under its link
        (members left empty), in link order and group order, as ``links`` gives them."""
        names = sorted(set(outlets))
        if not names:
            return []
        out: dict[int, LinkedIncident] = {}
        groups: dict[tuple[int, int], dict[int, int]] = {}   # (link, group) -> position -> article
        for start in range(0, len(names), IN_CHUNK):
            chunk = names[start:start + IN_CHUNK]
            for link_id, group_no, position, pk in self.db.query(
                    "SELECT w.link_id, w.group_no, w.position, w.article_pk FROM wire_groups w JOIN "
                    "(SELECT DISTINCT g.link_id, g.group_no FROM wire_groups g JOIN articles a ON a.pk = g.article_pk "
                    f"WHERE a.outlet IN ({', '.join('?' for _ in chunk)})) s "
                    "ON s.link_id = w.link_id AND s.group_no = w.group_no", chunk):
                groups.setdefault((int(link_id), int(group_no)), {})[int(position)] = int(pk)
        for (link_id, _), group in sorted(groups.items()):
            out.setdefault(link_id, LinkedIncident(id=link_id, members=[], wire_groups=[])).wire_groups.append(
                [group[p] for p in sorted(group)])
        return list(out.values())

    def outlet_figures(self, outlet: str, most: int) -> tuple[int, int, list[int], dict[str, int]]:
        """From the index: an outlet's (figures, agreeing, the first ``most`` incidents with a
        figure of it that disagrees, by id, and its partners: outlet -> incidents shared)."""
        db = self.db
        figures, agreeing = db.one("SELECT COALESCE(SUM(figures), 0), COALESCE(SUM(agreeing), 0) "
                                   "FROM reconciled_outlets WHERE outlet = ?", (outlet,))
        disagreements = self.outlet_disagreements(outlet, most)
        partners = {o: int(n) for o, n in db.query(
            "SELECT b.outlet, COUNT(*) FROM reconciled_outlets a JOIN reconciled_outlets b "
            "ON b.incident_id = a.incident_id AND b.outlet <> a.outlet AND b.member "
            "WHERE a.outlet = ? AND a.member GROUP BY b.outlet", (outlet,))}
        return int(figures), int(agreeing), disagreements, partners

    def outlet_disagreements(self, outlet: str, most: int) -> list[int]:
        """From the index: the first ``most`` incidents, by id, with a figure of the outlet
        that disagrees."""
        return [int(r[0]) for r in self.db.query(
            "SELECT incident_id FROM reconciled_outlets WHERE outlet = ? AND disagrees "
            f"ORDER BY incident_id LIMIT {int(most)}", (outlet,))]

    def replace_index_rows(self, gone: Iterable[int], rows: list[IndexedIncident]) -> None:
        """Inside ``index_transaction``: the indexed incidents ``gone`` deleted (with their
        members, documents, outlet contributions and uses of actor and place values; a value
        no row uses any more deleted, as a rebuild would not hold it) and ``rows`` written,
        the facets counted again for both. The caller sets the outlets and the version
        (``save_outlets``, ``set_index_version``)."""
        if not self.db._in_tx:
            raise RuntimeError("replace_index_rows runs inside index_transaction")
        db = self.db
        facets = _Facets.saved(json.loads(self.db.meta("facets") or "null"), self.db.meta("index_max_span"))
        gone = sorted({int(i) for i in gone})
        uses: dict[str, Counter] = {"actors_id": Counter(), "places_id": Counter()}
        refresh_actors = refresh_span = False
        for start in range(0, len(gone), IN_CHUNK):
            chunk = gone[start:start + IN_CHUNK]
            for (event_type, sub, country, admin1, perpetrator, day, day_end, actors_id,
                 places_id) in db.query(
                    "SELECT event_type, sub_event_type, country, admin1, perpetrator, date, date_end, actors_id, "
                    f"places_id FROM reconciled WHERE id IN ({', '.join('?' for _ in chunk)})", chunk):
                refresh_actors |= facets.remove(event_type, sub, country, admin1, perpetrator)
                refresh_span |= bool(day and day_end) and facets.was_longest(day, day_end)
                uses["actors_id"][int(actors_id)] += 1
                uses["places_id"][int(places_id)] += 1
            db.execute(f"DELETE FROM reconciled WHERE id IN ({', '.join('?' for _ in chunk)})", chunk)
        for (kind, table, _), column in zip(self._VALUE_TABLES, ("actors_id", "places_id")):
            db.executemany(f"UPDATE {table} SET n = n - ? WHERE id = ?",
                           [(n, i) for i, n in uses[column].items()])
            db.executemany(f"DELETE FROM {table} WHERE id = ? AND n <= 0", [(i,) for i in uses[column]])
        self._insert_index_rows(rows, facets)
        # What removals cannot count down: the first and last dates, the longest span, and
        # the most named actors when the saved list leaves some out.
        first, last = db.one("SELECT MIN(date), MAX(date) FROM reconciled")
        facets.date_min, facets.date_max = first, last
        if refresh_span:
            facets.max_span = 0
            for day, day_end in db.query("SELECT date, date_end FROM reconciled "
                                         "WHERE date IS NOT NULL AND date_end IS NOT NULL"):
                facets.add_span(day, day_end)
        if refresh_actors:
            facets.actors = Counter({name: int(n) for name, n in db.query(
                "SELECT perpetrator, COUNT(*) FROM reconciled GROUP BY perpetrator")})
        self.db.set_meta("facets", _dumps(facets.result()))
        self.db.set_meta("index_max_span", "" if facets.max_span is None else str(facets.max_span))

    def set_index_version(self, version: str) -> None:
        """The index's version set: the fingerprint it reflects; the change log trimmed to it."""
        self.db.set_meta("index_version", version)
        seq = _changes_seq(version)
        if seq is not None:
            self.index_changes.forget_before(seq)

    def index_changes_since(self, version: str, now: str) -> tuple[set[int], set[int]] | None:
        """What the change log names between the index's ``version`` and the fingerprint
        ``now`` (incidents, indexed ids), with the incidents of the articles stored since the
        index (new articles are not logged: their keys are above the index's); None when the
        log cannot say (``IndexChanges.since``, or a version written before the log)."""
        seq, upto = _changes_seq(version), _changes_seq(now)
        found = re.search(r"; articles (\d+)/(\d+);", version)
        if seq is None or upto is None or found is None:
            return None
        logged = self.index_changes.since(seq, upto)
        if logged is None:
            return None
        incidents, indexed = logged
        incidents.update(int(r[0]) for r in self.db.query("SELECT pk FROM incidents WHERE article_pk > ?",
                                                          (int(found.group(2)),)))
        return incidents, indexed

    def index_rows_of(self, pks: Iterable[int]) -> set[int]:
        """The indexed incidents that hold any of the stored incidents ``pks``, or are
        numbered by one (a lone incident's row, whose member row a delete took along)."""
        keys = sorted({int(pk) for pk in pks})
        out: set[int] = set()
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            out.update(int(r[0]) for r in self.db.query(
                f"SELECT incident_id FROM reconciled_members WHERE incident_pk IN ({marks}) "
                f"UNION SELECT id FROM reconciled WHERE id IN ({marks})", chunk + chunk))
        return out

    def index_members(self, ids: Iterable[int]) -> set[int]:
        """The stored incidents the indexed incidents ``ids`` hold."""
        keys = sorted({int(i) for i in ids})
        out: set[int] = set()
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            out.update(int(r[0]) for r in self.db.query(
                f"SELECT incident_pk FROM reconciled_members WHERE incident_id IN ({', '.join('?' for _ in chunk)})",
                chunk))
        return out

    def _index_where(self, q: IncidentQuery) -> "_Where":
        """The WHERE terms and parameters of a query over ``reconciled``, with the share of
        rows its most selective indexed term keeps (as far as it is known)."""
        w = _Where()
        if q.since or q.until:
            w.add("date IS NOT NULL")  # undated incidents drop out, as in reconcile.select
        if q.since:
            w.add("COALESCE(date_end, date) >= ?", q.since)
            # Implied by the line above (no span is longer than the longest one saved): a lower
            # bound the date index can use.
            floor = _days_before(q.since, self.db.meta("index_max_span"))
            if floor is not None:
                w.add("date >= ?", floor)
        if q.until:
            w.add("date <= ?", q.until)
        if q.country:
            w.add("country = ?", q.country.upper())
        if q.admin1:
            w.add("admin1_key = ?", q.admin1.lower(), share=GUESSED_SHARE)
        if q.place_needles:
            self._value_filter(w, "places_id", "reconciled_places", "place_keys", list(q.place_needles))
        if q.actor_exact is not None:
            self._value_filter(w, "actors_id", "reconciled_actors", "actors",
                               [f"|{a}|" for a in q.actor_exact.split("|")])
        if q.actor_substring is not None:
            self._value_filter(w, "actors_id", "reconciled_actors", "actors", [q.actor_substring])
        if q.event_types:
            facets = self.index_facets()
            counts = {e["value"]: e["count"] for e in facets["event_types"]}
            w.add(f"event_type IN ({', '.join('?' for _ in q.event_types)})", *q.event_types,
                  share=sum(counts.get(t, 0) for t in set(q.event_types)) / max(1, facets["total"]))
        if q.sub_event_types:
            facets = self.index_facets()
            counts = {e["value"]: e["count"] for e in facets.get("sub_event_types", ())}
            w.add(f"sub_event_type IN ({', '.join('?' for _ in q.sub_event_types)})", *q.sub_event_types,
                  share=sum(counts.get(t, 0) for t in set(q.sub_event_types)) / max(1, facets["total"]))
        if q.disputed:
            w.add("disputed = ?", True, share=GUESSED_SHARE)
        if q.review_status:
            w.add(f"review_status IN ({', '.join('?' for _ in q.review_status)})", *q.review_status,
                  share=GUESSED_SHARE)
        if q.min_killed is not None:
            if int(q.min_killed) > 0:
                w.add("killed >= ?", int(q.min_killed))  # an unknown figure counts as 0: never passes
            else:
                w.add("COALESCE(killed, 0) >= ?", int(q.min_killed))
        return w

    def _value_filter(self, w: "_Where", column: str, table: str, values: str, needles: list[str]) -> None:
        """Rows whose ``column`` points to a value of ``table`` containing one of ``needles``.

        The values that match are looked up first and their keys written into the query, so
        that the planner sees a short list it can count through the column's index (a
        subquery would hide how selective it is, and SQLite would rather walk the date or
        killed index row by row); a list too long for a statement stays a subquery.
        """
        contains = "instr" if self.db.dialect == "sqlite" else "strpos"  # a plain substring test
        test = " OR ".join(f"{contains}({values}, ?) > 0" for _ in needles)
        found = self.db.query(f"SELECT id, n FROM {table} WHERE {test}", needles)
        total = max(1, int(self.db.one(f"SELECT COALESCE(SUM(n), 0) FROM {table}")[0]))
        share = sum(int(n) for _, n in found) / total
        if not found:
            w.add("1 = 0", share=0.0)
        elif len(found) <= IN_LITERALS:
            w.add(f"{column} IN ({', '.join('?' for _ in found)})", *[int(i) for i, _ in found], share=share)
        else:
            w.add(f"{column} IN (SELECT id FROM {table} WHERE {test})", *needles, share=share)

    # Nulls last and ties by id in both dialects, each order in two spellings: on the column,
    # which an index can deliver (read until the page is full: good while matches are common),
    # and on an expression of it, which makes the database sort the matching rows (good when
    # the page lies deep among few matches); and each reversed, to read a page near the end
    # from the end.
    INDEX_SORTS = {
        "date": ("date ASC NULLS LAST, id", "(date || '') ASC NULLS LAST, id"),
        "-date": ("date DESC NULLS LAST, id", "(date || '') DESC NULLS LAST, id"),
        "killed": ("killed ASC NULLS LAST, id", "(killed + 0) ASC NULLS LAST, id"),
        "-killed": ("killed DESC NULLS LAST, id", "(killed + 0) DESC NULLS LAST, id"),
        "id": ("id", "id + 0"),
    }
    _REVERSED = {
        "date": ("date DESC NULLS FIRST, id DESC", "(date || '') DESC NULLS FIRST, id DESC"),
        "-date": ("date ASC NULLS FIRST, id DESC", "(date || '') ASC NULLS FIRST, id DESC"),
        "killed": ("killed DESC NULLS FIRST, id DESC", "(killed + 0) DESC NULLS FIRST, id DESC"),
        "-killed": ("killed ASC NULLS FIRST, id DESC", "(killed + 0) ASC NULLS FIRST, id DESC"),
        "id": ("id DESC", "id + 0 DESC"),
    }

    def query_index(self, q: IncidentQuery, *, limit: int, offset: int, sort: str = "-date") -> tuple[int, list[dict]]:
        """(how many reconciled incidents match, the page of their summaries in ``sort`` order:
        "date", "-date", "killed", "-killed" (unknown last, ties by id) or "id")."""
        if sort not in self.INDEX_SORTS:
            raise ValueError(f"unknown sort {sort!r}: one of {', '.join(self.INDEX_SORTS)}")
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        w = self._index_where(q)
        total = int(self.db.one(f"SELECT COUNT(*) FROM reconciled{w.clause()}", w.params)[0])
        if total <= offset or limit == 0:
            return total, []
        limit = min(limit, total - offset)
        after = total - offset - limit           # matches after the page
        reverse = after < offset                 # nearer the end: read it from the end
        depth = (after if reverse else offset) + limit
        # Reading an order's index finds the page after about depth / share rows; past a
        # quarter of the matches, sorting the matches costs less.
        by_index, by_sorting = (self._REVERSED if reverse else self.INDEX_SORTS)[sort]
        order = by_sorting if w.terms and depth * 4 > total else by_index
        ids = [int(r[0]) for r in self.db.query(
            f"SELECT id FROM reconciled{w.clause()} ORDER BY {order} LIMIT ? OFFSET ?",
            [*w.params, limit, after if reverse else offset])]
        if reverse:
            ids.reverse()
        docs = self._docs(ids, "summary")
        return total, [docs[i] for i in ids if i in docs]

    def _docs(self, ids: list[int], column: str) -> dict[int, dict]:
        out: dict[int, dict] = {}
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start:start + IN_CHUNK]
            for i, text in self.db.query(f"SELECT id, {column} FROM reconciled_docs "
                                         f"WHERE id IN ({', '.join('?' for _ in chunk)})", chunk):
                out[int(i)] = json.loads(text)
        return out

    def index_points(self, q: IncidentQuery) -> list[tuple]:
        """(id, lat, lon, killed, event_type, date, disputed) of the matching incidents that
        have coordinates, by id."""
        w = self._index_where(q)
        return [(int(i), lat, lon, killed, event_type, day, bool(disputed))
                for i, lat, lon, killed, event_type, day, disputed in self.db.query(
                    "SELECT id, lat, lon, killed, event_type, date, disputed FROM reconciled"
                    f"{w.clause('lat IS NOT NULL', 'lon IS NOT NULL')} ORDER BY id", w.params)]

    def index_timeline(self, q: IncidentQuery) -> list[tuple[str, int, int]]:
        """(day, incidents, killed) per day an incident starts on, over the dated matching
        incidents, by day (killed: the sum of their killed figures, 0 when none is known)."""
        w = self._index_where(q)
        # Grouped on the column, the rows are read in the order of the (date, killed) index:
        # best for all rows or a span of days. Grouped on an expression, the database finds
        # the rows of a selective filter by its index first, then sorts the few it found.
        day = "date || ''" if w.share <= SELECTIVE_SHARE else "date"
        return [(d, int(n), int(killed or 0)) for d, n, killed in self.db.query(
            f"SELECT {day} AS day, COUNT(*), SUM(killed) FROM reconciled{w.clause('date IS NOT NULL')} "
            "GROUP BY day ORDER BY day", w.params)]

    def index_payloads(self, q: IncidentQuery) -> Iterator[dict]:
        """The payload (ReconciledIncident.to_dict()) of every matching incident, by id,
        read page by page."""
        w = self._index_where(q)
        last = None
        while True:
            extra = () if last is None else ("id > ?",)
            rows = self.db.query(f"SELECT id FROM reconciled{w.clause(*extra)} ORDER BY id LIMIT {PAGE}",
                                 ([] if last is None else [last]) + [*w.params])
            ids = [int(r[0]) for r in rows]
            docs = self._docs(ids, "payload")
            for i in ids:
                if i in docs:
                    yield docs[i]
            if len(ids) < PAGE:
                return
            last = ids[-1]

    def index_incident(self, id: int) -> tuple[dict, dict] | None:
        """(summary, payload) of one reconciled incident; None if the index has no such id."""
        row = self.db.one("SELECT summary, payload FROM reconciled_docs WHERE id = ?", (int(id),))
        return (json.loads(row[0]), json.loads(row[1])) if row else None

    def index_facets(self) -> dict:
        """What the index holds, for the filters: totals, date range, event types, countries,
        admin1 (with their country) and the most named perpetrators, each with its count
        (most first). Computed when the index is saved."""
        saved = self.db.meta("facets")
        return json.loads(saved) if saved else _Facets().result()

    def incident_holding(self, incident_pk: int) -> int | None:
        """The reconciled incident (id) a stored incident is a member of; None if none."""
        row = self.db.one("SELECT incident_id FROM reconciled_members WHERE incident_pk = ?", (int(incident_pk),))
        return int(row[0]) if row else None

    def incidents_of_article(self, article_pk: int) -> list[int]:
        """The reconciled incidents an article reports (ids, ascending)."""
        return [int(r[0]) for r in self.db.query(
            "SELECT DISTINCT incident_id FROM reconciled_members WHERE article_pk = ? ORDER BY incident_id",
            (int(article_pk),))]

    _OUTLET_SELECT = "SELECT outlet, articles, figures, agreeing, wire_copies, detail FROM outlet_stats"

    @staticmethod
    def _outlet_stats(r: tuple) -> OutletStats:
        return OutletStats(outlet=r[0], articles=int(r[1]), figures=int(r[2]), agreeing=int(r[3]),
                           wire_copies=int(r[4]), detail=json.loads(r[5]))

    def outlet_stats(self) -> list[OutletStats]:
        """Every outlet's statistics, most articles first."""
        return [self._outlet_stats(r) for r in self.db.query(f"{self._OUTLET_SELECT} ORDER BY articles DESC, outlet")]

    def outlet(self, name: str) -> OutletStats | None:
        row = self.db.one(f"{self._OUTLET_SELECT} WHERE outlet = ?", (name,))
        return self._outlet_stats(row) if row else None

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

    def save_verifications(self, items: list[Verification], reasons: list[str] | None = None) -> None:
        """Store verifications, replacing those of the same articles (one per article);
        ``reasons``: each one's reasons already as JSON (a caller that also prints them
        serialises them once)."""
        if reasons is None:
            reasons = [json.dumps(v.reasons, ensure_ascii=False) for v in items]
        rows = [(int(v.article_pk), v.article_id, float(v.score), r) for v, r in zip(items, reasons)]
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO verifications (article_pk, article_id, score, reasons) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_pk) DO UPDATE SET article_id = excluded.article_id, "
                "score = excluded.score, reasons = excluded.reasons", rows)

    def verification(self, article_pk: int) -> Verification | None:
        row = self.db.one("SELECT article_pk, article_id, score, reasons FROM verifications "
                          "WHERE article_pk = ?", (int(article_pk),))
        return Verification(article_pk=int(row[0]), article_id=row[1], score=float(row[2]),
                            reasons=json.loads(row[3])) if row else None

    def verifications(self) -> list[Verification]:
        return [Verification(article_pk=int(r[0]), article_id=r[1], score=float(r[2]),
                             reasons=json.loads(r[3]))
                for r in self.db.query("SELECT article_pk, article_id, score, reasons "
                                       "FROM verifications ORDER BY article_pk")]


def _changes_seq(version: str | None) -> int | None:
    """The last change-log entry a fingerprint saw (None: one written before the log)."""
    found = re.search(r"; changes (\d+);", version or "")
    return int(found.group(1)) if found else None


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Where:
    """WHERE terms (ANDed) with their parameters, and the least share of rows one of its
    indexed terms is known to keep (1.0: none is known to be selective)."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.params: list[Any] = []
        self.share = 1.0

    def add(self, term: str, *params: Any, share: float = 1.0) -> None:
        self.terms.append(term)
        self.params += params
        self.share = min(self.share, share)

    def clause(self, *first: str) -> str:
        """" WHERE ..." with ``first`` before the filter's terms (so ``first``'s parameters
        come before ``self.params``)."""
        terms = [*first, *self.terms]
        return " WHERE " + " AND ".join(terms) if terms else ""


def _days_before(day: str, span: str | None) -> str | None:
    """``day`` less ``span`` days (ISO), or None when either cannot be read."""
    try:
        return (date.fromisoformat(day) - timedelta(days=int(span))).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _wrap(names: list[str]) -> str:
    """'|a|b|' (empty when there are none): every name can be matched whole as '|name|'."""
    return "|" + "|".join(names) + "|" if names else ""


class _Facets:
    """The counts ``index_facets`` returns, gathered while the index is written."""

    def __init__(self) -> None:
        self.total = 0
        self.date_min: str | None = None
        self.date_max: str | None = None
        self.event_types: Counter = Counter()
        self.sub_event_types: Counter = Counter()
        self.countries: Counter = Counter()
        self.admin1: Counter = Counter()
        self.actors: Counter = Counter()
        self.max_span: int | None = 0   # longest date_end - date in days; None: a date unreadable

    @classmethod
    def saved(cls, facets: dict, max_span: str | None) -> "_Facets":
        """The counts again from what ``result`` gave and the saved 'index_max_span' (the
        actors: only those ``result`` listed)."""
        out = cls()
        out.total = int(facets["total"])
        out.date_min, out.date_max = facets["date_min"], facets["date_max"]
        out.event_types = Counter({e["value"]: e["count"] for e in facets["event_types"]})
        out.sub_event_types = Counter({e["value"]: e["count"] for e in facets.get("sub_event_types", ())})
        out.countries = Counter({c["code"]: c["count"] for c in facets["countries"]})
        out.admin1 = Counter({(a["country"] or "", a["name"]): a["count"] for a in facets["admin1"]})
        out.actors = Counter({a["name"]: a["count"] for a in facets["actors"]})
        out.max_span = int(max_span) if max_span else None
        return out

    def add(self, row: IndexedIncident) -> None:
        self.total += 1
        if row.date:
            self.add_span(row.date, row.date_end)
        if row.date:
            self.date_min = row.date if self.date_min is None else min(self.date_min, row.date)
            self.date_max = row.date if self.date_max is None else max(self.date_max, row.date)
        self.event_types[row.event_type] += 1
        if row.sub_event_type:
            self.sub_event_types[row.sub_event_type] += 1
        country = row.country.upper() if row.country else None
        if country:
            self.countries[country] += 1
        if row.admin1:
            self.admin1[(country or "", row.admin1)] += 1
        self.actors[row.perpetrator] += 1

    def add_span(self, day: str, day_end: str | None) -> None:
        """The longest span with that of an incident dated ``day`` (None once one is unreadable)."""
        if self.max_span is None:
            return
        try:
            span = (date.fromisoformat(day_end) - date.fromisoformat(day)).days if day_end else 0
            self.max_span = max(self.max_span, span)
        except (TypeError, ValueError):
            self.max_span = None

    def was_longest(self, day: str, day_end: str) -> bool:
        """Whether an incident of this span may be the longest (or the unreadable one): taking
        it out may shorten the longest span."""
        if self.max_span is None:
            return True
        try:
            return (date.fromisoformat(day_end) - date.fromisoformat(day)).days >= self.max_span
        except (TypeError, ValueError):
            return True

    def remove(self, event_type: str, sub_event_type: str | None, country: str | None, admin1: str | None,
               perpetrator: str) -> bool:
        """An indexed row's counts taken out (its stored columns: country upper-cased); whether
        the most named actors must be counted again (the saved list leaves some out)."""
        self.total -= 1
        country = country.upper() if country else None
        keys = [(self.event_types, event_type)]
        if sub_event_type:
            keys.append((self.sub_event_types, sub_event_type))
        if country:
            keys.append((self.countries, country))
        if admin1:
            keys.append((self.admin1, (country or "", admin1)))
        for counter, key in keys:
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]
        if len(self.actors) >= TOP_ACTORS:
            # the saved list leaves actors out: one of them may now rank above this one
            return perpetrator in self.actors
        self.actors[perpetrator] -= 1
        if self.actors[perpetrator] <= 0:
            del self.actors[perpetrator]
        return False

    def result(self) -> dict:
        def ranked(counter: Counter) -> list:  # most first, ties by value
            return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return {
            "total": self.total, "date_min": self.date_min, "date_max": self.date_max,
            "event_types": [{"value": v, "count": n} for v, n in ranked(self.event_types)],
            "sub_event_types": [{"value": v, "count": n} for v, n in ranked(self.sub_event_types)],
            "countries": [{"code": c, "count": n} for c, n in ranked(self.countries)],
            "admin1": [{"country": c or None, "name": a, "count": n} for (c, a), n in ranked(self.admin1)],
            "actors": [{"name": a, "count": n} for a, n in ranked(self.actors)[:TOP_ACTORS]],
        }


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
