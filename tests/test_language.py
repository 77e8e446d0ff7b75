"""The language check: nothing English is refused, another language's paragraph is.

Every sentence here is invented for the test, in the shapes the extractor meets: headlines,
one-line items, terse incident summaries, lowercase and all-caps copy, items made of names
and numbers, English with Arabic place names.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.extract.language import NotEnglish, check_english, identify, looks_english
from sitrep.extract.pipeline import Pipeline
from sitrep.records import Article

ENGLISH = [
    # headlines
    "Rebels shell market town, six dead",
    "Drone strike hits convoy near border crossing",
    "Ceasefire collapses as fighting resumes in the north",
    "Minister resigns after deadly stampede",
    # one-line items and terse summaries
    "Two soldiers were killed when an IED exploded under their vehicle.",
    "Insurgents abducted a village headman and later released him.",
    "A police constable was injured in an exchange of fire with militants in the forest area.",
    "Security forces recovered two rifles and a pressure bomb during a search operation.",
    # lowercase and all-caps copy
    "gunmen stormed a checkpoint at dawn, killing four guards and wounding two",
    "police said the bodies of three men were found near the river",
    "ARMY SAYS 30 FIGHTERS KILLED IN RAIDS ON HIDEOUTS",
    "EXPLOSION AT FUEL DEPOT INJURES NINE WORKERS",
    # names and numbers
    "Jaish al-Fatah seizes Jisr al-Shughur",
    "Hayat Tahrir al-Sham",
    "Tehrik-i-Taliban Pakistan: 3 dead",
    "Kabul: 14 dead",
    "Mosul, Tal Afar, Hawija, Qayyarah",
    "2 killed, 5 hurt",
    "Ahmed Yusuf Farah (34) and Abdi Hassan Nur (29) arrested in Baidoa",
    "Ouagadougou, Bamako, Niamey",
    "Ramesh Kumar alias Bablu (32), a cadre, surrendered before the SP in Khunti District.",
    "Sánchez condemns Barcelona attack",
    # English with Arabic place names, transliterated and in Arabic script
    "Warplanes struck Khan Shaykhun and Maarat al-Numan in southern Idlib on Tuesday, "
    "killing at least nine people, the Syrian Observatory for Human Rights said.",
    "Shelling hit the al-Shaar and Bustan al-Qasr quarters of Aleppo (حلب) overnight.",
    "Houthi forces fired a missile at Jizan, the coalition said, adding it was intercepted.",
    # not text at all: never a reason to refuse
    "",
    "12/03/2019 14:05 - 7 - 0",
]

# Paragraphs of other languages, written for this test.
FOREIGN = {
    "fr": "Des tirs d'artillerie ont touché mardi soir un marché de la ville, faisant au moins "
          "huit morts et une vingtaine de blessés, selon un responsable de l'hôpital. L'armée a "
          "démenti toute implication et accuse les rebelles d'avoir provoqué l'explosion.",
    "es": "Al menos seis personas murieron el jueves en un ataque con explosivos contra una "
          "comisaría en el norte del país, informaron las autoridades locales. Ningún grupo ha "
          "reivindicado el atentado, pero el gobierno culpa a una milicia armada de la zona.",
    "de": "Bei einem Luftangriff auf ein Dorf im Süden des Landes sind nach Angaben örtlicher "
          "Behörden mindestens zwölf Menschen getötet worden. Unter den Opfern seien auch Kinder, "
          "sagte ein Sprecher des Krankenhauses. Die Regierung wies jede Verantwortung zurück.",
    "ar": "قتل ثمانية مدنيين على الأقل وأصيب عشرون آخرون في قصف مدفعي استهدف سوقا شعبيا في "
          "المدينة مساء الثلاثاء، بحسب مصادر طبية. ونفى الجيش مسؤوليته عن الهجوم.",
    "pt": "Pelo menos cinco pessoas morreram nesta quarta-feira num ataque armado contra uma aldeia "
          "no norte da província, segundo fontes policiais. Os atacantes incendiaram várias casas.",
    "nl": "Bij een aanval op een dorp in het noorden van het land zijn volgens de lokale autoriteiten "
          "minstens tien mensen om het leven gekomen. De aanvallers staken huizen in brand.",
    "id": "Sedikitnya tujuh orang tewas dalam serangan bom di sebuah pasar di kota itu pada hari "
          "Selasa, kata polisi setempat. Belum ada kelompok yang mengaku bertanggung jawab.",
}


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_never_refused(text: str) -> None:
    assert looks_english(text), identify(text)
    check_english(text)  # does not raise


@pytest.mark.parametrize("lang", sorted(FOREIGN))
def test_another_languages_paragraph_is_refused(lang: str) -> None:
    verdict = identify(FOREIGN[lang])
    assert not verdict.english_ok
    assert verdict.language == lang or lang == "id" and verdict.language == "ms"
    with pytest.raises(NotEnglish, match="^not English: "):
        check_english(FOREIGN[lang])


@pytest.mark.parametrize("lang", ["fr", "es", "de"])
def test_an_english_lead_decides_over_a_quoted_foreign_sentence(lang: str) -> None:
    lead = ("Government forces retook the town on Sunday after two days of fighting, "
            "a military spokesman told reporters, and said the road to the capital was open again. "
            "Residents who fled last week began returning, aid workers said. ")
    assert looks_english(lead + FOREIGN[lang][:120])


def test_case_does_not_change_the_verdict() -> None:
    for text in ENGLISH[:12]:
        assert looks_english(text.lower()) and looks_english(text.upper())
    assert not looks_english(FOREIGN["fr"].lower()) and not looks_english(FOREIGN["de"].upper())


def test_a_french_article_is_refused_by_the_pipeline() -> None:
    text = (Path(__file__).parent / "fixtures" / "lang" / "mali-fr-2019.txt").read_text(encoding="utf-8")
    with pytest.raises(NotEnglish, match="^not English: sitrep reads English articles only$"):
        Pipeline()(Article("mali-fr", text))


def test_a_missing_model_refuses_nothing(monkeypatch) -> None:
    from sitrep.extract import language
    monkeypatch.setattr(language, "_identifier", lambda: None)
    assert looks_english(FOREIGN["fr"])
