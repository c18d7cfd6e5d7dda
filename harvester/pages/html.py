"""Markup helpers the page objects share: text by blocks, e-mail decoding, link tests."""

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html as lxml_html

from harvester.normalize.text import clean, paragraphs

BLOCK_TAGS = frozenset((
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "aside", "header", "footer", "table", "thead", "tbody",
    "tr", "pre", "figure", "figcaption", "address", "hr", "nav", "main", "form", "fieldset",
))
SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template", "head", "title"))
CELL_TAGS = frozenset(("td", "th"))
_CF_PATH = "/cdn-cgi/l/email-protection"
_DOCUMENT_PATH = re.compile(r"^/document/([^/?#]+)/?$")
_DOWNLOAD_PATH = re.compile(r"^/document/\d+/download/?$|\.pdf$", re.IGNORECASE)


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


def _protected_email(element: lxml_html.HtmlElement) -> str | None:
    """The decoded address if this element is a Cloudflare e-mail wrapper."""
    encoded = element.get("data-cfemail")
    if encoded is None and element.tag == "a":
        href = element.get("href") or ""
        if _CF_PATH in href and "#" in href:
            encoded = href.split("#", 1)[1]
    return decode_cfemail(encoded) if encoded else None


def text_blocks(element: lxml_html.HtmlElement | None) -> list[str]:
    """The element's text split at block boundaries and `<br>`, e-mails decoded."""
    if element is None:
        return []
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append("".join(current))
            current.clear()

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIPPED_TAGS:
            return
        email = _protected_email(node)
        if email is not None:
            current.append(email)
            return
        if tag == "br":
            flush()
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            flush()
        elif tag in CELL_TAGS:
            current.append(" ")
        if node.text:
            current.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                current.append(child.tail)
        if is_block:
            flush()

    walk(element)
    flush()
    return blocks


def inline_text(element: lxml_html.HtmlElement | None) -> str | None:
    """All the element's text on one line."""
    return clean(" ".join(text_blocks(element)))


def block_text(element: lxml_html.HtmlElement | None) -> str | None:
    """The element's text with paragraphs kept apart by a blank line."""
    return paragraphs(text_blocks(element))


def absolute(base_url: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for anything else."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("mailto:", "javascript:", "tel:", "data:", "#")):
        return None
    url = urljoin(base_url, href).split("#", 1)[0]
    return url if url.startswith(("http://", "https://")) else None


def document_slug(url: str) -> str | None:
    """The `<slug>` of a `/document/<slug>` page URL (downloads and scans excluded)."""
    path = urlsplit(url).path
    if _DOWNLOAD_PATH.search(path):
        return None
    match = _DOCUMENT_PATH.match(unquote(path))
    return match.group(1) if match else None


def is_download(url: str) -> bool:
    return bool(_DOWNLOAD_PATH.search(urlsplit(url).path))
