"""The CDX query endpoint, as pure functions of a loaded store and a query string.

Only resume-key paging is offered: `page`, `showNumPages` and `collapse` are refused with a
400, so a client that leans on them fails here rather than against the real server, where
pages are computed over index blocks and collapsing hides captures.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from harvester.mirror.wayback.store import Capture, CaptureStore
from harvester.mirror.wayback.surt import host_key, urlkey

FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
MATCH_TYPES = ("exact", "prefix", "host", "domain")
REFUSED = ("page", "showNumPages", "collapse")
# What the Internet Archive says of a query for a site excluded from the Wayback Machine.
BLOCKED_SITE = ("org.archive.util.io.RuntimeIOException: org.archive.wayback.exception."
                "AdministrativeAccessControlException: Blocked Site Error")
_FILTER = re.compile(r"(!?)([a-z]+):(.*)", re.DOTALL)
_TIMESTAMP_PREFIX = re.compile(r"\d{1,14}")


class CdxError(ValueError):
    """A query the server answers with 400; the message names the parameter."""


@dataclass(frozen=True)
class Filter:
    field: str
    pattern: re.Pattern
    negated: bool = False

    def accepts(self, capture: Capture) -> bool:
        return bool(self.pattern.fullmatch(field_value(capture, self.field))) != self.negated


@dataclass(frozen=True)
class CdxQuery:
    url: str
    match_type: str = "exact"
    fields: tuple[str, ...] = FIELDS
    filters: tuple[Filter, ...] = ()
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    output_json: bool = False
    show_resume_key: bool = False
    resume_after: tuple[str, str, str, int] | None = None


def field_value(capture: Capture, name: str) -> str:
    """A CDX field as the server writes it; a revisit shows `-` and `warc/revisit`."""
    if name == "statuscode":
        return "-" if capture.revisit else str(capture.status)
    if name == "mimetype":
        return "warc/revisit" if capture.revisit else capture.mimetype
    if name == "length":
        return str(capture.length)
    return getattr(capture, name)


def parse_query(query_string: str) -> CdxQuery:
    pairs = parse_qsl(query_string, keep_blank_values=True)
    names = [name for name, _ in pairs]
    for name in REFUSED:
        if name in names:
            raise CdxError(f"{name} is refused: page with limit, showResumeKey and resumeKey")
    params = dict(pairs)
    url = params.get("url", "").strip()
    if not url:
        raise CdxError("url is required")
    match_type = params.get("matchType")
    if match_type is not None and match_type not in MATCH_TYPES:
        raise CdxError(f"matchType must be one of {', '.join(MATCH_TYPES)}")
    if url.startswith("*."):
        url, match_type = url[2:], match_type or "domain"
    if url.endswith("*"):
        url, match_type = url.rstrip("*"), match_type or "prefix"
    return CdxQuery(
        url=url, match_type=match_type or "exact", fields=_fields(params.get("fl")),
        filters=tuple(_filter(text) for name, text in pairs if name == "filter"),
        since=_timestamp_prefix(params, "from"), until=_timestamp_prefix(params, "to"),
        limit=_limit(params.get("limit")), output_json=params.get("output") == "json",
        show_resume_key=params.get("showResumeKey", "").lower() == "true",
        resume_after=decode_resume_key(params["resumeKey"]) if params.get("resumeKey") else None)


def _fields(text: str | None) -> tuple[str, ...]:
    if not text:
        return FIELDS
    fields = tuple(name.strip() for name in text.split(","))
    unknown = [name for name in fields if name not in FIELDS]
    if unknown:
        raise CdxError(f"fl: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    return fields


def _filter(text: str) -> Filter:
    match = _FILTER.fullmatch(text)
    if match is None or match[2] not in FIELDS:
        raise CdxError(f"filter {text!r}: expected [!]FIELD:REGEX, FIELD one of {FIELDS}")
    try:
        return Filter(match[2], re.compile(match[3]), negated=bool(match[1]))
    except re.error as error:
        raise CdxError(f"filter {text!r}: {error}") from None


def _timestamp_prefix(params: dict[str, str], name: str) -> str | None:
    text = params.get(name)
    if not text:
        return None
    if not _TIMESTAMP_PREFIX.fullmatch(text):
        raise CdxError(f"{name} must be 1 to 14 digits of a timestamp")
    return text


def _limit(text: str | None) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise CdxError("limit must be a positive whole number")
    return int(text)


def encode_resume_key(sort_key: tuple[str, str, str, int]) -> str:
    """The position after a row, URL-safe: still meaningful when captures are added."""
    raw = json.dumps(list(sort_key), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_resume_key(key: str) -> tuple[str, str, str, int]:
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        value = None
    valid = (isinstance(value, list) and len(value) == 4
             and all(isinstance(part, str) for part in value[:3])
             and isinstance(value[3], int) and value[3] >= 0)
    if not valid:
        raise CdxError("resumeKey is not a key this server gave")
    return tuple(value)


def search(store: CaptureStore, query: CdxQuery) -> tuple[list[Capture], str | None]:
    """The rows of this answer, and the resume key when matching rows remain after them."""
    start, end, key_accepts = _candidates(store, query)
    if query.resume_after is not None:
        start = max(start, store.after(query.resume_after, start, end))
    rows: list[Capture] = []
    for index in range(start, end):
        capture = store.rows[index]
        if not (key_accepts(capture.urlkey) and _accepts(query, capture)) or \
                store.blocks(capture.urlkey):
            continue
        if query.limit is not None and len(rows) == query.limit:
            return rows, encode_resume_key(rows[-1].sort_key)
        rows.append(capture)
    return rows, None


def _candidates(store: CaptureStore, query: CdxQuery) -> tuple[int, int, Callable[[str], bool]]:
    """A slice of the sorted rows holding every match, found by lookup or bisection."""
    try:
        if query.match_type == "exact":
            return (*store.spans.get(urlkey(query.url), (0, 0)), _any)
        if query.match_type == "prefix":
            return (*store.span(urlkey(query.url)), _any)
        host = host_key(query.url)
    except ValueError as error:
        raise CdxError(f"url: {error}") from None
    if query.match_type == "host":
        return (*store.span(host + ")"), _any)
    # The domain and its subdomains: `org,wilsoncenter)` and `org,wilsoncenter,...`.
    return (*store.span(host), lambda key: key[len(host)] in "),:")


def _any(_: str) -> bool:
    return True


def _accepts(query: CdxQuery, capture: Capture) -> bool:
    if query.since and capture.timestamp[: len(query.since)] < query.since:
        return False
    if query.until and capture.timestamp[: len(query.until)] > query.until:
        return False
    return all(rule.accepts(capture) for rule in query.filters)


def render(query: CdxQuery, rows: list[Capture], resume_key: str | None) -> tuple[str, bytes]:
    """Content type and body: JSON (a header row, the rows, then `[]` and `[key]` when paging
    goes on) or plain text (space-separated fields, then a blank line and the key)."""
    table = [[field_value(row, name) for name in query.fields] for row in rows]
    key = resume_key if query.show_resume_key else None
    if query.output_json:
        if not rows:
            return "application/json", b"[]\n"
        lines = [json.dumps(list(query.fields)), *(json.dumps(values) for values in table)]
        if key:
            lines += ["[]", json.dumps([key])]
        return "application/json", ("[" + ",\n".join(lines) + "]\n").encode("utf-8")
    text = "".join(" ".join(values) + "\n" for values in table)
    if key:
        text += f"\n{key}\n"
    return "text/plain; charset=utf-8", text.encode("utf-8")


def answer(store: CaptureStore, query_string: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body for a CDX request's query string."""
    try:
        query = parse_query(query_string)
        if _blocked(store, query):
            return blocked_answer()
        rows, resume_key = search(store, query)
    except CdxError as error:
        return 400, {"Content-Type": "text/plain; charset=utf-8"}, f"{error}\n".encode()
    content_type, body = render(query, rows, resume_key)
    return 200, {"Content-Type": content_type}, body


def _blocked(store: CaptureStore, query: CdxQuery) -> bool:
    try:
        return store.blocks(urlkey(query.url))
    except ValueError as error:
        raise CdxError(f"url: {error}") from None


def blocked_answer() -> tuple[int, dict[str, str], bytes]:
    """The archive's refusal of a query for an excluded site: a 403 whose body and
    `X-Archive-Wayback-Runtime-Error` header say why (wayback-recordings/
    test_search_raises_for_blocked_urls.txt)."""
    return 403, {"Content-Type": "text/plain;charset=UTF-8",
                 "X-Archive-Wayback-Runtime-Error": BLOCKED_SITE}, f"{BLOCKED_SITE}\n".encode()
