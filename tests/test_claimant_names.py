"""One source, one name: the claimants the extractor finds by grammar ("activists said")
take the canonical name the dictionary's `voices` section gives them, as actors take theirs,
in the records and so in the database."""
import pytest

import sitrep
from sitrep.knowledge.actors import ActorDictionary


@pytest.fixture(scope="module")
def actors():
    return ActorDictionary.load()


@pytest.mark.parametrize("written, canonical", [
    ("Activists", "activists"), ("activists", "activists"), ("activist", "activists"),
    ("an activist", "activists"), ("local activists", "activists"),
    ("Aleppo Police", "Aleppo Police Command"), ("Aleppo Police Command", "Aleppo Police Command"),
    ("source", "unnamed source"), ("Sources", "unnamed source"), ("the source", "unnamed source"),
    ("Residents", "residents"), ("security sources", "security source"),
    # one witness as the spec names one; several are witnesses
    ("an eyewitness", "a witness"), ("a witness", "a witness"), ("Witnesses", "witnesses"),
])
def test_written_forms_of_one_source_have_one_name(actors, written, canonical):
    assert actors.canonical(written, countries=["SY"]) == canonical


def test_a_named_claimant_keeps_its_own_entry(actors):
    assert actors.canonical("SOHR") == "Syrian Observatory for Human Rights"
    assert actors.canonical("officer") is None  # unknown: the extractor keeps it as written


def test_voices_are_never_looked_for_in_a_text(actors):
    text = "Activists said twenty people were killed, and a source told the agency the same."
    assert actors.find_claimants(text, ["SY"]) == []


def test_an_extension_file_adds_a_voice(tmp_path):
    extra = tmp_path / "voices.yaml"
    extra.write_text("voices:\n  - name: fishermen\n    aliases: [fisherman, local fishermen]\n")
    d = ActorDictionary.load([str(extra)])
    assert d.canonical("Local fishermen") == "fishermen" and d.canonical("a fisherman") == "fishermen"


def test_the_records_carry_the_canonical_names():
    text = ("Shelling killed five civilians in the town of Kafr Nabl on Friday, Activists said. "
            "An air strike killed two fighters near Saraqib on Saturday, an activist said.")
    record = sitrep.extract(text, published="2019-03-10")
    names = {c.claimed_by for i in record.incidents for c in i.claims}
    assert names == {"activists"}
