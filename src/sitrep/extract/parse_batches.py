"""The clauses that many articles ask the parser for, parsed in one batch.

spaCy parses a batch of a few hundred clauses about a third faster than the same clauses
two or three at a time (the tagger's and parser's network works on the whole batch at once),
and an article asks for two or three at a time: the clauses whose victims the figure grammar
cannot count, then the tellings whose factuality is judged. So the articles of a batch
(``Pipeline.pipe``) run as turns, each in a greenlet of its own: an article runs until it asks
for parses or ends; when every article of the batch waits or has ended, everything asked
for is parsed in one batch and the waiting articles go on, one after the other. Exactly one
article runs at any moment and each article goes through the same steps as alone, so nothing
shared needs a lock and the records are the same (a clause's parse does not depend on the
batch it is in). Greenlets, not threads: a switch between threads waits for the operating
system to wake the other one (a tenth of a millisecond, more on a busy machine, several per
article: a tenth of the time of a short article), a greenlet switch is a jump.
"""
from __future__ import annotations

from typing import Any, Callable

import greenlet


def parse_texts(nlp, texts: list[str]) -> list:
    """The parses of ``texts``: with the other articles' asks when this article runs as a
    turn of ``run_in_turns``, else at once."""
    me = greenlet.getcurrent()
    if isinstance(me, _Article):
        return me.ask(nlp, texts)
    return list(nlp.pipe(texts))


class _Article(greenlet.greenlet):
    def __init__(self, job: Callable[[], Any]) -> None:
        super().__init__()
        self.job = job
        self.asked: tuple[Any, list[str]] | None = None
        self.answer: list | BaseException | None = None
        self.result: Any = None

    def run(self) -> None:
        try:
            self.result = self.job()
        except Exception as exc:  # the caller reports it as that article's failure
            self.result = exc
        finally:
            self.asked = None

    def ask(self, nlp, texts: list[str]) -> list:
        """Wait, with the other articles, for the batch that parses ``texts``."""
        self.asked = (nlp, texts)
        self.parent.switch()
        answer, self.answer, self.asked = self.answer, None, None
        if isinstance(answer, BaseException):
            raise answer
        return answer


def run_in_turns(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Each job's return value, or the exception it raised, in order; their parses batched."""
    arts = [_Article(job) for job in jobs]
    for art in arts:
        art.switch()  # runs until it asks for parses or ends
    waiting = [a for a in arts if a.asked is not None]
    while waiting:
        _answer(waiting)
        for art in waiting:
            art.switch()
        waiting = [a for a in waiting if a.asked is not None]
    return [a.result for a in arts]


def _answer(waiting: list[_Article]) -> None:
    """Parse every waiting article's texts in one batch per parser; if the batch fails, each
    article's own texts alone, so that only the article whose text fails fails."""
    by_nlp: dict[int, list[_Article]] = {}
    for art in waiting:
        by_nlp.setdefault(id(art.asked[0]), []).append(art)
    for group in by_nlp.values():
        nlp = group[0].asked[0]
        try:
            docs = list(nlp.pipe([t for a in group for t in a.asked[1]]))
        except Exception:
            for art in group:
                try:
                    art.answer = list(nlp.pipe(art.asked[1]))
                except Exception as exc:
                    art.answer = exc
            continue
        at = 0
        for art in group:
            n = len(art.asked[1])
            art.answer, at = docs[at:at + n], at + n
