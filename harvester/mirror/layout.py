"""How a request maps to a saved file, so a mirror is just a folder anyone can read.

`/topics/x` → `topics/x.html`; `/search?page=1&f[0]=topics:1` →
`search@f%5B0%5D=topics%3A1&page=1.html` (the query sorted and fully percent-encoded, so
encoded and unencoded brackets reach the same file); a path with a file extension is served as
is (`/robots.txt`); `/` → `index.html`. Redirects live in `_redirects.json`:
`{"/document/110360": {"status": 301, "location": "/document/slug"}}`. Files and folders whose
names start with `_` are the mirror's own bookkeeping and are never served.
"""

import json
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

REDIRECTS_FILE = "_redirects.json"
EXPECTED_SUFFIX = ".expected.json"


def canonical_query(query: str) -> str:
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return urlencode(pairs, quote_via=quote, safe="")


def relative_file(target: str) -> PurePosixPath | None:
    """The saved file's path inside the mirror for a request target, or None if unsafe."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    segments = [s for s in path.split("/") if s]
    if any(s in (".", "..") or "\\" in s or "\x00" in s for s in segments):
        return None
    if not segments:
        segments = ["index"]
    name = segments[-1]
    if parts.query:
        name = f"{name}@{canonical_query(parts.query)}"
    if parts.query or "." not in segments[-1]:
        name += ".html"
    return PurePosixPath(*segments[:-1], name)


def load_redirects(root: Path) -> dict[str, dict]:
    path = root / REDIRECTS_FILE
    if not path.exists():
        return {}
    raw = json.loads(path.read_text("utf-8"))
    redirects = {}
    for source, rule in raw.items():
        rule = {"location": rule} if isinstance(rule, str) else rule
        redirects[redirect_key(source)] = {"status": int(rule.get("status", 301)),
                                           "location": rule["location"]}
    return redirects


def redirect_key(target: str) -> str:
    parts = urlsplit(target)
    key = unquote(parts.path) or "/"
    return f"{key}?{canonical_query(parts.query)}" if parts.query else key


def is_hidden(relative: PurePosixPath) -> bool:
    """Bookkeeping of the mirror, never served as pages: expected records and anything whose
    name starts with `_` (`_redirects.json`, a generator's `_model.json`, ...)."""
    return relative.name.endswith(EXPECTED_SUFFIX) or any(
        part.startswith("_") for part in relative.parts)
