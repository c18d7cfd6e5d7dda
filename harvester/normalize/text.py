"""Whitespace and Unicode normalisation shared by every text field."""

import re
import unicodedata
from collections.abc import Iterable, Sequence

# \s in Python's re covers NBSP and the other Unicode spaces; zero-width ones are dropped.
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean(text: str | None) -> str | None:
    """Collapse whitespace, trim, NFC; an empty result is None so no field is ever ""."""
    if text is None:
        return None
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
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
