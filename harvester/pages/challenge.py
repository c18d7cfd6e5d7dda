"""Bot challenges told apart from pages by their shape, for the live crawl and for captures.

Cloudflare injects its "JavaScript detections" script into every page it serves (it loads
`/cdn-cgi/challenge-platform/scripts/jsd/main.js`), so a script of the challenge platform is no
sign of a challenge: complete document pages carry it. A challenge is an interstitial instead of
the page: the `cf-mitigated: challenge` header, or a page that carries an interstitial's markers
and none of the archive's content (no title, no document area, no listing). An answer that holds
the archive's content is never a challenge, whatever scripts or words it carries.
"""

from collections.abc import Mapping
from typing import Any

from lxml import etree
from lxml import html as lxml_html

CHALLENGE_STATUSES = (200, 403, 429, 503)
# What only an interstitial carries: its options object, its form and widgets, the path its
# orchestration script is loaded from (`/h/…`; the detections script every page carries is
# under `/scripts/jsd/`), its title and its words to the visitor.
MARKERS = (
    b"window._cf_chl_opt", b"/cdn-cgi/challenge-platform/h/", b"cf_chl_", b"cf-chl-",
    b"cf-browser-verification", b"challenges.cloudflare.com/turnstile", b"cf-turnstile",
    b'id="challenge-form"', b"<title>just a moment", b"<title>attention required!",
    b"checking your browser before accessing", b"checking if the site connection is secure",
    b"enable javascript and cookies to continue", b"verify you are human",
    b"sorry, you have been blocked",
)
# Only in an error answer do these words mean a challenge.
ERROR_MARKERS = (b"captcha", b"are you a robot")
# Interstitials are small and say what they are at once; a page is not searched further.
SNIFF_BYTES = 64 * 1024
# What the archive's pages hold and an interstitial never does: a document's or topic's title
# (`h1.title`), a document's areas, a listing's results, links to documents.
_SITE_CONTENT = etree.XPath(
    "//h1[contains(concat(' ', normalize-space(@class), ' '), ' title ')]"
    " | //*[@id='documentTabs']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' information-block ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' jumbotron-document ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' views-row ')]"
    " | //a[contains(@href, '/document/')]")


def mitigated(headers: Mapping[Any, Any]) -> bool:
    """Cloudflare's own word that it answered with a challenge, whatever the body."""
    value = headers.get(b"cf-mitigated") or headers.get("cf-mitigated") or b""
    if isinstance(value, list):
        value = value[-1] if value else b""
    if isinstance(value, str):
        value = value.encode("latin-1", "replace")
    return value.strip().lower() == b"challenge"


def interstitial_marker(status: int, body: bytes) -> str | None:
    """The first interstitial marker in the start of the body, or None."""
    head = body[:SNIFF_BYTES].lower()
    markers = MARKERS if status == 200 else MARKERS + ERROR_MARKERS
    return next((marker.decode() for marker in markers if marker in head), None)


def has_site_content(body: bytes) -> bool:
    """Whether the body holds the archive's content: then it is the page, not a challenge."""
    try:
        root = lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return False
    return bool(_SITE_CONTENT(root))


def challenge_marker(status: int, headers: Mapping[Any, Any], body: bytes) -> str | None:
    """What shows that an answer is a bot challenge rather than the page, or None. The body
    is parsed only when it carries an interstitial's marker, which ordinary pages do not."""
    if mitigated(headers):
        return "cf-mitigated: challenge"
    if status not in CHALLENGE_STATUSES:
        return None
    marker = interstitial_marker(status, body)
    if marker is None or has_site_content(body):
        return None
    return marker
