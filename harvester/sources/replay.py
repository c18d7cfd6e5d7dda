"""A raw replay of the Wayback Machine read as a captured answer.

A replayed capture carries `Memento-Datetime`; anything without it is the archive answering for
itself. In particular a replay of a timestamp it holds no capture for is redirected (302, no
`Memento-Datetime`) to the nearest capture, possibly of another URL: that redirect is never
followed. A captured redirect (`Memento-Datetime` and a `Location` inside the archive) tells
where the site sent the URL at the time, e.g. from an old numeric URL to its slug.
"""

import re
from urllib.parse import urlsplit

from harvester.capture.rows import Answer, sha1_digest

MEMENTO = b"Memento-Datetime"
# Where the Wayback Machine says why it refused a request (an excluded site, ...).
RUNTIME_ERROR = b"X-Archive-Wayback-Runtime-Error"
SAID_LENGTH = 200
_ARCHIVED = re.compile(r"^/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$")


# Request meta: a request for a web archive's replay of a capture (set by the source);
# what the capture answered, once the download layer has read it (CapturedAnswersMiddleware).
REPLAY = "replay"
CAPTURED_ANSWER = "captured_answer"
SENT_DIGEST = "sent_digest"   # the replay's digest as it arrived (`keep_sent_digest`)


def is_memento(response) -> bool:
    return MEMENTO in response.headers


def is_replayed_capture(request, response) -> bool:
    """A web archive's replay of a captured answer: data about the past, never the archive
    speaking for itself, nor the site. The one place this is told."""
    return bool(request.meta.get(REPLAY)) and is_memento(response)


def keep_sent_digest(response, request, spider) -> None:
    """The digest of a replay as it arrived, before its content codings are removed (a web
    archive's index may name either form), kept for its Answer (`read_answer`)."""
    if request.meta.get(REPLAY):
        request.meta[SENT_DIGEST] = sha1_digest(response.body)


def original_of(location: str) -> str | None:
    """The original URL inside an archive URL (`…/web/<timestamp>[id_]/<url>`)."""
    parts = urlsplit(location)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _ARCHIVED.match(target)
    if match is None:
        return None
    original = match.group(2)
    # Some servers collapse the double slash of the embedded scheme.
    return re.sub(r"^(https?):/(?!/)", r"\1://", original)


def headers_of(response) -> dict[str, str]:
    return {name.decode("latin-1").lower(): values[-1].decode("latin-1")
            for name, values in response.headers.items() if values}


def answer_of(response) -> Answer:
    """The answer the source judges: the capture the download layer read
    (`CAPTURED_ANSWER`), or the archive's own answer."""
    taken = _meta(response).get(CAPTURED_ANSWER)
    if taken is not None:
        return taken
    return read_answer(response)


def read_answer(response) -> Answer:
    """A replay's answer as it came: a capture (with `Memento-Datetime`), or the archive's."""
    captured = is_memento(response)
    headers = headers_of(response)
    moved_to = None
    if captured and 300 <= response.status < 400 and "location" in headers:
        moved_to = original_of(headers["location"]) or headers["location"]
    return Answer(status=response.status, headers=headers, body=response.body,
                  captured=captured, moved_to=moved_to,
                  sent_digest=_meta(response).get(SENT_DIGEST))


def _meta(response) -> dict:
    request = getattr(response, "request", None)
    return request.meta if request is not None else {}


def archive_failure(response) -> bool:
    """The archive itself failing (after the retries), not a capture of a failing site."""
    return not is_memento(response) and (response.status >= 500 or response.status == 429)


def archive_says(response) -> str:
    """Why the archive refused a request, as it says it (its runtime-error header, else the
    first line of a plain-text body), on one line of at most SAID_LENGTH characters; "" when
    it says nothing. Its 403 for an excluded site says `…AdministrativeAccessControlException:
    Blocked Site Error` (wayback-recordings/test_search_raises_for_blocked_urls.txt)."""
    said = response.headers.get(RUNTIME_ERROR) or b""
    content_type = response.headers.get(b"Content-Type") or b""
    if not said and content_type.lower().startswith(b"text/plain"):
        said = next((line for line in response.body.splitlines() if line.strip()), b"")
    text = " ".join(said.decode("utf-8", "replace").split())
    return text if len(text) <= SAID_LENGTH else text[:SAID_LENGTH - 1] + "…"
