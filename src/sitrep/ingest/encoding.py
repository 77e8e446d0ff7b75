"""Bytes to clean text: decoding, mojibake repair and whitespace normalisation.

The text returned by ``repair_text`` is what the extractor reads and what evidence offsets
point into, so every reader passes its text through here exactly once. Clean text must come
back unchanged: the repair only touches what is broken.
"""
from __future__ import annotations

import codecs
import functools
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)



@functools.lru_cache(maxsize=1)
def _ftfy():
    """ftfy and its configuration, imported when a text first needs it (plain ASCII never
    does): ftfy's defaults, minus the steps that would rewrite text that is not broken."""
    import ftfy
    import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252"
    return ftfy, ftfy.TextFixerConfig(
        unescape_html="auto",
        fix_line_breaks=True,
        uncurl_quotes=True,
        normalization="NFC",
        explain=False,
    )

# FA-KES and similar scrapes lost some punctuation (curly quotes, dashes, the copyright sign)
# on the way through two encodings: what is left is U+0095 followed by "_" or by U+0081, or,
# once ftfy has read U+0095 as Windows-1252, a bullet followed by the same. The original
# character cannot be recovered; its position tells which kind it most likely was, and a
# plain ASCII stand-in keeps quotes and possessives visible to the extractor.
_LOST_MARK = "[\x95\u2022][_\x81]"
_LOST_INSIDE_WORD = re.compile(rf"(?<=[A-Za-z]){_LOST_MARK}(?=[A-Za-z])")
_LOST_OPENING = re.compile(rf"(?<![^\s(\[]){_LOST_MARK}(?=\w)")
_LOST_CLOSING = re.compile(rf"(?<=[\w.,!?]){_LOST_MARK}")
_LOST_ALONE = re.compile(_LOST_MARK)

# Printable ASCII with tabs and line feeds, no "&": nothing ftfy would change (no mojibake,
# entity, carriage return or control character), so it is not asked.
_PLAIN_ASCII = re.compile(r"[\t\n\x20-\x25\x27-\x7e]*")

_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff\u00ad]")
# A run of blanks holding two tabs or more was a block boundary in the scraped page.
_TAB_BREAK = re.compile(r"[ \t]*\t[ \t]*\t[ \t]*")
_BLANKS = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def decode_bytes(data: bytes) -> str:
    """Decode input bytes: a BOM's encoding, else UTF-8, else Windows-1252; then repair."""
    return repair_text(decode_raw(data))


def decode_raw(data: bytes) -> str:
    """Decode without repairing: for containers (JSON, CSV, HTML) whose fields are repaired
    one by one, since whitespace inside the container's syntax must not be touched."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 with the five undefined bytes kept as Latin-1, so nothing is lost and
        # UTF-8 fragments inside a cp1252 file come out as mojibake that ftfy can undo.
        _ftfy()  # registers the codec
        return data.decode("sloppy-windows-1252")


def repair_text(text: str) -> str:
    """Fix mojibake and stray control characters, normalise blanks, keep paragraph breaks."""
    if not text:
        return ""
    if not _PLAIN_ASCII.fullmatch(text):
        ftfy, config = _ftfy()
        text = _restore_lost_punctuation(ftfy.fix_text(text, config))
    return _normalise_whitespace(text)


def _restore_lost_punctuation(text: str) -> str:
    if "\x95" not in text and "\u2022" not in text:
        return text
    text = _LOST_INSIDE_WORD.sub("'", text)
    text = _LOST_OPENING.sub('"', text)
    text = _LOST_CLOSING.sub('"', text)
    return _LOST_ALONE.sub("-", text)


def _normalise_whitespace(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text)
    text = _TAB_BREAK.sub("\n", text)
    text = _BLANKS.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: NUL bytes, or mostly control characters."""
    sample = data[:8192]
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False  # UTF-16/32 text holds NUL bytes by design
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13) or b == 127)
    return controls / len(sample) > 0.05
