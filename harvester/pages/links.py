"""What a place or subject pill's link says it is: the site's own page (`/places/<slug>`,
`/subjects/<slug>`), a faceted search on a term id (`places:1001`), or nothing (a full-text
search, no link). Identifiers are taken from links only, never made from names."""

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from harvester.pages.html import link_path
from harvester.site_urls import SLUG

_PAGE = {facet: re.compile(rf"/{facet}/({SLUG})/?$") for facet in ("places", "subjects")}
_TERM = {facet: re.compile(rf"{facet}:(\d+)") for facet in ("places", "subjects")}


def term_link(facet: str, name: str, href: str | None) -> dict[str, Any]:
    """{id, slug, name} of one pill of the `places` or `subjects` facet."""
    term = _TERM[facet].search(unquote(href or ""))
    page = _PAGE[facet].search(link_path(href))
    return {"id": int(term.group(1)) if term else None,
            "slug": page.group(1) if page else None, "name": name}


def term_links(facet: str, pills: Iterable[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """Each name once (its first pill), in page order, as the name lists keep them."""
    found: dict[str, dict[str, Any]] = {}
    for name, href in pills:
        found.setdefault(name, term_link(facet, name, href))
    return list(found.values())
