"""Case and register: lower-case and all-capitals copy gives the incidents cased copy gives.

Every sentence here is invented for the test, in the shapes the issue describes: a strike on
a named town killing N people, a named armed group, a named monitor or agency as source, in
Syria and in other wars.
"""
from __future__ import annotations

import pytest

import sitrep
from sitrep.extract.pipeline import DEFAULT_PIPELINE, Pipeline
from sitrep.extract.truecase import caseless, knowledge, recase
from sitrep.ingest.datelines import find_dateline
from sitrep.records import Article

CASED = [
    "Syrian government warplanes struck the town of Maarat al-Numan in Idlib province on Tuesday, "
    "killing 14 civilians, the Syrian Observatory for Human Rights said.",
    "Islamic State militants shelled the village of Tal Abyad on Monday, killing seven people "
    "including two children, according to the Kurdish YPG.",
    "At least nine people were killed on Sunday when a car bomb exploded in the city of Azaz "
    "near the Turkish border, the White Helmets said.",
    # other wars
    "Russian missiles struck an apartment block in the city of Dnipro on Saturday, killing 23 "
    "people, Ukrainian officials said.",
    "Boko Haram fighters attacked the village of Gajiram in Borno State on Sunday, killing 14 "
    "farmers, police said.",
    "Maoists killed three CRPF personnel in an IED blast near Kistaram in Sukma District of "
    "Chhattisgarh on Monday.",
    "A US drone strike killed four al-Shabaab militants near Jilib in Somalia on Tuesday, the US "
    "Africa Command said.",
]


def _facts(record):
    return [(i.event_type, i.date, i.location.name, i.location.admin1, sorted(i.perpetrator),
             [(c.claimed_by, {k: v.value() for k, v in c.killed.items()}) for c in i.claims])
            for i in record.incidents]


@pytest.mark.parametrize("text", CASED)
@pytest.mark.parametrize("shape", [str.lower, str.upper], ids=["lower", "upper"])
def test_caseless_copy_gives_the_cased_incident(text, shape):
    cased = sitrep.extract(text, published="2016-05-10")
    assert cased.incidents, "the cased sentence itself must give an incident"
    assert _facts(sitrep.extract(shape(text), published="2016-05-10")) == _facts(cased)


@pytest.mark.parametrize("shape", [str.lower, str.upper], ids=["lower", "upper"])
def test_evidence_quotes_the_text_as_written(shape):
    text = shape(CASED[0])
    record = sitrep.extract(text, published="2016-05-10")
    spans = [e for i in record.incidents for c in i.claims for e in c.evidence]
    assert spans
    for e in spans:
        assert e.text == text[e.start:e.end]
    counts = [k for i in record.incidents for c in i.claims for k in c.killed.values() if k.text]
    assert all(k.text in text for k in counts)


def test_cased_article_is_untouched():
    """Mixed-case news goes through exactly as before: the component leaves it alone."""
    text = ("BEIRUT (Reuters) - Air strikes on the rebel-held town of Saraqeb in Idlib killed "
            "11 people on Wednesday, a war monitor said. Hope remained for talks in Geneva. "
            "Police said a second blast in the city of Hama wounded four.")
    assert caseless(text) is None
    article = Article("a1", text, title="Strikes kill 11 in Idlib town", published="2016-05-11")
    bare = Pipeline([n for n in DEFAULT_PIPELINE if n not in ("truecase", "restore_case")])
    assert Pipeline()(article).to_dict() == bare(article).to_dict()


@pytest.mark.parametrize("text, mode", [
    ("gunmen killed four guards at a checkpoint near the river.", "lower"),
    ("GUNMEN KILLED FOUR GUARDS AT A CHECKPOINT NEAR THE RIVER.", "upper"),
    ("Gunmen killed four guards at a checkpoint near the river.", None),
    # a cased item with few capitals: its sentences still start with one
    ("Heavily armed men raided the office of a road construction firm and set fire to two "
     "trucks and an excavator parked on the premises late at night, police said.", None),
    ("Strikes Kill 20 In Frontline Town", None),  # title case is casing
    ("", None),
])
def test_caseless_tells_uninformative_casing(text, mode):
    assert caseless(text) == mode


def _recase(text, countries=("SY",)):
    from sitrep.extract.pipeline import _gazetteer
    index = _gazetteer().index
    out = recase(text, caseless(text), knowledge(index), index, list(countries))
    assert len(out) == len(text)
    assert out.lower() == text.lower()
    return out


def test_names_get_capitals_and_words_do_not():
    out = _recase("rebels shelled aleppo and the town of kafr zita near hama. hope and "
                  "police were words, and the war went on; a car bomb hit the road to idlib.")
    for name in ("Aleppo", "Kafr Zita", "Hama", "Idlib", "Rebels", "Hope"):
        assert name in out
    for word in ("police", "war", "car", "road"):
        assert f" {word} " in out


def test_acronyms_only_where_the_english_word_cannot_stand():
    out = _recase("the us-led coalition said is fighters fled. witnesses told us it is over. "
                  "both the us and russia blamed them, and the un said so. a car bomb went off; "
                  "the car was parked near the u.s. envoy's office.")
    assert "US-led" in out and "IS fighters" in out and "the US and" in out and "the UN said" in out
    assert "told us it is over" in out
    assert "U.S. envoy" in out and "car bomb" in out and "the car was" in out


def test_months_only_beside_a_date():
    out = _recase("the strike on may 3 killed six. talks may resume in march. "
                  "they said troops may march north. sun 16 apr 2017")
    assert "May 3" in out and "in March" in out
    assert "troops may march" in out
    assert out.endswith("Sun 16 Apr 2017")


def test_unknown_words_after_a_settlement_noun_are_names():
    out = _recase("shells fell on the village of khirbet zoqal in the morning.")
    assert "Khirbet Zoqal" in out


def test_lowercase_dateline_cue():
    found = find_dateline("last updated at jun 06 2016 amman - nearly 50 strikes hit the city")
    assert found is not None and found[0] == "2016-06-06"
