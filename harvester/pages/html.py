"""Markup helpers the page objects share: text by blocks, e-mail decoding, link tests."""

from functools import lru_cache
from typing import TypeAlias
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from harvester.normalize.text import clean, paragraphs
from harvester.site_urls import DOCUMENT_PATH, DOWNLOAD_PATH

# The elements page objects read: lxml.html's subclass adds nothing they use.
Element: TypeAlias = etree._Element

BLOCK_TAGS = frozenset((
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "aside", "header", "footer", "table", "thead", "tbody",
    "tr", "pre", "figure", "figcaption", "address", "hr", "nav", "main", "form", "fieldset",
))
SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template", "head", "title"))
CELL_TAGS = frozenset(("td", "th"))
_CF_PATH = "/cdn-cgi/l/email-protection"


def has_class(name: str) -> str:
    """XPath predicate matching one class token exactly (`date`, not `update-date`)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def decode_cfemail(hex_value: str) -> str | None:
    """Cloudflare hides addresses as a key byte followed by the address XORed with it."""
    try:
        data = bytes.fromhex(hex_value.strip())
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _protected_email(element: Element) -> str | None:
    """The decoded address if this element is a Cloudflare e-mail wrapper."""
    encoded = element.get("data-cfemail")
    if encoded is None and element.tag == "a":
        href = element.get("href") or ""
        if _CF_PATH in href and "#" in href:
            encoded = href.split("#", 1)[1]
    return decode_cfemail(encoded) if encoded else None


def text_blocks(element: Element | None) -> list[str]:
    """The element's text split at block boundaries and `<br>`, e-mails decoded."""
    if element is None:
        return []
    blocks: list[str] = []
    current: list[str] = []
    _walk_text(element, blocks, current)
    if current:
        blocks.append("".join(current))
    return blocks


def _walk_text(node: Element, blocks: list[str], current: list[str]) -> None:
    """text_blocks' walk: a plain function, since a closure that calls itself is a reference
    cycle, left for the garbage collector on every call."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in SKIPPED_TAGS or _read_as_leaf(node, tag, blocks, current):
        return
    is_block = tag in BLOCK_TAGS
    if is_block:
        _flush(blocks, current)
    elif tag in CELL_TAGS:
        current.append(" ")
    if text := node.text:
        current.append(text)
    for child in node:
        if isinstance(child.tag, str):
            _walk_text(child, blocks, current)
        if tail := child.tail:
            current.append(tail)
    if is_block:
        _flush(blocks, current)


def _read_as_leaf(node: Element, tag: str, blocks: list[str], current: list[str]) -> bool:
    """An e-mail wrapper gives its decoded address and a `<br>` ends a block; nothing inside
    either is read."""
    if tag == "a" or node.get("data-cfemail") is not None:
        email = _protected_email(node)
        if email is not None:
            current.append(email)
            return True
    if tag == "br":
        _flush(blocks, current)
        return True
    return False


def _flush(blocks: list[str], current: list[str]) -> None:
    if current:
        blocks.append("".join(current))
        current.clear()


def inline_text(element: Element | None) -> str | None:
    """All the element's text on one line."""
    return clean(" ".join(text_blocks(element)))


def block_text(element: Element | None) -> str | None:
    """The element's text with paragraphs kept apart by a blank line."""
    return paragraphs(text_blocks(element))


def absolute(base_url: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for anything else (a link urljoin
    cannot read, such as `//[`, included)."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("mailto:", "javascript:", "tel:", "data:", "#")):
        return None
    if href[:1] == "/" and (origin := _origin(base_url)) and _plain_path(href):
        return origin + href.split("#", 1)[0]
    try:
        url = urljoin(base_url, href).split("#", 1)[0]
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


@lru_cache(maxsize=1024)
def _origin(base_url: str) -> str | None:
    """`scheme://host` of an http(s) URL, as urljoin writes it before a path."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") \
        and parts.netloc else None


def _plain_path(href: str) -> bool:
    """An absolute path (the links of a page, nearly all) that urljoin would keep as it is:
    no host, no dot segment or empty one, no `;` parameters, no empty query, no character
    urljoin drops. Joining it to the page's origin is then the same URL at a tenth of the cost.
    """
    head = href.split("#", 1)[0]
    path = head.split("?", 1)[0]
    return not (href[1:2] == "/" or "//" in path or ";" in path or head.endswith("?")
                or "\t" in href or "\r" in href or "\n" in href
                or "/./" in path + "/" or "/../" in path + "/")


def link_path(href: str | None) -> str:
    """The path of a link as written ("" for a link urlsplit cannot read, such as `//[`)."""
    try:
        return urlsplit(href or "").path
    except ValueError:
        return ""


def document_slug(url: str) -> str | None:
    """The `<slug>` of a `/document/<slug>` page URL (downloads and scans excluded)."""
    path = urlsplit(url).path
    if DOWNLOAD_PATH.search(path):
        return None
    match = DOCUMENT_PATH.match(unquote(path))
    return match.group(1) if match else None


def is_download(url: str) -> bool:
    return bool(DOWNLOAD_PATH.search(urlsplit(url).path))
