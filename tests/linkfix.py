"""Builders of hand-written incidents for the linking tests (tests/test_link_*.py)."""
from __future__ import annotations

from sitrep.records import Claim, Count, Incident, Location, Span
from sitrep.store.model import StoredArticle, StoredIncident

# Places with real coordinates (GeoNames), for distances that mean something.
ALEPPO = ("Aleppo", "Aleppo", 36.2012, 37.1612)
HAMDANIYAH = ("Al-Hamdaniyah", "Aleppo", 36.1785, 37.1142)       # a quarter of Aleppo, ~5 km from the centre
SALAHEDDINE = ("Salaheddine", "Aleppo", 36.1869, 37.1269)        # another, ~3 km from the centre
MANBIJ = ("Manbij", "Aleppo", 36.5281, 37.9549)                  # ~80 km from Aleppo
AL_BAB = ("Al-Bab", "Aleppo", 36.3705, 37.5157)                  # ~37 km from Aleppo
IDLIB = ("Idlib", "Idlib", 35.9306, 36.6339)
KHAN_SHEIKHOUN = ("Khan Sheikhoun", "Idlib", 35.4421, 36.651)    # ~55 km from Idlib city
SARAQIB = ("Saraqib", "Idlib", 35.8647, 36.8006)
DOUMA = ("Douma", "Rural Damascus", 33.5718, 36.4027)


def incident(place=ALEPPO, date="2016-08-10", *, event="air_strike", precision="town",
             date_precision="day", date_end=None, perp=("unknown",), killed=None,
             evidence="", claimed_by="reporter") -> Incident:
    name, admin1, lat, lon = place
    counts = {"total": Count(best=killed, text=str(killed))} if killed is not None else {}
    return Incident(
        event_type=event, date=date, date_end=date_end, date_precision=date_precision,
        location=Location(name, admin1, "SY", lat, lon, precision),
        perpetrator=list(perp),
        claims=[Claim(claimed_by, killed=counts, evidence=[Span(0, len(evidence), evidence)] if evidence else [])])


class World:
    """Articles and their incidents, with store keys assigned in order."""

    def __init__(self) -> None:
        self.articles: dict[int, StoredArticle] = {}
        self.incidents: list[StoredIncident] = []

    def article(self, text: str = "", *, title=None, outlet=None, published="2016-08-11",
                incidents=()) -> int:
        pk = len(self.articles) + 1
        self.articles[pk] = StoredArticle(pk, f"a{pk}", f"h{pk}", text, title, published, outlet)
        for k, inc in enumerate(incidents):
            self.incidents.append(StoredIncident(len(self.incidents) + 1, pk, f"a{pk}", outlet,
                                                 published, k, inc))
        return pk

    def pks_of(self, article_pk: int) -> list[int]:
        return [si.pk for si in self.incidents if si.article_pk == article_pk]
