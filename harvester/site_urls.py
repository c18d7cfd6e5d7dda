"""The archive's URL rules in one place: its address, the paths of its kinds of page, what a
slug is, and rebasing a mirror's URLs onto the archive's. Every other module asks here, so a
change on the site is one edit (docs/SITE.md, "URL patterns")."""

import ipaddress
import re
from typing import Any

ARCHIVE_URL = "https://digitalarchive.wilsoncenter.org"

# A topic or person slug as the site writes them: Drupal's path aliases.
SLUG = r"[a-z0-9][a-z0-9-]*"
SLUG_ONLY = re.compile(rf"^{SLUG}$")

TOPIC_INDEX_PATH = "/topics"
LISTING_PATH = "/search"
DOCUMENT_PREFIX = "/document/"

# A link to a topic or a person, at the end of a link's path (`…/topics/<slug>/`).
TOPIC_LINK = re.compile(rf"/topics/({SLUG})/?$")
PERSON_LINK = re.compile(rf"/people/({SLUG})/?$")
# A person's (or organisation's) own page, as served and in the canonical form of a capture.
PERSON_PAGE_PATH = re.compile(r"^/people/([^/?#]+)/?$")
PERSON_CANONICAL = re.compile(rf"^/people/({SLUG})$")
# The topic index's entries: a whole path.
TOPIC_PATH = re.compile(rf"^/topics/({SLUG})/?$")
# A topic page's own address, as served: whatever the site put after `/topics/`.
TOPIC_PAGE_PATH = re.compile(r"^/topics/([^/?#]+)/?$")
# A topic address in the canonical form of a capture (no trailing slash).
TOPIC_CANONICAL = re.compile(rf"^/topics/({SLUG})$")

DOCUMENT_PATH = re.compile(r"^/document/([^/?#]+)/?$")
DOCUMENT_CANONICAL = re.compile(r"^/document/([^/]+)$")
# The old numeric address of a document (`/document/110360`), which redirects to its slug.
NUMERIC_DOCUMENT = re.compile(r"^/document/(\d+)$")
# A file, not a page: the node's download link or a PDF.
DOWNLOAD_PATH = re.compile(r"^/document/\d+/download/?$|\.pdf$", re.IGNORECASE)
DOWNLOAD_NODE = re.compile(r"/document/(\d+)/download")


def is_loopback(host: str) -> bool:
    """Whether a host is this machine (a saved mirror served here)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def topic_path(slug: str) -> str:
    return f"/topics/{slug}"


def topic_url(slug: str, public: str = ARCHIVE_URL) -> str:
    return public.rstrip("/") + topic_path(slug)


def person_path(slug: str) -> str:
    return f"/people/{slug}"


class UrlRebaser:
    """Rewrites URLs of the crawled host to the public one, so a mirror's records read as the
    archive's own."""

    def __init__(self, crawl_base: str, public_base: str) -> None:
        self.crawl_base = crawl_base.rstrip("/")
        self.public_base = public_base.rstrip("/")

    def __call__(self, url: Any) -> Any:
        return self._swap(url, self.crawl_base, self.public_base)

    def back(self, url: Any) -> Any:
        """A public URL (as the state keeps it) turned into one to fetch from the crawl base."""
        return self._swap(url, self.public_base, self.crawl_base)

    @staticmethod
    def _swap(url: Any, old: str, new: str) -> Any:
        if not (isinstance(url, str) and old and new):
            return url
        if url == old or url.startswith(old + "/"):
            return new + url[len(old):]
        return url
