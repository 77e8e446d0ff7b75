"""Knowledge kept as pickles named by what they were made from (knowledge/compiled.py)."""
import yaml

from sitrep.knowledge import compiled


def _in(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled, "_folder", lambda: tmp_path)


def test_yaml_from_its_pickle_is_the_yaml(tmp_path, monkeypatch):
    _in(tmp_path, monkeypatch)
    text = "words: [said, told]\nranks: {a: 1}\n"
    first = compiled.load_yaml(text, "t.yaml")
    assert first == yaml.safe_load(text)
    assert len(list(tmp_path.glob("yaml-t.yaml-*.pkl"))) == 1
    again = compiled.load_yaml(text, "t.yaml")
    assert again == first and again is not first  # a fresh copy: callers may change it


def test_an_edited_file_is_read_again_and_its_old_pickle_removed(tmp_path, monkeypatch):
    _in(tmp_path, monkeypatch)
    compiled.load_yaml("a: 1\n", "t.yaml")
    assert compiled.load_yaml("a: 2\n", "t.yaml") == {"a": 2}
    assert len(list(tmp_path.glob("yaml-t.yaml-*.pkl"))) == 1


def test_a_damaged_pickle_is_made_again(tmp_path, monkeypatch):
    _in(tmp_path, monkeypatch)
    compiled.load_yaml("a: 1\n", "t.yaml")
    [kept] = tmp_path.glob("yaml-t.yaml-*.pkl")
    kept.write_bytes(b"not a pickle")
    assert compiled.load_yaml("a: 1\n", "t.yaml") == {"a": 1}


def test_without_a_cache_folder_knowledge_is_made_each_time(monkeypatch):
    monkeypatch.setattr(compiled, "_folder", lambda: None)
    calls = []
    assert compiled.cached("k", b"x", lambda: calls.append(1) or 5) == 5
    assert compiled.cached("k", b"x", lambda: calls.append(1) or 5) == 5
    assert len(calls) == 2


def test_mapped_knowledge_reads_back_its_arrays_memory_mapped(tmp_path, monkeypatch):
    import numpy as np
    _in(tmp_path, monkeypatch)
    value = {"table": np.arange(1000, dtype=np.float16).reshape(100, 10), "small": [1, "two"],
             "ints": np.arange(7, dtype=np.uint32), "empty": np.zeros(0, dtype=np.int64)}
    calls = []
    first = compiled.cached_mapped("m", b"src", lambda: calls.append(1) or value)
    again = compiled.cached_mapped("m", b"src", lambda: calls.append(1) or value)
    assert len(calls) == 1 and first is value
    assert again["small"] == [1, "two"]
    for name in ("table", "ints", "empty"):
        assert np.array_equal(again[name], value[name]) and again[name].dtype == value[name].dtype
        assert again[name].shape == value[name].shape
    assert not again["table"].flags.writeable  # the file's pages, read-only
    [kept] = tmp_path.glob("m-*.pkl")
    kept.write_bytes(kept.read_bytes()[:-100])  # truncated: made again
    assert compiled.cached_mapped("m", b"src", lambda: calls.append(1) or value) is value
    assert len(calls) == 2
    compiled.cached_mapped("m", b"other", lambda: value)
    assert len(list(tmp_path.glob("m-*.pkl"))) == 1  # the old one removed


def test_the_language_model_from_its_mapped_parts_ranks_as_the_packaged_one():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from sitrep.extract import language
    packaged = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    loaded = language._identifier()
    assert isinstance(loaded.tk_nextmove, memoryview)
    assert bytes(loaded.tk_nextmove) == packaged.tk_nextmove.tobytes()
    for text in ("Rebels shell market town, six dead", "Le gouvernement a annoncé mardi la fin",
                 "", "2 killed, 5 hurt", "ARMY SAYS 30 FIGHTERS KILLED IN RAIDS ON HIDEOUTS"):
        assert loaded.rank(text) == packaged.rank(text)
