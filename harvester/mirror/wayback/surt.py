"""SURT url keys, the form under which the Wayback CDX server indexes captures.

Two URLs that the archive treats as the same page (http or https, `www.` or not, the default
port spelled out or not, brackets percent-encoded or not, query parameters in any order) share
one key, so a client must compare keys, never the `original` URLs, to tell pages apart.
"""

import re
from urllib.parse import quote, unquote_to_bytes, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# What the archive's canonicaliser leaves unescaped once every escape has been undone.
_SAFE = "!\"$&'()*+,-./:;<=>?@[\\]^_`{|}~"


def urlkey(url: str) -> str:
    """The CDX `urlkey` of a URL given with or without a scheme (no scheme means http).

    `https://www.digitalarchive.wilsoncenter.org:443/document/X?b=2&a=1` →
    `org,wilsoncenter,digitalarchive)/document/x?a=1&b=2`. A trailing slash is kept. Raises
    ValueError for a URL without a host or with a port that is not a number.
    """
    host_part, path, query = _split(url)
    key = f"{host_part}){path}"
    return f"{key}?{query}" if query else key


def host_key(url: str) -> str:
    """The host part of a URL's key, before the `)`: `org,wilsoncenter,digitalarchive`."""
    return _split(url)[0]


def _split(url: str) -> tuple[str, str, str]:
    if not _HAS_SCHEME.match(url):
        url = "http://" + url
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"no host in URL {url!r}")
    host = host.removeprefix("www.")
    port = parts.port  # ValueError when it is not a number
    scheme = parts.scheme.lower()
    labels = ",".join(reversed(host.split(".")))
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        labels += f":{port}"
    path = _minimal_escape(parts.path or "/").lower()
    query = _sorted_query(_minimal_escape(parts.query).lower()) if parts.query else ""
    return labels, path, query


def _minimal_escape(text: str) -> str:
    """Undo every percent-escape (repeatedly, as double-encoded URLs exist), then escape only
    what cannot stand bare: so `f%5B0%5D=topics%3A1` and `f[0]=topics:1` are one key."""
    raw = text.encode("utf-8")
    while (decoded := unquote_to_bytes(raw)) != raw:
        raw = decoded
    return quote(raw, safe=_SAFE)


def _sorted_query(query: str) -> str:
    arguments = query.split("&")
    arguments.sort(key=lambda argument: tuple(argument.split("=", 1)))
    return "&".join(arguments)
