"""The archive's URLs in one canonical form, and what kind of page each names.

Web archives and WARC files hold one page under many spellings: `http` and `https`, `:80`,
`www.`, a trailing slash, query parameters in any order. Captures are grouped by the canonical
form, which is also the URL a record carries: the archive's own address, never a replay URL.
"""

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from harvester.site_urls import (
    ARCHIVE_URL,
    DOCUMENT_CANONICAL,
    DOCUMENT_PREFIX,
    LISTING_PATH,
    NUMERIC_DOCUMENT,
    PERSON_CANONICAL,
    TOPIC_CANONICAL,
)

DEFAULT_PORTS = {"http": 80, "https": 443}
KINDS = ("document", "topic", "listing", "person", "other")

_ASSET = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def site_host(url: str) -> tuple[str, int | None]:
    """(host without `www.`, port) of a URL, the default port of its scheme made explicit."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        port = None
    return host, port


def same_site(url: str, site: str) -> bool:
    """Whether `url` is on the site, whatever its scheme (a capture of `http://…:80` is the
    `https` page)."""
    host, port = site_host(url)
    site_name, site_port = site_host(site)
    if host != site_name:
        return False
    return port == site_port or {port, site_port} <= set(DEFAULT_PORTS.values())


def canonical_query(query: str) -> str:
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return urlencode(pairs, quote_via=quote, safe="")


def canonical_url(url: str, site: str = ARCHIVE_URL, public: str = ARCHIVE_URL) -> str | None:
    """The URL as the archive itself writes it (`public` base, sorted query, no trailing
    slash), or None when it is not a URL of `site`."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in DEFAULT_PORTS or not same_site(url, site):
        return None
    path = quote(unquote(parts.path), safe=_PATH_SAFE) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = canonical_query(parts.query)
    return public.rstrip("/") + path + (f"?{query}" if query else "")


def page_kind(url: str) -> str:
    """`document`, `topic`, `listing`, `person` (`/people/<slug>`) or `other` (scans, `.pdf?v=`
    exports and downloads under `/document/` are `other`, as are the topic index and site
    chrome)."""
    path = urlsplit(url).path
    if path.startswith(DOCUMENT_PREFIX):
        if DOCUMENT_CANONICAL.match(path) and not _ASSET.search(path):
            return "document"
        return "other"
    if TOPIC_CANONICAL.match(path):
        return "topic"
    if path == LISTING_PATH or path.startswith(LISTING_PATH + "/"):
        return "listing"
    if PERSON_CANONICAL.match(path):
        return "person"
    return "other"


def numeric_record_id(url: str) -> str | None:
    """The Record ID an old numeric document URL (`/document/110360`) stands for."""
    match = NUMERIC_DOCUMENT.match(urlsplit(url).path)
    return match.group(1) if match else None


def topic_slug(url: str) -> str | None:
    match = TOPIC_CANONICAL.match(urlsplit(url).path)
    return match.group(1) if match else None

