"""Page bytes decoded as they are really encoded, so a windows-1252 page gives the same text as
its UTF-8 twin and stray bytes never reach a record. The live crawl's encoding middleware, the
capture selection and saved pages read by `harvester parse` all decode with these functions.

Scrapy trusts the declared charset even when the bytes contradict it (a windows-1252 page
labelled UTF-8 comes out full of U+FFFD), and guesses undeclared pages with a statistical
detector that can pick a DOS code page for an English page. Here the bytes decide first:
valid UTF-8 is UTF-8; otherwise a declared single-byte charset is used; otherwise a page whose
bytes are UTF-8 but for a few strays has those dropped; otherwise it is windows-1252, the fallback
browsers use for English pages (WHATWG Encoding). NULs and other control characters, which
browsers do not show, are dropped too, and every dropped character is counted.
"""


import codecs
import re

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

LEGACY_FALLBACK = "cp1252"
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
# The same characters as bytes of valid UTF-8, where each is that one byte, or EF BF BD.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_REPLACEMENT_UTF8 = "\ufffd".encode()
_SINGLE_BYTE_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|meta)\b", re.IGNORECASE)


def canonical(encoding: str | None) -> str | None:
    if not encoding:
        return None
    resolved = resolve_encoding(encoding) or encoding
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def utf8_with_stray_bytes(body: bytes, declared_utf8: bool) -> bool:
    """Whether invalid UTF-8 is a UTF-8 page with stray bytes rather than a single-byte page:
    it has valid multi-byte characters (which a single-byte page's high bytes rarely form),
    any at all when it says it is UTF-8, more of them than invalid sequences when it says
    nothing."""
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for ch in text if ch > "\x7f") - invalid
    return valid > 0 if declared_utf8 else valid > invalid


def declared_encoding(body: bytes, content_type: str | None) -> str | None:
    """The charset the header declares, else the one the markup declares."""
    return canonical(http_content_type_encoding(content_type)) or \
        canonical(html_body_declared_encoding(body))


def real_bom(body: bytes) -> tuple[str, bytes] | tuple[None, None]:
    """The byte-order mark, unless it is two stray bytes in front of single-byte markup
    (`\\xff\\xfe<!DOCTYPE html>` is not UTF-16, whose markup has a NUL in every character)."""
    encoding, bom = read_bom(body)
    if encoding is None or bom is None:
        return None, None
    wide = "16" in encoding or "32" in encoding
    if wide and _SINGLE_BYTE_MARKUP.search(body[len(bom):len(bom) + 4096]):
        return None, None
    return encoding, bom


def choose_encoding(body: bytes, content_type: str | None) -> str:
    bom_encoding, _ = real_bom(body)
    if bom_encoding:
        return canonical(bom_encoding) or "utf-8"
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(body, content_type)
    if declared and declared != "utf-8":
        return declared
    return "utf-8" if utf8_with_stray_bytes(body, declared == "utf-8") else LEGACY_FALLBACK


def clean_utf8(body: bytes, content_type: str | None) -> bool:
    """Whether the page is already what `decode_page` would make of it: declared UTF-8, valid
    UTF-8 without a byte-order mark, nothing to drop. Checked on the bytes, without decoding
    the page into text that would be thrown away (most pages are like this)."""
    if read_bom(body)[0] is not None or _REPLACEMENT_UTF8 in body or \
            len(body.translate(None, _CONTROL_BYTES)) != len(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return declared_encoding(body, content_type) == "utf-8"


def parses_as_is(body: bytes, content_type: str | None) -> bool:
    """Whether the page's bytes may go to the parser as they are: clean UTF-8 (`clean_utf8`)
    whose first and last characters past ASCII whitespace are ASCII. parsel encodes a text
    again as UTF-8 after stripping any whitespace off its ends, and strips only ASCII
    whitespace off bytes: for such a page both hand the parser the very same bytes, without
    decoding the page and encoding it again. parsel takes no empty bytes."""
    stripped = body.strip()
    return bool(body) and (not stripped or (stripped[0] < 0x80 and stripped[-1] < 0x80)) and \
        clean_utf8(body, content_type)


def decode_page(body: bytes, content_type: str | None) -> tuple[str, str, int]:
    """(text, encoding, characters dropped): the page as text without stray bytes or
    control characters."""
    encoding = choose_encoding(body, content_type)
    bom_encoding, bom = real_bom(body)
    if bom is not None:
        body = body[len(bom):]
    text = body.decode(encoding, errors="replace")
    cleaned, dropped = _CONTROLS.subn("", text)
    return cleaned, encoding, dropped
