"""Lexicons per language, one folder a language (as spaCy's ``lang/xx/``): the words of one
language that the extractor reads (victim nouns, casualty verbs, qualifiers of numbers).
Knowledge that holds in every language (places, actors, event types) stays one level up."""
from __future__ import annotations

from importlib import resources
from typing import Any


def lexicon_text(name: str, lang: str = "en") -> str:
    """The text of lexicon ``name`` (``victims``) of language ``lang``."""
    return resources.files("sitrep.knowledge.lang").joinpath(lang, f"{name}.yaml").read_text(encoding="utf-8")


def lexicon(name: str, lang: str = "en") -> Any:
    from ..compiled import load_yaml

    return load_yaml(lexicon_text(name, lang), f"lang-{lang}-{name}.yaml", "CSafeLoader")
