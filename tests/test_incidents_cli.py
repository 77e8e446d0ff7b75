"""`sitrep incidents` and `sitrep export` over a temporary SQLite store, as a user runs them."""
import csv
import io
import json

import pytest

from sitrep.cli import main
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location
from sitrep.store.model import LinkedIncident, StoredIncident


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _incident(event_type, date, place, admin1, country, lat, lon, perpetrator, claims, target=None):
    return Incident(event_type, date, None, "day", Location(place, admin1, country, lat, lon, "town"),
                    list(perpetrator), target, claims)


def _claim(by, total=None, civilians=None, denial=False):
    killed = {}
    if total is not None:
        killed["total"] = Count(best=total)
    if civilians is not None:
        killed["civilians"] = Count(best=civilians)
    return Claim(by, killed, {}, denial)


# Five articles (FA-KES-style ids): three report one strike in Mayadeen (two of them copies of
# one wire story), one reports a bombing in Aleppo, one a strike in Raqqa.
ARTICLES = [
    ("1914947530", "Reuters", "2017-10-07",
     [_incident("air_strike", "2017-10-06", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                ["Russian forces"], [_claim("Russian Defence Ministry", 80)])]),
    ("1914947531", "Yahoo News", "2017-10-07",
     [_incident("air_strike", "2017-10-06", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                ["Russian forces"], [_claim("Syrian Observatory for Human Rights", 20, 20)])]),
    ("1914947532", "Daily Star", "2017-10-07",
     [_incident("air_strike", "2017-10-06", "Mayadeen", "Deir ez-Zor", "SY", 35.02, 40.45,
                ["Syrian government forces"], [_claim("Syrian Observatory for Human Rights", 20, 20)])]),
    ("1919191772", "SANA", "2017-04-16",
     [_incident("suicide_bombing", "2017-04-15", "Rashideen", "Aleppo", "SY", 36.18, 37.08,
                ["unknown"], [_claim("SANA", 126)])]),
    ("1965511164", "AFP", "2016-05-01",
     [_incident("air_strike", "2016-04-30", "Raqqa", "Raqqa", "SY", None, None,
                ["US-led coalition"], [_claim("reporter", 4)])]),
]


def _store_module():
    store = pytest.importorskip("sitrep.store")
    if not hasattr(store, "open_store"):
        pytest.skip("the store is not built in this checkout")
    return store


@pytest.fixture
def db(tmp_path):
    store_mod = _store_module()
    path = str(tmp_path / "incidents.db")
    with store_mod.open_store(path) as store:
        for aid, outlet, published, incidents in ARTICLES:
            art = Article(article_id=aid, text=f"Text of {aid}.", published=published, outlet=outlet)
            store.add(art, ArticleRecord(aid, published, incidents), "test-1")
        by_article = {si.article_id: si for si in store.incidents()}
        mayadeen = [by_article[a] for a in ("1914947530", "1914947531", "1914947532")]
        store.save_links([
            LinkedIncident(1, [si.pk for si in mayadeen],
                           [[by_article["1914947531"].article_pk, by_article["1914947532"].article_pk]]),
            LinkedIncident(2, [by_article["1919191772"].pk]),
            LinkedIncident(3, [by_article["1965511164"].pk]),
        ])
    return path


def test_incidents_json_carries_article_ids_and_wire_groups(db):
    code, out, err = run(["incidents", "--db", db, "--format", "json"])
    assert code == 0, err
    data = {d["id"]: d for d in json.loads(out)}
    assert sorted(data) == [1, 4, 5]   # each by its smallest member
    strike = data[1]
    assert strike["article_ids"] == ["1914947530", "1914947531", "1914947532"]
    assert strike["wire_groups"] == [["1914947531", "1914947532"]]
    assert strike["number_of_sources"] == 2                # the wire copies count once
    assert strike["killed"]["total"]["best"] == 20 and strike["killed"]["total"]["high"] == 80
    assert strike["flags"] == ["figures_disagree", "perpetrator_disputed"]
    assert [p["actor"] for p in strike["perpetrators"]] == ["Russian forces", "Syrian government forces"]
    assert data[4]["flags"] == ["single_source"]
    assert "3 incidents, 1 disputed" in err


@pytest.mark.parametrize("options,ids", [
    (["--since", "2017-01-01"], [1, 4]),
    (["--until", "2016-12-31"], [5]),
    (["--place", "Deir Ezzor"], [1]),
    (["--place", "aleppo"], [4]),
    (["--actor", "ISIS"], []),
    (["--actor", "coalition"], [5]),
    (["--actor", "Assad regime"], [1]),
    (["--min-killed", "50"], [4]),
    (["--disputed"], [1]),
    (["--since", "2017-01-01", "--min-killed", "10", "--actor", "russian"], [1]),
    # the HTTP API's filters: country, event type, and ACLED's sub-event type, with a limit
    (["--country", "sy"], [1, 4, 5]),
    (["--country", "UA"], []),
    (["--event-type", "suicide_bombing"], [4]),
    (["--event-type", "suicide_bombing", "--event-type", "air_strike"], [1, 4, 5]),
    (["--sub-event-type", "Suicide bomb"], [4]),
    (["--sub-event-type", "air/drone strike"], [1, 5]),
    (["--sub-event-type", "Armed clash"], []),
    (["--limit", "2"], [1, 4]),
    (["--country", "SY", "--event-type", "air_strike", "--limit", "1"], [1]),
])
def test_filters(db, options, ids):
    code, out, err = run(["incidents", "--db", db, "--format", "json", *options])
    assert code == 0, err
    assert [d["id"] for d in json.loads(out)] == ids


def test_table_and_csv(db):
    code, out, _ = run(["incidents", "--db", db])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["id", "date", "type", "place"]
    strike = next(line for line in lines if line.lstrip().startswith("1 "))
    assert "Mayadeen" in strike and "20 [20-80]" in strike and "figures, perpetrator" in strike
    code, out, _ = run(["incidents", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    from sitrep.export import FLAT_COLUMNS
    assert list(rows[0].keys()) == list(FLAT_COLUMNS)
    assert rows[0]["article_ids"] == "1914947530; 1914947531; 1914947532"


@pytest.mark.parametrize("columns", [110, 40])
def test_a_narrow_table_wraps_names_and_explains_its_markers(db, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(["incidents", "--db", db])
    assert code == 0 and "…" not in out
    width = max(len(line) for line in out.splitlines())
    # it fits a terminal wide enough for its words; narrower, it keeps them whole all the same
    assert width <= 110 if columns == 110 else width > 40
    words = out.split()
    for name in ("Mayadeen", "Rashideen", "Deir", "ez-Zor", "Russian", "[20-80]", "suicide_bombing"):
        assert name in words, name  # every name whole, on one line or wrapped onto the next
    assert "".join(out.split()).count("1914947530") == 1  # ids may break, never go missing
    footer = " ".join(out.split("\n\n")[-1].split())
    assert "[low-high] where the sources' figures differ" in footer
    assert "src: independent sources" in footer
    assert "figures: the sources' figures disagree" in footer and "single: one source only" in footer
    assert "N*" not in footer  # a marker no cell uses is not explained


def test_columns_pick_and_order_the_table(db):
    code, out, _ = run(["incidents", "--db", db, "--columns", "place,killed,id"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["place", "killed", "id"]
    assert lines[2].split() == ["Mayadeen", "20", "[20-80]", "1"]
    assert "src:" not in out and "flags:" not in out  # notes only for the columns shown


def test_an_unknown_column_is_a_usage_error_naming_the_columns(db, capsys):
    with pytest.raises(SystemExit) as exc:
        run(["incidents", "--db", db, "--columns", "id,deaths"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "no column 'deaths'" in err and "id, date, type, place" in err


@pytest.mark.parametrize("fmt", ["acled", "ucdp", "geojson", "jsonl", "plover"])
def test_export_to_a_file(db, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    code, out, err = run(["export", "--db", db, "--format", fmt, "-o", str(target)])
    assert code == 0, err
    assert out == ""
    text = target.read_text(encoding="utf-8")
    if fmt == "geojson":
        doc = json.loads(text)
        assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
        assert "left out 1 incident (no coordinates): 5" in err
        assert "2 of 3 incidents exported as geojson" in err
    elif fmt in ("jsonl", "plover"):
        assert len(text.splitlines()) == 3
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 3


def test_export_takes_the_same_filters(db):
    code, out, err = run(["export", "--db", db, "--format", "acled", "--sub-event-type", "Air/drone strike",
                          "--limit", "1"])
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["event_id_cnty"], r["sub_event_type"]) for r in rows] == [("SYR1", "Air/drone strike")]
    assert "1 of 1 incidents exported as acled" in err


def test_export_filters_and_standard_output(db):
    code, out, err = run(["export", "--db", db, "--format", "acled", "--disputed"])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["event_id_cnty"] for r in rows] == ["SYR1"]
    assert rows[0]["fatalities"] == "20"


def test_a_missing_database_is_an_error_not_a_new_file(tmp_path):
    path = tmp_path / "nothing.db"
    code, out, err = run(["incidents", "--db", str(path)])
    assert code == 2
    assert "no database at" in err and "sitrep ingest" in err
    assert not path.exists()


def test_a_bad_date_is_refused(db):
    with pytest.raises(SystemExit) as exc:
        run(["incidents", "--db", db, "--since", "last week"])
    assert exc.value.code == 2


def test_without_links_each_incident_stands_alone(tmp_path):
    store_mod = _store_module()
    path = str(tmp_path / "unlinked.db")
    with store_mod.open_store(path) as store:
        aid, outlet, published, incidents = ARTICLES[3]
        store.add(Article(aid, "Some text.", published=published, outlet=outlet),
                  ArticleRecord(aid, published, incidents), "test-1")
    code, out, err = run(["incidents", "--db", path, "--format", "json"])
    assert code == 0
    assert "no linked incidents" in err
    assert [d["article_ids"] for d in json.loads(out)] == [["1919191772"]]


def test_the_commands_run_on_any_store_with_the_api(monkeypatch):
    """In-memory data through the same commands (the store's API: incidents() and links())."""
    import sitrep.commands.reconcile as cmd

    inc = _incident("shelling", "2022-04-29", "Kharkiv", "Kharkiv Oblast", "UA", 49.98, 36.25,
                    ["Russian forces"], [_claim("reporter", 5)])

    class FakeStore:
        def incidents(self):
            return [StoredIncident(1, 1, "kh-1", "BBC", "2022-04-30", 0, inc)]

        def links(self):
            return [LinkedIncident(4, [1])]

        def corrections(self):   # no analyst has reviewed anything (sitrep.review)
            return []

        def close(self):
            pass

    monkeypatch.setattr(cmd, "open_existing_store", lambda url: FakeStore())
    code, out, err = run(["export", "--format", "geojson"])
    assert code == 0, err
    feature = json.loads(out)["features"][0]
    assert feature["id"] == 1 and feature["geometry"]["coordinates"] == [36.25, 49.98]


def test_the_commands_are_listed_in_help():
    with pytest.raises(SystemExit):
        run(["--help"])
    from sitrep.cli import build_parser
    text = build_parser().format_help()
    assert "incidents" in text and "export" in text


def test_link_refuses_a_missing_database_instead_of_creating_one(tmp_path):
    code, out, err = run(["link", "--db", str(tmp_path / "none.db")])
    assert code == 2 and "no database at" in err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("argv, message", [
    (["incidents", "--min-killed", "-1"], "--min-killed: not a whole number (at least 0): '-1'"),
    (["incidents", "--limit", "0"], "--limit: not a whole number (at least 1): '0'"),
    (["export", "--country", "SYR"], "--country: not an ISO 3166 alpha-2 code: 'SYR'"),
    (["incidents", "--event-type", "bombing"], "--event-type: unknown event type 'bombing'"),
    (["export", "--sub-event-type", "Airstrike"], "--sub-event-type: unknown ACLED sub-event type 'Airstrike'"),
    (["serve", "--port", "70000"], "--port: not a port number (0-65535): '70000'"),
    (["serve", "--max-body", "lots"], "--max-body: not a number of bytes: 'lots'"),
])
def test_numbers_out_of_range_are_refused_naming_the_option(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        run(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
