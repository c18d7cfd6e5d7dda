"""The capture store: planned captures written to a folder, and that folder loaded for queries.

Bodies are written as they come and read back per request, so a store of tens of thousands of
pages is built and served without ever holding its bodies in memory; only the rows are.
"""

import base64
import hashlib
import itertools
import json
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

from harvester.mirror.layout import is_hidden, load_redirects, relative_file
from harvester.mirror.wayback.surt import urlkey
from harvester.site_urls import ARCHIVE_URL

CAPTURES_FILE = "captures.jsonl"
BLOCKED_FILE = "blocked.txt"
BODIES_DIR = "bodies"
SITE = ARCHIVE_URL
_TIMESTAMP = re.compile(r"\d{14}")
_SHA1 = re.compile(r"[0-9a-f]{40}")
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# Above any character a url key holds, so `prefix + _TOP` bounds the keys starting with it.
_TOP = "\U0010ffff"
# The index's type for a capture whose answer named none (most captured redirects).
UNKNOWN_MIMETYPE = "unk"


@dataclass(frozen=True)
class PlannedCapture:
    """One capture to write. `body=None` takes the mirror's file for the URL (or nothing for a
    3xx or a URL the mirror lacks). `mimetype=None` is the type the archive indexes such a
    capture under (`indexed_mimetype`). A revisit repeats the payload (status, type, body,
    location) of the newest earlier non-revisit capture of its url key; its own values are not
    used."""

    original: str
    timestamp: str
    status: int = 200
    mimetype: str | None = None
    body: bytes | None = None
    location: str | None = None
    revisit: bool = False


@dataclass(frozen=True, slots=True)
class Capture:
    """One row of a loaded store. `body` is the sha1 hex of the payload (None: empty);
    `rank` orders captures that share urlkey, timestamp and original."""

    urlkey: str
    timestamp: str
    original: str
    status: int
    mimetype: str
    body: str | None
    location: str | None
    revisit: bool
    digest: str
    length: int
    rank: int = 0

    @property
    def sort_key(self) -> tuple[str, str, str, int]:
        return (self.urlkey, self.timestamp, self.original, self.rank)


def indexed_mimetype(status: int, body: bytes) -> str:
    """The type the Wayback Machine's index gives a capture whose type was not planned: `unk`
    for a permanent redirect without a body, as it lists most captured 301s (every empty 301 in
    wayback-recordings/test_search_with_date.txt; the empty 302s there are `text/html`), else
    `text/html`."""
    return UNKNOWN_MIMETYPE if status in (301, 308) and not body else "text/html"


def cdx_digest(sha1_hex: str | None) -> str:
    """The CDX digest: the body's SHA-1 in upper-case base32."""
    digest = bytes.fromhex(sha1_hex) if sha1_hex else hashlib.sha1(b"").digest()
    return base64.b32encode(digest).decode("ascii")


def write_store(out: Path, captures: Iterable[PlannedCapture], mirror: Path | None = None,
                blocked: Iterable[str] = ()) -> int:
    """Write captures (validated) to `out`; returns how many. Bodies are saved one at a time;
    revisits are resolved once every capture's timestamp is known, as they may come first.
    `blocked` are URL prefixes the archive refuses to list or replay (an excluded site)."""
    bodies = out / BODIES_DIR
    bodies.mkdir(parents=True, exist_ok=True)
    excluded = [urlkey(url) for url in blocked]
    (out / BLOCKED_FILE).write_text("".join(f"{key}\n" for key in excluded), "utf-8")
    lines: list[dict] = []
    keys: list[str] = []
    for planned in captures:
        keys.append(_validated(planned))
        line = {"timestamp": planned.timestamp, "original": planned.original,
                "status": planned.status, "mimetype": planned.mimetype or "text/html",
                "body": None, "location": planned.location, "revisit": planned.revisit}
        if not planned.revisit:
            data = planned.body if planned.body is not None else _mirror_body(mirror, planned)
            line["body"] = _save_body(bodies, data) if data else None
            line["mimetype"] = planned.mimetype or indexed_mimetype(planned.status, data)
        lines.append(line)
    _resolve_revisits(lines, keys)
    partial = out / (CAPTURES_FILE + ".partial")
    with partial.open("w", encoding="utf-8") as stream:
        for line in lines:
            stream.write(json.dumps(line, ensure_ascii=False) + "\n")
    partial.replace(out / CAPTURES_FILE)
    return len(lines)


def _validated(planned: PlannedCapture) -> str:
    where = f"capture of {planned.original!r} at {planned.timestamp!r}"
    if not isinstance(planned.timestamp, str) or not _TIMESTAMP.fullmatch(planned.timestamp):
        raise ValueError(f"{where}: the timestamp must be 14 digits (YYYYMMDDhhmmss)")
    try:
        datetime.strptime(planned.timestamp, "%Y%m%d%H%M%S")
    except ValueError:
        raise ValueError(f"{where}: the timestamp is not a date") from None
    for name, url in (("original", planned.original), ("location", planned.location)):
        if url is None and name == "location":
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{where}: {name} must be an absolute http(s) URL, not {url!r}")
    if not 100 <= planned.status <= 599:
        raise ValueError(f"{where}: status {planned.status} is not an HTTP status")
    try:
        return urlkey(planned.original)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _mirror_body(mirror: Path | None, planned: PlannedCapture) -> bytes:
    if mirror is None or 300 <= planned.status < 400:
        return b""
    parts = urlsplit(planned.original)
    relative = relative_file((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
    if relative is None or is_hidden(relative):
        return b""
    path = mirror / relative
    return path.read_bytes() if path.is_file() else b""


def _save_body(bodies: Path, data: bytes) -> str:
    sha = hashlib.sha1(data).hexdigest()
    path = bodies / sha
    if not path.exists():
        partial = bodies / f"{sha}.partial"
        partial.write_bytes(data)
        partial.replace(path)
    return sha


def _resolve_revisits(lines: list[dict], keys: list[str]) -> None:
    """Each revisit takes the payload of the newest strictly earlier non-revisit of its key."""
    if not any(line["revisit"] for line in lines):
        return
    order = sorted(range(len(lines)), key=lambda i: (keys[i], lines[i]["timestamp"]))
    for _, same_key in itertools.groupby(order, key=keys.__getitem__):
        repeated: dict | None = None
        for _, same_time in itertools.groupby(same_key, key=lambda i: lines[i]["timestamp"]):
            group = [lines[i] for i in same_time]
            for line in (line for line in group if line["revisit"]):
                if repeated is None:
                    raise ValueError(
                        f"revisit of {line['original']!r} at {line['timestamp']}: no earlier "
                        "capture of that URL to repeat")
                line.update({name: repeated[name]
                             for name in ("status", "mimetype", "body", "location")})
            originals = [line for line in group if not line["revisit"]]
            if originals:
                repeated = originals[-1]


def plan_from_mirror(mirror: Path, timestamp: str, site: str = SITE) -> Iterator[PlannedCapture]:
    """A 200 capture per page of a mirror folder, then a capture per entry of its redirects.
    Walks the folder lazily, one directory listing at a time."""
    site = site.rstrip("/")
    for folder, dirs, files in os.walk(mirror):
        dirs[:] = sorted(name for name in dirs if not name.startswith("_"))
        for name in sorted(files):
            relative = PurePosixPath(Path(folder, name).relative_to(mirror).as_posix())
            if name.endswith(".html") and not is_hidden(relative):
                yield PlannedCapture(site + url_of_file(relative), timestamp)
    for source, rule in load_redirects(mirror).items():
        location = rule["location"]
        location = site + location if location.startswith("/") else location
        yield PlannedCapture(site + _quoted(source), timestamp, status=rule["status"],
                             location=location)


def url_of_file(relative: PurePosixPath) -> str:
    """The request path and query a mirror page was saved from (`layout.relative_file` undone):
    `document/x.html` → `/document/x`, `search@page=1.html` → `/search?page=1`, `index.html` →
    `/`."""
    name, _, query = relative.name.removesuffix(".html").partition("@")
    folders = relative.parent.parts
    path = "/" if name == "index" and not folders else "/" + "/".join((*folders, name))
    return quote(path, safe=_PATH_SAFE) + (f"?{query}" if query else "")


def _quoted(target: str) -> str:
    path, sep, query = target.partition("?")
    return quote(path, safe=_PATH_SAFE) + sep + query


class CaptureStore:
    """A store's rows in memory, sorted by (urlkey, timestamp, original); bodies stay on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        listing = root / CAPTURES_FILE
        if not listing.is_file():
            raise FileNotFoundError(f"not a capture store (no {CAPTURES_FILE}): {root}")
        self.rows = self._load(listing)
        blocked = root / BLOCKED_FILE
        self.blocked = blocked.read_text("utf-8").split() if blocked.is_file() else []
        self.keys = [row.urlkey for row in self.rows]
        self.spans: dict[str, tuple[int, int]] = {}
        for index, key in enumerate(self.keys):
            start = self.spans.get(key, (index, index))[0]
            self.spans[key] = (start, index + 1)

    def _load(self, listing: Path) -> list[Capture]:
        sizes: dict[str | None, tuple[str, int]] = {None: (cdx_digest(None), 0)}
        keys: dict[str, str] = {}
        rows = []
        with listing.open(encoding="utf-8") as stream:
            for number, text in enumerate(stream, 1):
                if not text.strip():
                    continue
                line = json.loads(text)
                sha = line.get("body")
                if sha not in sizes:
                    path = self.root / BODIES_DIR / str(sha)
                    if not isinstance(sha, str) or not _SHA1.fullmatch(sha) or \
                            path.is_symlink():
                        # Bodies are read by this name: only the store's own files qualify.
                        raise ValueError(f"{listing}:{number}: body {sha!r} is not a file of "
                                         f"the store's {BODIES_DIR}/")
                    if not path.is_file():
                        raise FileNotFoundError(f"{listing}:{number}: body {sha} is missing")
                    sizes[sha] = (cdx_digest(sha), path.stat().st_size)
                key = urlkey(line["original"])
                rows.append(Capture(
                    keys.setdefault(key, key), line["timestamp"], line["original"],
                    int(line["status"]), line["mimetype"], sha, line.get("location"),
                    bool(line.get("revisit")), *sizes[sha]))
        rows.sort(key=lambda row: (row.urlkey, row.timestamp, row.original))
        for index in range(1, len(rows)):
            if rows[index].sort_key[:3] == rows[index - 1].sort_key[:3]:
                rows[index] = replace(rows[index], rank=rows[index - 1].rank + 1)
        return rows

    def blocks(self, key: str) -> bool:
        """Whether the archive refuses this url key (it is under an excluded prefix)."""
        return any(key.startswith(prefix) for prefix in self.blocked)

    def __len__(self) -> int:
        return len(self.rows)

    def body(self, sha: str | None) -> bytes:
        return (self.root / BODIES_DIR / sha).read_bytes() if sha else b""

    def captures_of(self, key: str) -> list[Capture]:
        start, end = self.spans.get(key, (0, 0))
        return self.rows[start:end]

    def span(self, prefix: str) -> tuple[int, int]:
        """The rows whose urlkey starts with `prefix`, as a slice of `rows`."""
        return bisect_left(self.keys, prefix), bisect_left(self.keys, prefix + _TOP)

    def after(self, sort_key: tuple, start: int, end: int) -> int:
        """The first row within [start, end) strictly after `sort_key`."""
        return bisect_right(self.rows, sort_key, start, end, key=lambda row: row.sort_key)
