"""Donors named in a document's credit line ("This document was made possible with support from
A, B and C"), the only place some pages name them, and the list a record gives once."""

import re
from collections.abc import Iterable

from harvester.normalize.text import clean
from harvester.pages.html import SKIPPED_TAGS, inline_text
from harvester.pages.index import Element

_LEAD = re.compile(r"made\s+possible\s+with\s+support\s+from\s*", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*,\s*|\s+and\s+")


def _parts(node: Element) -> Iterable[tuple[str, bool]]:
    """The credit line's text in order, as (text, whether it is one linked name)."""
    if node.text:
        yield node.text, False
    for child in node:
        if isinstance(child.tag, str) and child.tag not in SKIPPED_TAGS:
            if child.tag == "a":
                yield inline_text(child) or "", True
            elif child.tag == "br":
                yield ", ", False
            else:
                yield from _parts(child)
        if child.tail:
            yield child.tail, False


def credit_donors(line: Element | None) -> list[str]:
    """The names after "made possible with support from": split on commas and " and ", except
    that a linked name is one name whatever it holds ("John D. and Catherine T. MacArthur
    Foundation"). A line without that phrase names no donor."""
    if line is None:
        return []
    parts = list(_parts(line))
    lead = _LEAD.search("".join(text for text, _ in parts))
    if lead is None:
        return []
    names: list[str] = []
    current: list[str] = []
    skip = lead.end()
    for text, linked in parts:
        if skip >= len(text):
            skip -= len(text)
            continue
        text, skip = text[skip:], 0
        if linked:
            current.append(text)
            continue
        pieces = _SEPARATOR.split(text)
        current.append(pieces[0])
        for piece in pieces[1:]:
            names.append("".join(current))
            current = [piece]
    names.append("".join(current))
    return [name for name in (clean(n) for n in names) if name]


def merged(*lists: list[str]) -> list[str]:
    """The names of all lists in order, each once: names that differ only in case or spacing
    are one name, written as first seen."""
    seen: dict[str, str] = {}
    for names in lists:
        for name in names:
            if (cleaned := clean(name)) is not None:
                seen.setdefault(cleaned.casefold(), cleaned)
    return list(seen.values())
