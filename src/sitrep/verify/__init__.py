"""The verify stage: reference databases and a consistency score for each stored article.

    from sitrep.verify import read_reference, verify_articles, Verifier
    records = read_reference("vdc-daily-deaths-by-province.csv", "vdc-daily", errors := [])
    store.add_reference(records)
    results = verify_articles(list(store.articles()), store.incidents(), store.reference(), store.links())

``references`` reads ACLED, UCDP GED, VDC victims, VDC daily totals, Airwars and Syrian
Archive exports into ``ReferenceRecord``s; ``score`` gives each article a score in [0, 1] with
its reasons (the formula is in its docstring); ``falsify`` makes altered copies of an
article's record to measure the score; ``memory`` builds the store's data classes from
extractor output without a database. Reads the records, the store's data classes and the
link stage's output; nothing of the stages after it.
"""
from .falsify import KINDS as ALTERATIONS
from .falsify import Alteration, falsify_record, falsify_stored
from .memory import stored_from_records
from .references import FORMATS, read_reference
from .score import ReferenceIndex, Verifier, verify_articles

__all__ = ["ALTERATIONS", "Alteration", "FORMATS", "ReferenceIndex", "Verifier", "falsify_record",
           "falsify_stored", "read_reference", "stored_from_records", "verify_articles"]
