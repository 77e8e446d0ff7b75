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

    def changed_articles(self) -> tuple[list[int], int]:
        """Articles stored or replaced since the state was written (articles are never
        deleted), and the last entry of the replacement log read (``update`` clears up to
        it): new articles are those above the highest key the state holds, replaced ones are
        logged by ``Store.add``; those whose stamp is as the state holds it are left out."""
        top = self.db.meta("link_state_top")
        new = [int(r[0]) for r in self.db.query("SELECT pk FROM articles WHERE pk > ?", (int(top or 0),))]
        log = self.db.query("SELECT seq, article_pk FROM link_state_replaced ORDER BY seq")
        last = int(log[-1][0]) if log else 0
        replaced = {int(pk) for _, pk in log}
        if replaced:
            now = self.stamps(replaced)
            held = dict(self._in("SELECT article_pk, stamp FROM link_state_articles WHERE article_pk", replaced))
            replaced = {pk for pk in replaced if now.get(pk) != held.get(pk)}
        return sorted(set(new) | replaced), last

    def replaced_links(self, log_end: int) -> set[int] | None:
        """The links that held the replaced articles' incidents when they were replaced (the
        log up to ``log_end``): those that can be short of a member now; None where the log
        did not record them (a row written before it did)."""
        out: set[int] = set()
        for (links,) in self.db.query("SELECT links FROM link_state_replaced WHERE seq <= ?", (int(log_end),)):
            if links is None:
                return None
            out.update(int(i) for i in links.split())
        return out

    def replaced_log_end(self) -> int:
        """The last entry of the replacement log (a full link clears up to it once done)."""
        row = self.db.one("SELECT MAX(seq) FROM link_state_replaced")
        return int(row[0]) if row and row[0] is not None else 0

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
        """How many articles' leads the word counts count."""
        return int(self.db.meta("link_state_leads") or 0)

    def word_counts(self, kind: int, words: np.ndarray) -> np.ndarray:
        """How many incidents (EVIDENCE) or leads (LEADS) hold each word (0: none)."""
        uniq, inverse = np.unique(words, return_inverse=True)
        found = dict(self._in(f"SELECT word, n FROM link_state_words WHERE kind = {int(kind)} AND word",
                              uniq.tolist()))
        return np.array([found.get(w, 0) for w in uniq.tolist()], np.int64)[inverse]

    def words(self, kind: int) -> np.ndarray:
        """Every word of a kind, sorted."""
        # in the order of the table's key (kind, word): no sort in Python
        return np.fromiter((r[0] for r in self.db.query(
            "SELECT word FROM link_state_words WHERE kind = ? ORDER BY word", (int(kind),))), np.int64)

    def _in(self, sql: str, keys: Iterable[int]) -> list[tuple]:
        keys = sorted({int(k) for k in keys})
        out: list[tuple] = []
        for s in range(0, len(keys), _IN):
            chunk = keys[s:s + _IN]
            out += [(int(r[0]), *r[1:]) for r in self.db.query(
                f"{sql} IN ({', '.join('?' for _ in chunk)})", chunk)]
        return out

    # -- writing (inside the caller's transaction) ------------------------------------------

    def replace(self, rows: Iterable[ArticleState], words: dict[int, dict[int, int]], links_stamp: str,
                log_end: int) -> None:
        """The whole state, as a full link leaves it; ``log_end``: the replacement log's last
        entry before the link read the store (``replaced_log_end``)."""
        self.db.execute("DELETE FROM link_state_articles")
        self.db.execute("DELETE FROM link_state_words")
        top, leads = self._write(rows)
        self.db.executemany("INSERT INTO link_state_words (kind, word, n) VALUES (?, ?, ?)",
                            [(k, w, n) for k, counts in words.items() for w, n in counts.items() if n])
        self.db.set_meta("link_state_top", str(top))
        self.db.set_meta("link_state_leads", str(leads))
        self._finish(links_stamp, log_end)

    def update(self, gone: Iterable[int], rows: Iterable[ArticleState], delta: dict[int, dict[int, int]],
               links_stamp: str, log_end: int) -> None:
        """The state of the articles ``gone`` (replaced) dropped, ``rows`` written, the word
        counts moved by ``delta``; ``log_end`` as ``changed_articles`` gave it."""
        gone = sorted(set(gone))
        lost = sum(1 for _, lead in self._in("SELECT article_pk, lead FROM link_state_articles WHERE article_pk", gone)
                   if lead)
        for s in range(0, len(gone), _IN):
            chunk = gone[s:s + _IN]
            self.db.execute(f"DELETE FROM link_state_articles WHERE article_pk IN ({', '.join('?' for _ in chunk)})",
                            chunk)
        top, leads = self._write(rows)
        moves = [(k, w, n) for k, counts in delta.items() for w, n in counts.items() if n]
        self.db.executemany("INSERT INTO link_state_words (kind, word, n) VALUES (?, ?, ?) "
                            "ON CONFLICT (kind, word) DO UPDATE SET n = link_state_words.n + excluded.n", moves)
        self.db.executemany("DELETE FROM link_state_words WHERE kind = ? AND word = ? AND n <= 0",
                            [(k, w) for k, w, n in moves if n < 0])
        self.db.set_meta("link_state_top", str(max(top, int(self.db.meta("link_state_top") or 0))))
        self.db.set_meta("link_state_leads", str(self.counted_leads() - lost + leads))
        self._finish(links_stamp, log_end)

    def _finish(self, links_stamp: str, log_end: int) -> None:
        self.db.execute("DELETE FROM link_state_replaced WHERE seq <= ?", (int(log_end),))
        self.db.set_meta("link_state_links", links_stamp)

    def _write(self, rows: Iterable[ArticleState]) -> tuple[int, int]:
        """Insert the rows; (the highest article key, how many leads counted)."""
        batch: list[tuple] = []
        top = leads = 0
        sql = "INSERT INTO link_state_articles (article_pk, stamp, lead, evidence) VALUES (?, ?, ?, ?)"
        for r in rows:
            batch.append((r.article_pk, r.stamp, ids_text(r.lead.tolist()), _evidence_text(r.evidence)))
            top, leads = max(top, r.article_pk), leads + bool(len(r.lead))
            if len(batch) >= 5000:
                self.db.executemany(sql, batch)
                batch = []
        if batch:
            self.db.executemany(sql, batch)
        return top, leads

    def clear(self) -> None:
        """Forget the state (links saved by other means: the next link is a full one)."""
        self.db.execute("DELETE FROM meta WHERE key = 'link_state_links'")
