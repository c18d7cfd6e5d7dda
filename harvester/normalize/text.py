"""Whitespace and Unicode normalisation shared by every text field."""

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# Characters no record keeps, however they arrive (raw bytes, `&#1;` or `&#x202e;` references):
# C0 controls, DEL and C1 controls, and Unicode's Bidi_Control characters (the marks ALM, LRM and
# RLM, the embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069), which change
# how text around them reads without showing. Tab, newline and carriage return are whitespace.
CONTROLS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
            "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069")
_CONTROL = re.compile(f"[{CONTROLS}]")
# What clean() drops before splitting on whitespace: zero-width characters, and the controls
# str.split() does not take for spaces (VT, FF, U+001C-U+001F and NEL it does). NBSP and the
# other Unicode spaces are spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1b"
                        "\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f]")


def clean(text: str | None) -> str | None:
    """Collapse whitespace, trim, NFC; an empty result is None so no field is ever "".

    `str.split()` splits on Unicode whitespace (NBSP included), as a pattern's `\\s` would, at
    a fraction of the cost; ASCII text has nothing invisible and nothing to normalise.
    """
    if text is None:
        return None
    if text.isascii():
        if _ASCII_CONTROL.search(text):
            text = _ASCII_CONTROL.sub("", text)
        return " ".join(text.split()) or None
    text = " ".join(_INVISIBLE.sub("", text).split())
    if not text:
        return None
    return unicodedata.normalize("NFC", text)


def clean_join(parts: Iterable[str]) -> str | None:
    """Join text nodes of one inline run and clean the result."""
    return clean(" ".join(parts))


def unique(values: Iterable[str | None]) -> list[str]:
    """Cleaned values in first-seen order, without empties or repeats."""
    seen: dict[str, None] = {}
    for value in values:
        cleaned = clean(value)
        if cleaned is not None:
            seen.setdefault(cleaned, None)
    return list(seen)


def paragraphs(blocks: Sequence[str]) -> str | None:
    """Blocks cleaned one by one and joined by a blank line, so paragraphs survive."""
    kept = [c for c in (clean(b) for b in blocks) if c]
    return "\n\n".join(kept) if kept else None


def json_may_hold_controls(text: str) -> bool:
    """Whether a record's JSON text may hold one of CONTROLS: escaped (`\\u0001`, `\\b`,
    `\\f`) or raw. A fifth of the cost of looking at every string of the record; a match only
    says "look closer"."""
    return "\\u00" in text or "\\b" in text or "\\f" in text or \
        _CONTROL.search(text) is not None


def without_controls(value: Any) -> Any:
    """Strings, and those inside lists and dicts (keys as they are), without CONTROLS: the one
    rule every field of every record and export keeps, whatever path a value took."""
    if isinstance(value, str):
        return _CONTROL.sub("", value) if _CONTROL.search(value) else value
    if isinstance(value, list):
        return [without_controls(item) for item in value]
    if isinstance(value, dict):
        return {key: without_controls(item) for key, item in value.items()}
    return value


def controls_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, first control character) of each string in `value` that holds one."""
    if isinstance(value, str):
        found = _CONTROL.search(value)
        if found:
            yield path, found.group(0)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from controls_in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from controls_in(item, f"{path}.{key}" if path else str(key))
