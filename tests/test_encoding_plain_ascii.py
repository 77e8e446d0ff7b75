"""Plain ASCII text skips ftfy, which would leave it as it is (ingest/encoding.py)."""
import ftfy

from sitrep.ingest.encoding import _PLAIN_ASCII, _ftfy, repair_text


def test_plain_ascii_is_what_ftfy_leaves_alone():
    for code in range(128):
        text = f"ab{chr(code)}cd x{chr(code)}"
        if _PLAIN_ASCII.fullmatch(text):
            assert ftfy.fix_text(text, _ftfy()[1]) == text, hex(code)


def test_what_ftfy_changes_in_ascii_still_goes_through_it():
    assert repair_text("Tom &amp; Jerry") == "Tom & Jerry"
    assert repair_text("one\r\ntwo") == "one\ntwo"
    assert repair_text("bell\x07 rings") == "bell rings"
    assert repair_text("caf\u00c3\u00a9 owner") == "caf\u00e9 owner"
    assert repair_text("  plain   text\n\n\n\nnext ") == "plain text\n\nnext"
