"""Real material in the tests: the real samples in ../shared/real-world (present on machines that
have them; a test that reads them skips, saying why, where they are absent) and the traits they
show, put into the project's own pages (fixtures/real-shaped/)."""

import gzip
from pathlib import Path

import pytest

from tests.helpers.pages import ROOT

REAL_WORLD = ROOT.parent / "shared" / "real-world"
REAL_SHAPED = ROOT / "fixtures" / "real-shaped"
# Cloudflare's "JavaScript detections" snippet, as the real page carries it.
JSD_SNIPPET = (REAL_SHAPED / "cloudflare-jsd-snippet.html").read_bytes().strip()
REAL_PAGE_URL = ("https://digitalarchive.wilsoncenter.org/document/asian-affairs-bureau-ministry-"
                 "foreign-affairs-japan-chinese-communist-problem")


def real_world(*parts: str) -> Path:
    """A path under ../shared/real-world, or a skip saying it is absent."""
    path = REAL_WORLD.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real-world samples not on this machine ({path} is absent)")
    return path


def real_page() -> bytes:
    """The real document page (Record ID 300640) as a browser saved it."""
    folder = real_world("pages")
    [page] = sorted(folder.glob("*.html.gz"))
    return gzip.decompress(page.read_bytes())


def with_snippet(page: bytes, place: str) -> bytes:
    """The page with the snippet where Cloudflare puts it: before `</body>`, or ending the
    text of the document tab (after the tab's first paragraph), or opening the body."""
    if place == "before-body-end":
        at = page.rindex(b"</body>")
    elif place == "in-text-tab":
        at = page.index(b"</p>", page.index(b"tab-pane")) + len(b"</p>")
    elif place == "in-head":
        at = page.index(b"</head>")
    else:
        raise ValueError(place)
    return page[:at] + JSD_SNIPPET + page[at:]


def padded_text(page: bytes, size: int) -> bytes:
    """The page grown to about `size` bytes by a comment inside the document tab, so its end,
    and whatever Cloudflare put there, lies past the sniffed start."""
    at = page.index(b"</p>", page.index(b"tab-pane")) + len(b"</p>")
    filler = b"<!-- " + b"x" * max(0, size - len(page)) + b" -->"
    return page[:at] + filler + page[at:]
