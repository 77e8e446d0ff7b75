"""Decoding input bytes and repairing mojibake without touching clean text."""
from __future__ import annotations

import pytest

from sitrep.ingest import decode_bytes, repair_text
from sitrep.ingest.encoding import looks_binary


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Residents said they donâ€™t know who fired.", "Residents said they don't know who fired."),
        ("The toll rose to 40 â€“ the highest this year.", "The toll rose to 40 – the highest this year."),
        ("A fee of Â£5 was charged.", "A fee of £5 was charged."),
        ("the town\x92s mayor", "the town's mayor"),  # a cp1252 quote read as Latin-1
        ("\u201cWe were asleep,\u201d he said.", '"We were asleep," he said.'),
        ("Fighters &amp; civilians", "Fighters & civilians"),
    ],
)
def test_repair_fixes_mojibake(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        # punctuation lost on the way through two encodings, as in FA-KES
        ("jets pound the old city \x95_ monitor", "jets pound the old city - monitor"),
        ("north of the city\x95_s airport", "north of the city's airport"),
        ("a \x95\x81serious violation\x95\x81 of the truce", 'a "serious violation" of the truce'),
        ("Copyright \x95\x81 2019 Example Media", "Copyright - 2019 Example Media"),
        ("jets pound the old city Â•_ monitor", "jets pound the old city - monitor"),
    ],
)
def test_repair_restores_lost_punctuation(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


def test_repair_normalises_whitespace_but_keeps_paragraphs() -> None:
    text = "  First  line\twith   blanks \r\nSecond\u00a0line\n\n\n\nThird\u200b line  "
    assert repair_text(text) == "First line with blanks\nSecond line\n\nThird line"


def test_tab_runs_become_line_breaks() -> None:
    # Scrapes keep the page's block boundaries as runs of tabs.
    assert repair_text("shells fell near the bakery. \t \tMedics came later") == (
        "shells fell near the bakery.\nMedics came later")


def test_clean_text_is_unchanged() -> None:
    text = ('Moscow — Some 120 fighters were killed, the ministry said on Saturday.\n'
            '"A command post was destroyed," it said. Café owners fled.')
    assert repair_text(text) == text
    assert repair_text(repair_text(text)) == text


def test_repair_empty() -> None:
    assert repair_text("") == ""
    assert repair_text(" \n\t ") == ""


def test_decode_utf8_and_bom() -> None:
    assert decode_bytes("Deir ez-Zor café".encode("utf-8")) == "Deir ez-Zor café"
    assert decode_bytes(b"\xef\xbb\xbfHello") == "Hello"
    assert decode_bytes("Hama — 3 killed".encode("utf-16")) == "Hama — 3 killed"


def test_decode_cp1252_bytes() -> None:
    assert decode_bytes(b"the town\x92s caf\xe9 \x93shelled\x94") == 'the town\'s café "shelled"'


def test_decode_utf8_fragments_inside_cp1252() -> None:
    # A cp1252 file (the 0x92 byte) that also holds UTF-8 bytes for a right quote.
    data = b"they don\xe2\x80\x99t know; the town\x92s mayor"
    assert decode_bytes(data) == "they don't know; the town's mayor"


def test_decode_keeps_bytes_undefined_in_cp1252() -> None:
    # 0x81 is undefined in cp1252: it must neither raise nor vanish silently into "?"
    assert "?" not in decode_bytes(b"caf\xe9 \x81 ok")


def test_looks_binary() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(bytes(range(1, 9)) * 100)
    assert not looks_binary(b"Plain text\nwith lines\tand tabs\n")
    assert not looks_binary("utf-16 text".encode("utf-16"))
    assert not looks_binary(b"")
