"""Which captured answers may become records, and why the others are skipped.

A web archive keeps whatever the site answered: bot challenges (served 200 or 403), server
errors, pages cut short, scans, the pre-2023 site. Each is skipped with a reason that is counted
in the manifest; only a whole, current-layout page is handed to the page objects, at the
archive's own URL, decoded as the live crawl decodes pages.
"""

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from parsel import Selector

from harvester.capture.outcomes import (
    CHALLENGE,
    CLIENT_ERROR,
    MOVED,
    NOT_A_PAGE,
    NOT_HTML,
    NOT_REPLAYED,
    OLD_LAYOUT,
    REDIRECT_AWAY,
    REFUSED,
    SELF_REDIRECT,
    SERVER_ERROR,
    TIME_DISAGREES,
    TRUNCATED,
    UNEXPECTED,
    UNREADABLE,
    USED,
)
from harvester.capture.rows import Answer, Capture
from harvester.pages.base import Page
from harvester.pages.challenge import challenge_marker
from harvester.pages.completeness import looks_complete
from harvester.pages.decoding import decode_page, parses_as_is
from harvester.pages.document import DocumentPage, MissingField
from harvester.pages.html import has_class
from harvester.pages.listing import ListingPage
from harvester.pages.person import PersonPage
from harvester.pages.topic import TopicPage
from harvester.sources.trust import memento_problem
from harvester.sources.urls import canonical_url, numeric_record_id

# The site was rebuilt in 2023; a capture older than that is of the old site.
REBUILD = "2023"
INFORMATION_BLOCK = "information-block"
# A page as captured: its URL (the capture's key), its bytes, its content type.
CapturedPage = tuple[str, bytes, str | None]
AnyPage = TypeVar("AnyPage", bound=Page)
# What XPath's normalize-space() takes for space, so a class token is the same one to both.
_XML_SPACE = re.compile(r"[ \t\r\n]+")


@dataclass
class Verdict:
    """A capture judged: `outcome` is USED (with the page), MOVED (with the target) or a skip
    reason; `detail` says more for a person."""

    outcome: str
    target: str | None = None
    detail: str = ""
    field: str | None = None     # the record field a page lacks, when that is why
    # A USED page as captured: read by its reader only when no parse worker read it already.
    page: CapturedPage | None = None


def census_type_skip(capture: Capture) -> str | None:
    """A skip the census row's type decides, without fetching: a capture that is not HTML.
    A redirect is fetched whatever its type: the CDX index lists most captured 301s as `unk`
    (wayback-recordings/test_search_with_date.txt)."""
    mimetype = (capture.mimetype or "").lower()
    redirect = capture.status is not None and 300 <= capture.status < 400
    if not (capture.revisit or redirect) and mimetype and "html" not in mimetype:
        return NOT_HTML
    return None


def census_status_skip(capture: Capture) -> str | None:
    """A skip the census row's status decides, without fetching (a web archive's index
    gives each capture's status; not fetching those spares the archive)."""
    status = capture.status
    if capture.revisit or status is None or status < 400:
        return None
    if status >= 500:
        return SERVER_ERROR
    return REFUSED if status in (403, 429) else CLIENT_ERROR


def judge(capture: Capture, answer: Answer, site: str, public: str) -> Verdict:
    """Whether a captured answer is a whole HTML page, a redirect, or something to skip."""
    status = answer.status
    if answer.failure is not None:
        return Verdict(answer.skipped_as or UNREADABLE, detail=answer.failure)
    if not answer.captured:
        return Verdict(NOT_REPLAYED, detail=f"HTTP {status}")
    if (disagreement := memento_problem(capture.timestamp, answer.headers)) is not None:
        return Verdict(TIME_DISAGREES, detail=disagreement)
    if 300 <= status < 400:
        target = canonical_url(answer.moved_to, site, public) if answer.moved_to else None
        if target is None:
            return Verdict(REDIRECT_AWAY, detail=str(answer.moved_to))
        return redirect_verdict(capture, answer, target)
    marker = challenge_marker(status, answer.headers, answer.body)
    if marker is not None:
        return Verdict(CHALLENGE, detail=marker)
    return judge_page(capture, answer)


def redirect_verdict(capture: Capture, answer: Answer, target: str) -> Verdict:
    """A captured redirect to a page of the site. One to another spelling of the same URL
    (http to https, `www.`, `:80`, a trailing slash) is the same page: skipped, so the URL's
    other captures, which are the target's, are tried; any other makes the URL an address
    of its target's record."""
    if target == capture.key:
        return Verdict(SELF_REDIRECT, detail=str(answer.moved_to))
    return Verdict(MOVED, target=target)


def judge_page(capture: Capture, answer: Answer) -> Verdict:
    """A replayed answer that is neither a redirect nor a challenge: a whole HTML page, or
    the reason it is not one."""
    status = answer.status
    if status >= 500:
        return Verdict(SERVER_ERROR, detail=f"HTTP {status}")
    if status >= 400:
        return Verdict(CLIENT_ERROR, detail=f"HTTP {status}")
    if status != 200:
        return Verdict(UNEXPECTED, detail=f"HTTP {status}")
    content_type = answer.headers.get("content-type") or capture.mimetype or ""
    if "html" not in content_type.lower() or answer.body.lstrip()[:5] == b"%PDF-":
        return Verdict(NOT_HTML, detail=content_type or "no content type")
    if not answer.complete or not looks_complete(answer.body):
        return Verdict(TRUNCATED)
    return Verdict(USED, page=(capture.key, answer.body, content_type))


def is_current_layout(page: DocumentPage) -> bool:
    """Pages of the site rebuilt in 2023 keep their metadata in labelled information blocks;
    the old site's pages do not. The page index (which its record is read from anyway) has
    them filed for a current page; only a page without one in its content is searched whole,
    chrome included, by a scan of every element's class."""
    filed = page.index.at(page.index.with_class(INFORMATION_BLOCK))
    # Each node filed under a class has a class attribute.
    if any(INFORMATION_BLOCK in _XML_SPACE.split(node.get("class") or "") for node in filed):
        return True
    return page.first(f"//*[{has_class(INFORMATION_BLOCK)}]") is not None


def old_layout(capture: Capture, page: DocumentPage) -> bool:
    if is_current_layout(page):
        return False
    return numeric_record_id(capture.key) is not None or capture.timestamp < REBUILD


# -- reading a whole page of each kind -------------------------------------------------------
# A page judge() let through is read by its page object: the page, or the verdict that skips
# it after all (a page of the old site, a page without what a record must have).
def read_document(capture: Capture, page: CapturedPage) -> tuple[Any, Verdict | None]:
    return read_document_page(capture, document_page(*page))


def captured_page(kind: type[AnyPage], url: str, body: bytes,
                  content_type: str | None) -> AnyPage:
    """A captured page's page object, at its own URL, decoded as the live crawl decodes pages
    (most need no decoding at all: `parses_as_is`). Straight from its bytes, never through a
    response: a response and its selector refer to each other, a cycle only the garbage
    collector frees, and it would hold the whole page and its tree until then (thousands of
    pages, when pages are large and collections rare)."""
    if parses_as_is(body, content_type):
        return kind(Selector(body=body, encoding="utf-8", type="html", base_url=url), url)
    return kind.from_html(decode_page(body, content_type)[0], url)


def document_page(url: str, body: bytes, content_type: str | None) -> DocumentPage:
    return captured_page(DocumentPage, url, body, content_type)


def read_document_page(capture: Capture, page: DocumentPage) -> tuple[Any, Verdict | None]:
    if old_layout(capture, page):
        return None, Verdict(OLD_LAYOUT, detail="a page of the old site")
    try:
        return page.record(), None
    except MissingField as missing:
        return None, Verdict(NOT_A_PAGE, detail=missing.reason, field=missing.field)


def read_topic(capture: Capture, captured: CapturedPage) -> tuple[TopicPage | None,
                                                                  Verdict | None]:
    page = captured_page(TopicPage, *captured)
    if page.title() is None:
        return None, Verdict(NOT_A_PAGE, detail="topic page has no title")
    return page, None


def read_listing(capture: Capture, captured: CapturedPage) -> tuple[ListingPage | None,
                                                                      Verdict | None]:
    page = captured_page(ListingPage, *captured)
    if page.total() is None and not page.document_urls():
        return None, Verdict(NOT_A_PAGE, detail="no counter and no documents")
    return page, None


def read_person(capture: Capture, captured: CapturedPage) -> tuple[PersonPage | None,
                                                                     Verdict | None]:
    page = captured_page(PersonPage, *captured)
    if page.name() is None:
        return None, Verdict(NOT_A_PAGE, detail="no name (no h1) on the page")
    return page, None
