"""Readers: every input format, every kind of bad input, directories and standard input."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from sitrep.ingest import IngestError, count_inputs, read_inputs
from sitrep.ingest.encoding import repair_text
from sitrep.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"
FAKES = SHARED / "data" / "fakes-dev.csv"
GOLD = SHARED / "data" / "gold"


def read(*paths: str | Path, **kwargs) -> list[Article | IngestError]:
    return list(read_inputs([str(p) for p in paths], **kwargs))


def articles(items) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items) -> list[IngestError]:
    return [i for i in items if isinstance(i, IngestError)]


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- formats -------------------------------------------------------------------------------

def test_plain_text() -> None:
    [a] = read(FIXTURES / "plain.txt")
    assert isinstance(a, Article)
    assert a.article_id == "plain" and a.title is None
    assert a.text.startswith("Saturday 7 October 2017\nBEIRUT")
    assert "north of the town. Rescue" in a.text  # blanks inside a line collapsed
    assert "\n\nThe council said" in a.text  # paragraph break kept
    assert (a.published, a.published_from) == ("2017-10-07", "dateline")
    assert a.source == str(FIXTURES / "plain.txt")


def test_html_page() -> None:
    [a] = read(FIXTURES / "page.html")
    assert isinstance(a, Article)
    assert a.article_id == "page"
    assert a.title == "Shelling kills nine in eastern town"
    assert a.outlet == "The Example Times"
    assert (a.published, a.published_from) == ("2017-10-07", "metadata")
    assert "killing at least nine people" in a.text
    assert "the town's council" in a.text  # entity decoded, quote straightened
    for boilerplate in ("Home", "Sport", "cookies", "Share on social", "Related", "Copyright",
                        "tracking", "font-family"):
        assert boilerplate not in a.text
    lines = a.text.split("\n")
    assert len(lines) == 4 and lines[1].startswith("Artillery fire")


@pytest.mark.parametrize(
    ("head", "iso"),
    [
        ('<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, '
         '{"@type": "NewsArticle", "datePublished": "2019-06-02T07:00:00Z"}]}</script>',
         "2019-06-02"),
        ('<meta itemprop="datePublished" content="2019-06-03">', "2019-06-03"),
        ('<meta property="og:published_time" content="2019-06-04T01:00:00Z">', "2019-06-04"),
        ("", "2019-06-05"),  # from <time datetime> in the body
    ],
)
def test_html_published_sources(tmp_path: Path, head: str, iso: str) -> None:
    page = f"""<html><head><title>Blast at fuel depot</title>{head}</head><body>
    <div id="top"><a href="/">Home</a> | <a href="/a">About us</a></div>
    <div class="content"><time datetime="2019-06-05">5 June</time>
    <p>An explosion tore through a fuel depot on the edge of the port city early on Sunday,
    killing three workers and setting nearby warehouses on fire, the civil defence said.</p>
    <p>Firefighters needed several hours to bring the blaze under control, officials said.</p>
    </div><div class="bottom">Copyright 2019 | <a href="/p">Privacy</a></div></body></html>"""
    [a] = read(write(tmp_path / "blast.htm", page))
    assert isinstance(a, Article)
    assert a.published == iso
    assert a.title == "Blast at fuel depot"
    # No <article> here: the prose paragraphs are kept, the link bars dropped.
    assert a.text.startswith("An explosion tore") and "Firefighters" in a.text
    assert "About us" not in a.text and "Privacy" not in a.text


def test_html_declared_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
            "<title>t</title></head><body><article><p>Hama \xe1 ok</p></article></body></html>")
    [a] = read(write(tmp_path / "x.html", page.encode("latin-1")))
    assert a.text == "Hama \u0644 ok"  # 0xE1 is lam in windows-1256


def test_json_object() -> None:
    [a] = read(FIXTURES / "article.json")
    assert isinstance(a, Article)
    assert a.article_id == "ex-0001"
    assert a.title == "Drone strike hits convoy near border crossing"
    assert a.text.count("\n") == 1
    assert (a.published, a.published_from, a.outlet) == ("2016-03-15", "metadata", "Example Wire")


def test_json_list_ids_and_aliases() -> None:
    items = read(FIXTURES / "list.json")
    first, second, bad = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.article_id == "101"  # the input's own id, as a string
    assert first.published == "2016-03-14" and first.outlet == "Example Daily"
    assert second.article_id == "list-2"  # no id: stem plus position
    assert second.published == "2016-03-13"
    assert second.text.startswith("Fighting between")
    assert first.source.endswith("list.json:item 1")
    assert isinstance(bad, IngestError)
    assert bad.source.endswith("list.json:item 3") and "no text" in bad.reason


def test_json_wrapped_list_and_json_lines_in_json(tmp_path: Path) -> None:
    wrapped = {"articles": [{"text": "First story."}, {"text": "Second story."}]}
    items = read(write(tmp_path / "wrapped.json", json.dumps(wrapped)))
    assert [a.article_id for a in articles(items)] == ["wrapped-1", "wrapped-2"]
    lines = '{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n'
    items = read(write(tmp_path / "lines.json", lines))
    assert [a.article_id for a in articles(items)] == ["a", "b"]


def test_jsonl_with_a_bad_line() -> None:
    items = read(FIXTURES / "lines.jsonl")
    assert [a.article_id for a in articles(items)] == ["l1", "l3"]
    [err] = errors(items)
    assert err.source.endswith("lines.jsonl:line 2")
    assert "truncated JSON" in err.reason and "column" in err.reason


def test_generic_csv() -> None:
    items = read(FIXTURES / "generic.csv")
    g1, g2, bad = items
    assert isinstance(g1, Article) and isinstance(g2, Article)
    assert g1.article_id == "g1" and g1.title == "Airstrike destroys bakery"
    assert g1.published == "2016-08-10" and g1.outlet == "Example Post"
    assert "\nThe employer appealed" in g2.text  # a quoted multi-line field
    assert isinstance(bad, IngestError) and bad.source.endswith("generic.csv:row 3")


def test_fakes_layout_csv_with_cp1252_bytes() -> None:
    raw = (FIXTURES / "fakes-layout.csv").read_bytes()
    assert b"\x92" in raw  # the fixture really holds cp1252 bytes
    items = read(FIXTURES / "fakes-layout.csv")
    assert len(items) == 5
    first, second, broken, empty, last = items
    assert first.article_id == "5550001" and first.outlet == "exampletimes"
    assert "the town's main market" in first.text and "don't know" in first.text
    assert "â€" not in first.text
    # The printed dateline (squeezed "Jun 062016") beats the metadata crawl date 6/22/16.
    assert (first.published, first.published_from) == ("2016-06-06", "dateline")
    assert (second.published, second.published_from) == ("2016-05-26", "dateline")
    assert isinstance(broken, IngestError) and broken.source.endswith("fakes-layout.csv:row 3")
    assert "quot" in broken.reason and "line 4" in broken.reason
    assert isinstance(empty, IngestError) and empty.source.endswith("fakes-layout.csv:row 4")
    assert (last.article_id, last.published, last.published_from) == ("5550005", "2016-03-07",
                                                                      "metadata")


def test_csv_unbalanced_quote_does_not_swallow_later_rows(tmp_path: Path) -> None:
    table = ('id,title,text\n'
             '1,a,"fine, quoted"\n'
             '2,b,"never closed\n'
             '3,c,third story\n'
             '4,d,fourth story\n')
    items = read(write(tmp_path / "t.csv", table))
    assert [a.article_id for a in articles(items)] == ["1", "3", "4"]
    [err] = errors(items)
    assert err.source.endswith("t.csv:row 2")


def test_csv_too_many_fields_and_no_text_column(tmp_path: Path) -> None:
    items = read(write(tmp_path / "t.csv", "id,text\n1,one story\n2,two, stories\n3,three\n"))
    assert [a.article_id for a in articles(items)] == ["1", "3"]
    assert "expected 2 fields, found 3" in errors(items)[0].reason
    [err] = read(write(tmp_path / "u.csv", "id,name\n1,x\n"))
    assert isinstance(err, IngestError) and "no text column" in err.reason


def test_tsv(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "t.tsv", "id\ttext\tdate\nx1\tA story, with a comma.\t7/4/16\n"))
    assert (a.article_id, a.text, a.published) == ("x1", "A story, with a comma.", "2016-07-04")


def test_rss_feed() -> None:
    items = read(FIXTURES / "feed.rss")
    first, second, empty = items
    assert first.article_id == "ew-2017-0412"  # guid
    assert first.title == "Rocket attack hits power station"
    assert first.text == ("Rockets hit a power station outside the city on Tuesday night, "
                          "killing two workers, the energy ministry said.\n"
                          "Power was cut to several districts.")
    assert first.published == "2017-04-12"  # the local date, not UTC's 11 April
    assert first.outlet == "Example Wire: Middle East"
    assert second.article_id == "https://example.org/news/hilltop-village"  # no guid: link
    assert "Eleven fighters" in second.text  # content:encoded preferred to the summary
    assert isinstance(empty, IngestError) and empty.source.endswith("feed.rss:item 3")


def test_atom_feed() -> None:
    first, second = read(FIXTURES / "feed.atom")
    assert first.article_id == "urn:example:monitor:8841"
    assert first.text.startswith("Helicopters dropped barrel bombs")
    assert "<p>" not in first.text
    assert first.published == "2018-02-19"  # published, not updated
    assert second.published == "2018-02-20" and second.text.startswith("Talks on")
    assert first.outlet == "Example Monitor"


def test_xml_feed_by_sniffing_and_plain_xml(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "feed.atom", tmp_path / "feed.xml")
    assert len(articles(read(tmp_path / "feed.xml"))) == 2
    [err] = read(write(tmp_path / "data.xml", "<?xml version='1.0'?><rows><row>1</row></rows>"))
    assert isinstance(err, IngestError) and "not an RSS or Atom feed" in err.reason


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    [err] = read(write(tmp_path / "empty.txt", content))
    assert isinstance(err, IngestError) and err.reason == "empty file"


@pytest.mark.parametrize("name", ["photo.jpg", "notes.txt", "blob"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    data = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4
    [err] = read(write(tmp_path / name, data))
    assert isinstance(err, IngestError) and err.reason == "binary file"


def test_truncated_json(tmp_path: Path) -> None:
    [err] = read(write(tmp_path / "cut.json", '{\n  "id": "x",\n  "text": "A story"'))
    assert isinstance(err, IngestError)
    assert err.source == str(tmp_path / "cut.json")
    assert err.reason.startswith("truncated JSON (line 3")


def test_invalid_json_names_the_position(tmp_path: Path) -> None:
    [err] = read(write(tmp_path / "bad.json", '{"id": "x", "text": "A story",, "more": 1}'))
    assert isinstance(err, IngestError)
    assert err.reason.startswith("invalid JSON") and "line 1, column" in err.reason


def test_file_over_max_bytes_is_not_read(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(2_000_001)  # sparse: nothing is written, nothing needs to be read
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file to reject it"))
    [err] = read(big, max_bytes=2_000_000)
    assert isinstance(err, IngestError)
    assert "2,000,001 bytes" in err.reason and "2,000,000" in err.reason
    assert "--max-bytes" in err.reason


def test_missing_path() -> None:
    [err] = read("/no/such/dir/story.txt")
    assert isinstance(err, IngestError)
    assert err.source == "/no/such/dir/story.txt" and err.reason == "no such file or directory"


def test_directory_walk_with_good_and_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(FIXTURES / "plain.txt", root / "b-plain.txt")
    shutil.copy(FIXTURES / "article.json", root / "sub" / "a.json")
    write(root / "a-empty.txt", "")
    write(root / "c-cut.json", '{"text": "cut')
    write(root / "d.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    write(root / ".hidden.txt", "A hidden story.")
    write(root / ".git" / "config.txt", "A story in a hidden folder.")
    items = read(root, "/no/such/file.txt", FIXTURES / "article.json")
    names = [Path(i.source.split(":")[0]).name if isinstance(i, IngestError) else i.article_id
             for i in items]
    assert names == ["a-empty.txt", "b-plain", "c-cut.json", "d.png", "ex-0001", "file.txt",
                     "ex-0001"]
    assert [type(i).__name__ for i in items].count("Article") == 3
    assert not any("hidden" in (getattr(i, "text", "") or "") for i in items)


# --- standard input ------------------------------------------------------------------------

def test_stdin_json_lines_text_stream() -> None:
    stream = io.StringIO('{"id": "s1", "text": "One story."}\n{"id": "s2", "text": "Two."}\n')
    items = read("-", stdin=stream)
    assert [a.article_id for a in articles(items)] == ["s1", "s2"]
    assert items[0].source == "-:line 1"


def test_stdin_csv_bytes_cp1252() -> None:
    stream = io.BytesIO(b"id,text,date\nk1,the town\x92s market was hit,5/6/16\n")
    [a] = read("-", stdin=stream)
    assert (a.article_id, a.text, a.published) == ("k1", "the town's market was hit", "2016-05-06")


@pytest.mark.parametrize(
    ("payload", "expected_text"),
    [
        (b"Tuesday 4 April 2017 Jets struck the town at dawn.", "Tuesday 4 April 2017 Jets"),
        (b"<!DOCTYPE html><html><head><title>T</title></head><body><article><p>Jets struck "
         b"the town at dawn.</p></article></body></html>", "Jets struck the town"),
        (b'{"id": "j", "text": "Jets struck the town at dawn."}', "Jets struck the town"),
        ((FIXTURES / "feed.rss").read_bytes(), "Rockets hit a power station"),
    ],
)
def test_stdin_sniffs_the_format(payload: bytes, expected_text: str) -> None:
    items = read("-", stdin=io.BytesIO(payload))
    assert articles(items)[0].text.startswith(expected_text)


def test_stdin_plain_text_gets_stdin_id_and_option_date() -> None:
    [a] = read("-", stdin=io.BytesIO(b"Jets struck the town at dawn."), published="2017-04-04",
               outlet="Example Radio")
    assert (a.article_id, a.source, a.published, a.published_from, a.outlet) == (
        "stdin", "-", "2017-04-04", "option", "Example Radio")


def test_stdin_over_max_bytes() -> None:
    [err] = read("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100)
    assert isinstance(err, IngestError) and err.source == "stdin" and "--max-bytes" in err.reason


# --- options -------------------------------------------------------------------------------

def test_published_option_priority(tmp_path: Path) -> None:
    undated = write(tmp_path / "undated.txt", "Jets struck the town at dawn.")
    dated = FIXTURES / "plain.txt"
    meta = FIXTURES / "article.json"
    by_id = {a.article_id: a for a in articles(read(undated, dated, meta, published="4/5/17"))}
    assert (by_id["undated"].published, by_id["undated"].published_from) == ("2017-04-05", "option")
    assert by_id["plain"].published_from == "dateline"
    assert by_id["ex-0001"].published_from == "metadata"


def test_bad_published_option_is_reported_not_raised(tmp_path: Path) -> None:
    items = read(write(tmp_path / "s.txt", "A story."), published="someday")
    assert isinstance(items[0], IngestError) and items[0].source == "--published"
    assert isinstance(items[1], Article) and items[1].published is None


def test_outlet_option_is_a_fallback() -> None:
    by_id = {a.article_id: a for a in articles(read(FIXTURES / "plain.txt",
                                                    FIXTURES / "article.json", outlet="CLI"))}
    assert by_id["plain"].outlet == "CLI"
    assert by_id["ex-0001"].outlet == "Example Wire"


def test_count_inputs() -> None:
    # article 1, fakes-layout 5, atom 2, rss 3, generic csv 4 (its lines: one row spans
    # two), lines.jsonl 3, list 3, page 1, plain 1
    assert count_inputs([str(FIXTURES)]) == 23
    assert len(list(read_inputs([str(FIXTURES)]))) == 22
    assert count_inputs([str(FIXTURES / "list.json"), "/no/such/file"]) == 4
    assert count_inputs(["-"]) is None


# --- the real data set ---------------------------------------------------------------------

@pytest.mark.skipif(not FAKES.is_file(), reason="shared FA-KES data not present")
def test_fakes_dev_csv() -> None:
    items = read(FAKES)
    assert not errors(items)
    assert len(items) == 405
    with FAKES.open(encoding="cp1252", errors="replace", newline="") as f:
        ids = [row["unit_id"] for row in csv.DictReader(f)]
    assert [a.article_id for a in items] == ids
    for a in items:
        assert a.text.strip() and a.title
        assert "â€" not in a.text and "\x95" not in a.text and "\ufffd" not in a.text
        assert a.published and a.published_from in ("dateline", "metadata")
    from_dateline = sum(a.published_from == "dateline" for a in items)
    print(f"\nFA-KES dev: {from_dateline} of {len(items)} publication dates from the dateline")
    assert from_dateline >= 0.9 * len(items)


@pytest.mark.skipif(not (FAKES.is_file() and GOLD.is_dir()), reason="shared data not present")
def test_fakes_text_is_what_gold_offsets_point_into() -> None:
    by_id = {a.article_id: a for a in articles(read(FAKES))}
    checked = 0
    for path in sorted(GOLD.glob("fakes-*.article.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        unit_id = gold["article_id"].removeprefix("fakes-")
        if unit_id in by_id:
            # Some annotators kept the raw CSV text (tab runs, trailing blanks, cp1252 bytes):
            # it is the reader's text once repaired as the reader repairs it.
            assert by_id[unit_id].text == repair_text(gold["text"])
            checked += 1
    assert checked > 0


# --- robustness ----------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir()))
def test_cut_and_corrupted_inputs_never_raise(tmp_path: Path, fixture: str) -> None:
    data = (FIXTURES / fixture).read_bytes()
    noise = bytes((i * 37 + 11) % 256 for i in range(40))
    variants = []
    for cut in (1, 7, len(data) // 3, len(data) // 2, len(data) - 5):
        variants += [data[:cut], data[cut:], data[:cut] + noise + data[cut:]]
    target = tmp_path / f"x{Path(fixture).suffix}"
    for variant in variants:
        target.write_bytes(variant)
        for item in read(target) + read("-", stdin=io.BytesIO(variant)):
            assert isinstance(item, (Article, IngestError))
            if isinstance(item, IngestError):
                # every failure is one the readers expected, not the last-resort guard
                assert not item.reason.startswith("could not be read"), item


# --- the bundled samples and their hand annotations -----------------------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLES_GOLD = Path(__file__).parent / "fixtures" / "samples-gold"


@pytest.mark.skipif(not SAMPLES_GOLD.is_dir(), reason="sample annotations not present")
def test_sample_texts_are_what_gold_evidence_offsets_point_into() -> None:
    by_id = {a.article_id: a for a in articles(read(SAMPLES))}
    checked = 0
    for path in sorted(SAMPLES_GOLD.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        article = by_id[gold["article_id"]]
        assert article.published == gold["published"], gold["article_id"]
        for incident in gold.get("incidents", []):
            for claim in incident.get("claims", []):
                for span in claim.get("evidence", []):
                    assert article.text[span["start"]:span["end"]] == span["text"]
                    checked += 1
    assert checked > 50


def test_directory_walk_skips_notes_but_reads_them_when_named(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling killed three people in the town on Monday.")
    (tmp_path / "README.md").write_text("These are the notes of the sample folder.")
    walked = list(read_inputs([str(tmp_path)]))
    assert [a.article_id for a in walked] == ["a"]
    named = list(read_inputs([str(tmp_path / "README.md")]))
    assert len(named) == 1
