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
