"""Real material in the tests: the real samples in ../shared/real-world (present on machines that
have them; a test that reads them skips, saying why, where they are absent), and the real-shaped
corpus, which puts the traits they show into hand-checked pages of this project (see
fixtures/real-shaped/README.md).

A corpus page is its base page plus what the real site adds, nothing else, so its record is the
base page's hand-checked record. The corpus is written where a test asks for it
(`write_corpus`); `python -m tests.helpers.real_shaped OUT` writes it for a person to serve.
"""

import gzip
import json
import re
import sys
from html import escape
from pathlib import Path

import pytest

from tests.helpers.pages import REAL_WORLD, ROOT, SITE, VARIANTS, expected_for, load_json

REAL_SHAPED = ROOT / "fixtures" / "real-shaped"
# Cloudflare's "JavaScript detections" snippet, as the real page carries it.
JSD_SNIPPET = (REAL_SHAPED / "cloudflare-jsd-snippet.html").read_bytes().strip()
REAL_PAGE_EXPECTED = REAL_SHAPED / "real-page-300640.expected.json"
REAL_PAGE_URL = ("https://digitalarchive.wilsoncenter.org/document/asian-affairs-bureau-ministry-"
                 "foreign-affairs-japan-chinese-communist-problem")
# Where a saved real page had 615 kB of an injected icon font in its head (removed from the
# sample); a smaller one here brings the page past the 64 KB a challenge check reads.
ICON_FONT = (b'<style>@font-face{font-family:"icons";src:url(data:font/woff2;base64,'
             + b"d09GMgABAAAAA" * 1600 + b') format("woff2")}</style>\n')
# (base page, where the snippet goes, whether the icon font is in the head)
CORPUS = (
    (SITE / "document/record-conversation-between-antonin-novotny-and-kim-il-sung.html",
     "end-of-text-tab", False),
    (SITE / "document/journal-soviet-ambassador-dprk-am-puzanov-7-september-1960.html",
     "before-body-end", False),
    (SITE / "document/memorandum-conversation-between-erich-honecker-and-kim-il-sung-31-may-1984"
            ".html", "end-of-text-tab", False),
    (VARIANTS / "document/letter-kim-il-sung-walter-ulbricht-11-june-1956.html",
     "before-body-end", False),
    (VARIANTS / "document/record-conversation-between-kim-il-sung-and-fidel-castro-9-march-1986"
                ".html", "before-body-end", True),
)
# The listing's frame: a page of the bundled mirror's faceted list, its rows replaced.
LISTING_FRAME = SITE / "search@f%5B0%5D=topics%3A86466&fo%5B0%5D=86466&page=2.html"
LISTING_ROW = """                    <div class="views-row">
                      <div class="search-result">
                        <div class="date">{date}</div>
                        <h3 class="title"><a href="{href}" hreflang="en">{title}</a></h3>
                        <div class="summary"><p>{summary}</p></div>
                      </div>
                    </div>
"""
_SHOWN_PANE = re.compile(rb'class="tab-pane[^"]*\bactive\b')
_DIV_TAG = re.compile(rb"<(/?)div\b")


def real_world(*parts: str) -> Path:
    """A path under ../shared/real-world, or a skip saying it is absent."""
    path = REAL_WORLD.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real-world samples not on this machine ({path} is absent)")
    return path


def real_page() -> bytes:
    """The real document page (Record ID 300640) as a browser saved it."""
    [page] = sorted(real_world("pages").glob("*.html.gz"))
    return gzip.decompress(page.read_bytes())


# -- the traits ---------------------------------------------------------------------------------
def end_of_text_tab(page: bytes) -> int:
    """Just after the last paragraph of the first shown text pane (of the first pane, where
    none is marked shown), inside its language level where it has one: where the real pages'
    tab ends with the script."""
    shown = _SHOWN_PANE.search(page)
    start = shown.end() if shown else page.index(b">", page.index(b'class="tab-pane'))
    return page.rindex(b"</p>", start, _closing_div(page, start)) + len(b"</p>")


def _closing_div(page: bytes, start: int) -> int:
    """Where the `div` opened just before `start` closes."""
    depth, at = 1, start
    for tag in _DIV_TAG.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        at = tag.start()
        if depth == 0:
            return at
    raise ValueError("an unclosed div")


def with_snippet(page: bytes, place: str) -> bytes:
    """The page with the snippet where Cloudflare puts it: before `</body>`, or ending the
    text of the shown tab."""
    at = end_of_text_tab(page) if place == "end-of-text-tab" else page.rindex(b"</body>")
    return page[:at] + JSD_SNIPPET + page[at:]


def with_icon_font(page: bytes) -> bytes:
    return page.replace(b"</head>", ICON_FONT + b"</head>", 1)


# -- the corpus ---------------------------------------------------------------------------------
def corpus_records() -> list[dict]:
    return [load_json(expected_for(base)) for base, _, _ in CORPUS]


def listing(records: list[dict], moved: dict[str, str]) -> str:
    """The default listing's only page, one row per document, newest upload first; a document
    that moved is linked by its old address."""
    frame = LISTING_FRAME.read_text("utf-8")
    rows = "".join(
        LISTING_ROW.format(date=escape((r["date"] or {}).get("original", "")),
                           href=moved.get(r["slug"], f"/document/{r['slug']}"),
                           title=escape(r["title"]), summary=escape(r["summary"] or ""))
        for r in sorted(records, key=lambda r: r["uploaded"] or "", reverse=True))
    frame = re.sub(r'(<div class="view-content">\n).*?(                  </div>\n\s*<nav)',
                   lambda m: m.group(1) + rows + m.group(2), frame, count=1, flags=re.DOTALL)
    frame = re.sub(r'\s*<nav class="pager".*?</nav>', "", frame, count=1, flags=re.DOTALL)
    return frame.replace("21 - 21 of 21", f"1 - {len(records)} of {len(records)}")


def write_corpus(out: Path) -> Path:
    """The corpus as a mirror folder: the five pages, the listing that links them (the two
    migrated documents, Record IDs below 300000, by their old numeric address), and the
    redirects those addresses answer with, empty-bodied as the site's are."""
    (out / "document").mkdir(parents=True, exist_ok=True)
    for base, place, icon_font in CORPUS:
        page = with_snippet(base.read_bytes(), place)
        (out / "document" / base.name).write_bytes(with_icon_font(page) if icon_font else page)
    records = corpus_records()
    moved = {r["slug"]: f"/document/{r['record_id']}" for r in records
             if int(r["record_id"]) < 300000}
    (out / "search.html").write_text(listing(records, moved), "utf-8")
    redirects = {old: {"status": 301, "location": f"/document/{slug}"}
                 for slug, old in moved.items()}
    (out / "_redirects.json").write_text(json.dumps(redirects, indent=2) + "\n", "utf-8")
    return out


def write_real_page_mirror(out: Path) -> Path:
    """The real page at its own URL, and the default listing linking it."""
    expected = load_json(REAL_PAGE_EXPECTED)
    (out / "document").mkdir(parents=True, exist_ok=True)
    (out / "document" / f"{expected['slug']}.html").write_bytes(real_page())
    (out / "search.html").write_text(listing([expected], {}), "utf-8")
    return out


if __name__ == "__main__":
    print(write_corpus(Path(sys.argv[1])))
