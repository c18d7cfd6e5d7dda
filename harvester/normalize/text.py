"""Whitespace and Unicode normalisation shared by every text field."""

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Zero-width characters are dropped; NBSP and the other Unicode spaces are spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean(text: str | None) -> str | None:
    """Collapse whitespace, trim, NFC; an empty result is None so no field is ever "".

    `str.split()` splits on Unicode whitespace (NBSP included), as a pattern's `\\s` would, at
    a fraction of the cost; ASCII text has nothing invisible and nothing to normalise.
    """
    if text is None:
        return None
    if text.isascii():
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
