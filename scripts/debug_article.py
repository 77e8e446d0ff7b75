"""Print what each stage saw for one article: a developer's aid (`python scripts/debug_article.py FILE`)."""
import sys

from sitrep.extract.pipeline import Doc, default_pipeline
from sitrep.ingest import IngestError, read_inputs

for art in read_inputs(sys.argv[1:]):
    if isinstance(art, IngestError):
        print(art)
        continue
    doc = Doc(article=art, text=art.text, published=art.published)
    for comp in default_pipeline().components:
        doc = comp.func(doc)
        if comp.name == "actors":
            print("countries", doc.countries, "body_start", doc.body_start, "published", doc.published)
            print("places", [(p.text, p.location.name, p.location.country, p.location.precision, p.kind) for p in doc.places])
    for m in doc.mentions:
        print(f"-- [{m.start}:{m.end}] {doc.text[m.start:m.end][:160]!r}")
        print("   type", m.event_type, "| places", [p.location.name for p in m.places], "inh" if m.inherited_place else "",
              "| date", m.date, "own" if m.date_own else "", "| perps", m.perpetrators, "| claim", m.claim.claimed_by,
              "| figs", [(f.outcome, f.category, f.count.low, f.count.best, f.count.high) for f in m.figures])
    print("== incidents")
    for i in doc.incidents:
        print(" *", i.event_type, i.date, i.date_end, i.date_precision, i.location.name, i.location.precision, i.perpetrator,
              [(c.claimed_by, {k: v.value() for k, v in c.killed.items()}) for c in i.claims])
    print("summary", doc.summary)
