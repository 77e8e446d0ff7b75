"""An article's words are read once for its countries and its places (knowledge/places.py)."""
from sitrep.knowledge.places import Gazetteer


def test_the_words_read_for_the_countries_serve_the_places_of_the_same_text():
    g = Gazetteer.load()
    title = "Air strikes hit al-Bab"
    text = "Russian jets struck Maarat al-Numan and the Kiul-Gaya line.\nIdlib's Saraqeb was shelled."
    countries = g.article_countries(title + "\n" + text)
    after_countries = g.find(text, countries)
    g.article_countries("something else entirely")  # no reading to reuse
    alone = g.find(text, countries)
    assert after_countries == alone and [p.text for p in alone]
