"""HTML pages and fragments to text: the article body without the page around it.

The body is taken from the page's own article container when it marks one (articleBody,
<article>, <main>), else from justext's paragraph classifier; navigation, headers, footers,
scripts and share widgets are removed first. Paragraphs stay on lines of their own so that
sentence and paragraph boundaries survive into the extractor.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

from .encoding import repair_text

_BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "blockquote pre table tr td th figure figcaption address hr form fieldset details summary "
    "center".split()
)
_JUNK_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "iframe", "svg", "button", "select", "input", "textarea", "object",
              "embed", "canvas", "menu", "dialog")
_JUNK_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "menu")
# Class or id words that mark page furniture rather than the story.
_JUNK_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|breadcrumbs?|cookies?|share|sharing|"
    r"social|related|recommended|comments?|subscribe|newsletter|advert|ads?|promo|popup|modal|"
    r"masthead|tags|byline-share|skip-link)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CONTAINERS = ('//*[@itemprop="articleBody"]', "//article", "//main", '//*[@role="main"]')

_META_PUBLISHED = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("itemprop", "datePublished"),
    ("name", "article:published_time"),
    ("name", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "date"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "dcterms.created"),
    ("name", "sailthru.date"),
    ("name", "parsely-pub-date"),
)
_BLOCK_GAP = re.compile(r"[^\S\n]*\n\s*")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


@dataclass
class HtmlPage:
    """What a page says about itself; published is the raw metadata value, not yet parsed."""

    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its top, if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


def parse_page(markup: str) -> HtmlPage:
    """Title, metadata and main text of an HTML page (already decoded)."""
    doc = _parse(markup)
    if doc is None:
        return HtmlPage(text="")
    page = HtmlPage(
        text="",
        title=_first_title(doc),
        published=_published(doc),
        outlet=_outlet(doc),
    )
    _drop_junk(doc)
    page.text = _main_text(doc, markup)
    return page


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed item's content), one block per line."""
    if "<" not in fragment:
        return repair_text(fragment)
    doc = _parse(f"<div>{fragment}</div>")
    if doc is None:
        return repair_text(re.sub(r"<[^>]+>", " ", fragment))
    for bad in doc.iter("script", "style", "noscript", "iframe"):
        bad.drop_tree()
    return _block_text(doc)


def _parse(markup: str) -> Any:
    # lxml refuses control characters that XML cannot hold; in HTML they are noise anyway.
    markup = _CONTROL_CHARS.sub("", _XML_DECLARATION.sub("", markup, count=1))
    if not markup.strip():
        return None
    # lxml and justext (with urllib, http and ssl) imported when a page is read: most
    # inputs are plain text or JSON, and importing them was a tenth of `sitrep extract`'s start
    import lxml.html
    from lxml import etree
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.LxmlError, ValueError):
        return None


def _meta(doc: Any, attr: str, value: str) -> str | None:
    wanted = value.lower()
    for el in doc.iter("meta"):
        if (el.get(attr) or "").strip().lower() == wanted:
            content = (el.get("content") or "").strip()
            if content:
                return content
    return None


def _first_title(doc: Any) -> str | None:
    candidates = [_meta(doc, "property", "og:title"), _meta(doc, "name", "twitter:title")]
    title_el = doc.find(".//title")
    if title_el is not None:
        candidates.append(title_el.text_content())
    candidates += [h.text_content() for h in doc.iter("h1")][:1]
    for c in candidates:
        if c and c.strip():
            return repair_text(c)
    return None


def _outlet(doc: Any) -> str | None:
    name = _meta(doc, "property", "og:site_name") or _ld_value(doc, ("publisher", "name"))
    return (repair_text(name) or None) if name else None


def _published(doc: Any) -> str | None:
    for attr, value in _META_PUBLISHED:
        found = _meta(doc, attr, value)
        if found:
            return found
    for el in doc.xpath('//*[@itemprop="datePublished"]'):
        value = el.get("datetime") or el.get("content") or el.text_content()
        if value and value.strip():
            return value.strip()
    ld = _ld_value(doc, ("datePublished",)) or _ld_value(doc, ("dateCreated",))
    if ld:
        return ld
    for el in doc.iter("time"):
        if el.get("datetime"):
            return el.get("datetime").strip()
    return None


def _ld_value(doc: Any, path: tuple[str, ...]) -> str | None:
    """A value from the page's JSON-LD (schema.org NewsArticle and friends), if present."""
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        for obj in _ld_objects(data):
            value: Any = obj
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, (str, int, float)) and str(value).strip():
                return str(value).strip()
    return None


def _ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item)
    elif isinstance(data, dict):
        yield data
        yield from _ld_objects(data.get("@graph"))


def _drop_junk(doc: Any) -> None:
    candidates = [el for el in doc.iter(*_JUNK_TAGS)]
    for el in doc.iter():
        if not isinstance(el.tag, str):
            candidates.append(el)  # comments and processing instructions
            continue
        if el.tag in ("html", "body", "article", "main"):
            continue
        role = (el.get("role") or "").lower()
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if role in _JUNK_ROLES or _JUNK_CLASS.search(marks):
            candidates.append(el)
    story = _paragraph_chars(doc)
    for el in candidates:
        if el.getparent() is None:
            continue
        # Some sites wrap the whole page in a <form> or a "has-sidebar" div: never drop what
        # holds the story itself.
        if isinstance(el.tag, str) and (
            el.xpath(".//article|.//main|.//*[@itemprop='articleBody']")
            or _paragraph_chars(el) > 0.4 * story
        ):
            continue
        el.drop_tree()


def _paragraph_chars(el: Any) -> int:
    return sum(len(p.text_content()) for p in el.iter("p"))


def _main_text(doc: Any, markup: str) -> str:
    for xpath in _CONTAINERS:
        # Teasers for other stories are <article>s too: the story is the longest one.
        texts = [_block_text(el) for el in doc.xpath(xpath)]
        best = max(texts, key=len, default="")
        if best:
            return best
    # No container: justext's classifier, unless it threw away most of the page's plain
    # paragraphs (it does on short stories, where every paragraph looks too short to trust).
    paragraphs = "\n".join(_plain_paragraphs(doc))
    import lxml.html
    text = _justext(lxml.html.tostring(doc, encoding="unicode"))
    if text and len(text) >= 0.5 * len(paragraphs):
        return text
    if paragraphs:
        return repair_text(paragraphs)
    body = doc.find("body")
    return text or _block_text(body if body is not None else doc)


def _plain_paragraphs(doc: Any) -> list[str]:
    """Texts of <p> elements that are prose rather than lists of links."""
    found = []
    for p in doc.iter("p"):
        text = p.text_content().strip()
        links = sum(len(a.text_content()) for a in p.iter("a"))
        if text and links <= 0.5 * len(text):
            found.append(text)
    return found


def _justext(markup: str) -> str:
    import justext
    try:
        paragraphs = justext.justext(markup, justext.get_stoplist("English"))
    except Exception:  # justext raises its own errors on odd markup; fall back to lxml then
        return ""
    return repair_text("\n".join(p.text for p in paragraphs if not p.is_boilerplate))


def _block_text(root: Any) -> str:
    """Text of an element with a line break around every block and at every <br>."""
    root = _copy(root)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    # Markup whitespace around blocks means nothing: one newline between blocks.
    return repair_text(_BLOCK_GAP.sub("\n", root.text_content()))


def _copy(el: Any) -> Any:
    return copy.deepcopy(el)
