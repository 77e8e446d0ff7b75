"""Shared by the review tests: three short articles about two acts, stored without the
extractor (records written by hand), and linked as the linker would link them."""
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Span
from sitrep.store import LinkedIncident

# Two reports of one air strike on Kafr Batna, and one of a shelling of Jisr al-Shughur.
TEXTS = {
    "a1": "An air strike on Kafr Batna killed 12 people on Monday, the monitor said.",
    "a2": "Warplanes struck Kafr Batna on Monday, killing 15 people, rescuers said.",
    "b1": "Shelling hit Jisr al-Shughur on Tuesday and killed four people, a doctor said.",
}


def record(aid: str, version_tag: str = "") -> tuple[Article, ArticleRecord]:
    """The article ``aid`` and a record of it (``version_tag`` changes nothing the key sees,
    as a newer extractor would give the same act with other words in ``text``)."""
    text = TEXTS[aid]
    killed = {"a1": 12, "a2": 15, "b1": 4}[aid]
    claimant = {"a1": "Syrian Observatory for Human Rights", "a2": "White Helmets", "b1": "a doctor"}[aid]
    event = "shelling" if aid == "b1" else "air_strike"
    day = "2019-03-05" if aid == "b1" else "2019-03-04"
    place = Location("Jisr al-Shughur", "Idlib", "SY", 35.81, 36.32) if aid == "b1" else \
        Location("Kafr Batna", "Rif Dimashq", "SY", 33.51, 36.37)
    inc = Incident(event, day, None, "day", place, ["Syrian government forces"],
                   claims=[Claim(claimant, killed={"total": Count(best=killed, text=str(killed) + version_tag)},
                                 evidence=[Span(0, len(text), text)])])
    article = Article(aid, text, title=f"Report {aid}", published="2019-03-06", outlet=f"Outlet {aid}")
    return article, ArticleRecord(aid, "2019-03-06", [inc])


def fill(store, version: str = "1.0") -> None:
    """Store the three articles with extractor ``version`` and link a1 with a2."""
    for aid in TEXTS:
        store.add(*record(aid, version), version)
    link(store)


def link(store) -> None:
    """What `sitrep link` saves: a1 and a2 one act, b1 alone (fresh link ids each time)."""
    pks = {si.article_id: si.pk for si in store.incidents()}
    base = 100 + len(store.links()) * 7   # other ids than the last linking gave
    store.save_links([LinkedIncident(base, [pks["a1"], pks["a2"]]), LinkedIncident(base + 1, [pks["b1"]])])
