"""The Wayback Machine's answers built by hand from saved pages, in the stand-in's formats
(harvester/mirror/wayback/): CDX query answers (a JSON table, then `[]` and `[resume key]`
when paging goes on) and raw replays of captures (`Memento-Datetime`, the captured status and
type), or the archive answering for itself (no `Memento-Datetime`)."""

import hashlib
import json

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse

from harvester.middlewares.captured import CapturedAnswersMiddleware
from harvester.mirror.wayback.cdx import BLOCKED_SITE
from harvester.mirror.wayback.server import http_date
from harvester.mirror.wayback.store import cdx_digest
from harvester.sources import cdx
from tests.helpers.pages import SITE

WAYBACK = "https://web.archive.org"
SITE_HOST = "digitalarchive.wilsoncenter.org"


def page(path: str) -> bytes:
    """A saved page of the bundled mirror, by its path on the site (`/document/<slug>`)."""
    return (SITE / f"{path.lstrip('/')}.html").read_bytes()


def row(original: str, timestamp: str, body: bytes = b"", status: int | None = 200,
        mimetype: str = "text/html") -> list[str]:
    """A CDX row in the census's fields (timestamp, original, mimetype, statuscode, digest,
    length); `status=None` is a revisit (`-`, `warc/revisit`)."""
    revisit = status is None
    return [timestamp, original, "warc/revisit" if revisit else mimetype,
            "-" if revisit else str(status), cdx_digest(hashlib.sha1(body).hexdigest()),
            str(len(body))]


def cdx_table(rows: list[list[str]], resume_key: str | None = None) -> bytes:
    """The CDX server's JSON answer, laid out as the stand-in renders it."""
    if not rows:
        return b"[]\n"
    lines = [json.dumps(list(cdx.FIELDS)), *(json.dumps(r) for r in rows)]
    if resume_key:
        lines += ["[]", json.dumps([resume_key])]
    return ("[" + ",\n".join(lines) + "]\n").encode("utf-8")


def cdx_answer(request: Request, rows: list[list[str]], resume_key: str | None = None,
               body: bytes | None = None) -> TextResponse:
    return TextResponse(request.url, body=cdx_table(rows, resume_key) if body is None else body,
                        request=request, headers={"Content-Type": "application/json"})


def blocked(request: Request) -> TextResponse:
    """The archive's refusal of a query for an excluded site (a 403 saying why)."""
    return TextResponse(request.url, status=403, body=f"{BLOCKED_SITE}\n".encode(),
                        request=request,
                        headers={"Content-Type": "text/plain;charset=UTF-8",
                                 "X-Archive-Wayback-Runtime-Error": BLOCKED_SITE})


def replay(request: Request, body: bytes, timestamp: str, status: int = 200,
           mimetype: str = "text/html", location: str | None = None) -> Response:
    """The raw replay of a capture taken at `timestamp`, as the archive sends it, handed on
    as the download layer hands it to the spider: read into its Answer
    (harvester.middlewares.captured)."""
    headers = {"Content-Type": mimetype, "Memento-Datetime": http_date(timestamp)}
    if location:
        headers["Location"] = f"{WAYBACK}/web/{timestamp}id_/{location}"
    sent = HtmlResponse(request.url, status=status, body=body, request=request,
                        headers=headers)
    return CapturedAnswersMiddleware().process_response(request, sent)


def archive_error(request: Request, status: int = 503, retries: int = 0) -> HtmlResponse:
    """The archive failing on its own account (no `Memento-Datetime`), after `retries`."""
    if retries:
        request.meta["retry_times"] = retries
    return HtmlResponse(request.url, status=status, body=b"<h1>Service Unavailable</h1>",
                        request=request, headers={"Content-Type": "text/html"})


def census_url(prefix: str, resume_key: str | None = None) -> str:
    """A census query of the site's pages under `prefix`, as the CDX API spells it."""
    url = (f"{WAYBACK}/cdx/search/cdx?url={SITE_HOST}{prefix.replace('/', '%2F')}"
           "&matchType=prefix&output=json"
           "&fl=timestamp%2Coriginal%2Cmimetype%2Cstatuscode%2Cdigest%2Clength"
           "&limit=5000&showResumeKey=true")
    return url + (f"&resumeKey={resume_key}" if resume_key else "")
