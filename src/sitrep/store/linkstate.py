"""What the last link read of the store, kept so that the next one can relink only what changed.

    state = LinkState(store.db)
    changed = state.changed_articles()        # replaced, new or gone since the last link
    old = state.articles(changed)             # what the last link read of them
    state.save(rows, words_delta, links_stamp)

Tables ``link_state_articles`` and ``link_state_words`` (migration 0007). Word ids are the
linker's stable hashes (``sitrep.link.tokens``), kept as text: a space-separated list per
lead, and per incident ``pk:ids`` joined by ``;``. Knows SQL, nothing of linking.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

from .db import Database

EVIDENCE, LEADS, BOILERPLATE = 0, 1, 2   # kinds of word count (boilerplate: wire shingles left out)
_STAMP = "a.extractor_version || ' ' || a.stored_at || ' ' || a.n_incidents"
_IN = 5000               # keys per IN (...) list


@dataclass
class ArticleState:
    """What a link read of one article."""

    article_pk: int
    stamp: str                               # extractor version, storing time, incidents
    lead: np.ndarray                         # its lead's word ids ([]: not counted)
    evidence: dict[int, np.ndarray]          # incident pk -> its evidence word ids


def ids_text(ids: Iterable[int]) -> str:
    return " ".join(map(str, ids))


def text_ids(text: str) -> np.ndarray:
    return np.array(text.split(), np.int64) if text else np.zeros(0, np.int64)


def _evidence_text(evidence: dict[int, np.ndarray]) -> str:
    return ";".join(f"{pk}:{ids_text(ids.tolist())}" for pk, ids in sorted(evidence.items()))


def _evidence_of(text: str) -> dict[int, np.ndarray]:
    out = {}
    for part in text.split(";") if text else ():
        pk, _, ids = part.partition(":")
        out[int(pk)] = text_ids(ids)
    return out


class LinkState:
    def __init__(self, db: Database) -> None:
        self.db = db

    def links_stamp(self) -> str | None:
        """The 'links_saved_at' of the links this state describes (None: no state)."""
        row = self.db.one("SELECT value FROM meta WHERE key = 'link_state_links'")
        return row[0] if row else None

    def changed_articles(self) -> list[int]:
        """Articles stored, replaced or deleted since the state was written."""
        q = self.db.query
        changed = {int(r[0]) for r in q(
            f"SELECT a.pk FROM articles a LEFT JOIN link_state_articles s ON s.article_pk = a.pk "
            f"WHERE s.stamp IS NULL OR s.stamp <> {_STAMP}")}
        changed |= {int(r[0]) for r in q(
            "SELECT s.article_pk FROM link_state_articles s WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.pk = s.article_pk)")}
        return sorted(changed)

    def all_stamps(self) -> dict[int, str]:
        """Every article's stamp as it is now."""
        return {int(pk): st for pk, st in self.db.query(f"SELECT a.pk, {_STAMP} FROM articles a")}

    def stamps(self, pks: Iterable[int]) -> dict[int, str]:
        """The stamps the articles ``pks`` have now (absent: deleted)."""
        return dict(self._in(f"SELECT a.pk, {_STAMP} FROM articles a WHERE a.pk", pks))

    def articles(self, pks: Iterable[int]) -> dict[int, ArticleState]:
        return {int(pk): ArticleState(int(pk), stamp, text_ids(lead), _evidence_of(ev))
                for pk, stamp, lead, ev in self._in(
                    "SELECT article_pk, stamp, lead, evidence FROM link_state_articles WHERE article_pk", pks)}

    def counted_leads(self) -> int:
        return int(self.db.one("SELECT COUNT(*) FROM link_state_articles WHERE lead <> ''")[0])

    def word_counts(self, kind: int, words: np.ndarray) -> np.ndarray:
        """How many incidents (EVIDENCE) or leads (LEADS) hold each word (0: none)."""
        uniq, inverse = np.unique(words, return_inverse=True)
        found = dict(self._in(f"SELECT word, n FROM link_state_words WHERE kind = {int(kind)} AND word",
                              uniq.tolist()))
        return np.array([found.get(w, 0) for w in uniq.tolist()], np.int64)[inverse]

    def words(self, kind: int) -> np.ndarray:
        """Every word of a kind, sorted."""
        return np.array(sorted(int(r[0]) for r in self.db.query(
            "SELECT word FROM link_state_words WHERE kind = ?", (int(kind),))), np.int64)

    def _in(self, sql: str, keys: Iterable[int]) -> list[tuple]:
        keys = sorted({int(k) for k in keys})
        out: list[tuple] = []
        for s in range(0, len(keys), _IN):
            chunk = keys[s:s + _IN]
            out += [(int(r[0]), *r[1:]) for r in self.db.query(
                f"{sql} IN ({', '.join('?' for _ in chunk)})", chunk)]
        return out

    # -- writing (inside the caller's transaction) ------------------------------------------

    def replace(self, rows: Iterable[ArticleState], words: dict[int, dict[int, int]], links_stamp: str) -> None:
        """The whole state, as a full link leaves it."""
        self.db.execute("DELETE FROM link_state_articles")
        self.db.execute("DELETE FROM link_state_words")
        self._write(rows)
        self.db.executemany("INSERT INTO link_state_words (kind, word, n) VALUES (?, ?, ?)",
                            [(k, w, n) for k, counts in words.items() for w, n in counts.items() if n])
        self._stamp(links_stamp)

    def update(self, gone: Iterable[int], rows: Iterable[ArticleState], delta: dict[int, dict[int, int]],
               links_stamp: str) -> None:
        """The state of the articles ``gone`` (replaced or deleted) dropped, ``rows`` written,
        the word counts moved by ``delta``."""
        gone = sorted(set(gone))
        for s in range(0, len(gone), _IN):
            chunk = gone[s:s + _IN]
            self.db.execute(f"DELETE FROM link_state_articles WHERE article_pk IN ({', '.join('?' for _ in chunk)})",
                            chunk)
        self._write(rows)
        moves = [(k, w, n) for k, counts in delta.items() for w, n in counts.items() if n]
        self.db.executemany("INSERT INTO link_state_words (kind, word, n) VALUES (?, ?, ?) "
                            "ON CONFLICT (kind, word) DO UPDATE SET n = link_state_words.n + excluded.n", moves)
        self.db.execute("DELETE FROM link_state_words WHERE n <= 0")
        self._stamp(links_stamp)

    def _write(self, rows: Iterable[ArticleState]) -> None:
        batch: list[tuple] = []
        for r in rows:
            batch.append((r.article_pk, r.stamp, ids_text(r.lead.tolist()), _evidence_text(r.evidence)))
            if len(batch) >= 5000:
                self.db.executemany("INSERT INTO link_state_articles (article_pk, stamp, lead, evidence) "
                                    "VALUES (?, ?, ?, ?)", batch)
                batch = []
        if batch:
            self.db.executemany("INSERT INTO link_state_articles (article_pk, stamp, lead, evidence) "
                                "VALUES (?, ?, ?, ?)", batch)

    def _stamp(self, links_stamp: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES ('link_state_links', ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (links_stamp,))

    def clear(self) -> None:
        """Forget the state (links saved by other means: the next link is a full one)."""
        self.db.execute("DELETE FROM meta WHERE key = 'link_state_links'")
