"""A site that lies: a counter claiming a billion documents, a pager that never ends, a topic list
far short of its counter, every document failing. Each run must end, with a one-line reason, having
asked for a bounded number of pages, and never replace the last good run.

The site is the bundled (or a small synthetic) mirror served by a tiny server in this module, which
rewrites the pages a test names and logs every request. The list walk's own decisions, answered
without a server, are in test_list_walk."""

import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harvester.dataset.folder import file_facts
from harvester.mirror.layout import is_hidden, load_redirects, redirect_key, relative_file
from harvester.pages.listing import page_number
from harvester.settings.base import HARVESTER_LIST_WINDOW
from harvester.spiders.lists import IN_FLIGHT_STAT
from harvester_testkit.synth import synthesize
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, SITE, read_jsonl

TOPIC_LIST = "/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466"
COUNTER = re.compile(r"(\d+ - \d+ of )(\d+)")


# -- a lying site, crawled --------------------------------------------------------------------
class LyingSite(ThreadingHTTPServer):
    """A mirror folder served as the site would serve it, except for `rewrite(target)` (a
    page's bytes, or None for the mirror's) and `failing` (a path prefix answered 403)."""

    daemon_threads = True

    def __init__(self, root: Path, rewrite: Callable[[str], bytes | None] = lambda t: None,
                 failing: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), SiteHandler)
        self.root, self.rewrite, self.failing = root, rewrite, failing
        self.redirects = load_redirects(root)
        self.targets: list[str] = []
        self.lock = threading.Lock()

    def answer(self, target: str) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.targets.append(target)
        if self.failing and target.startswith(self.failing):
            return 403, {}, b""
        if rule := self.redirects.get(redirect_key(target)):
            return rule["status"], {"Location": rule["location"]}, b""
        if (body := self.rewrite(target)) is not None:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body
        relative = relative_file(target)
        path = self.root / str(relative) if relative is not None else None
        if path is None or is_hidden(relative) or not path.is_file():
            return 404, {}, b""
        kind = "text/plain" if path.suffix == ".txt" else "text/html; charset=utf-8"
        return 200, {"Content-Type": kind}, path.read_bytes()

    def list_pages(self, path: str) -> list[int]:
        """Page numbers of the list at `path` (with its query, page left out) asked for, in
        order of number."""
        return sorted(page_number(t) for t in self.targets
                      if re.sub(r"[?&]page=\d+", "", t) == path)


class SiteHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, headers, body = self.server.answer(self.path)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@contextmanager
def lying(root: Path, rewrite=lambda t: None, failing: str | None = None) -> Iterator[
        tuple[LyingSite, str]]:
    site = LyingSite(root, rewrite, failing)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield site, f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


def crawl(url: str, out: Path, spider: str = "topic", *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", spider, "--base-url", url, "--out", str(out),
                           "--public-base-url", BASE, "-v", "-s", "HARVESTER_PROGRESS_INTERVAL=0",
                           *extra], capture_output=True, text=True, timeout=60)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


def in_flight_at_most(result: subprocess.CompletedProcess) -> int:
    return int(re.search(rf"'{IN_FLIGHT_STAT}': (\d+)", result.stderr).group(1))


def snapshot(out: Path) -> dict:
    """What a reader of `out` sees: where latest points and every visible file's digest."""
    return {"latest": (out / "latest").resolve().name,
            "files": {str(p.relative_to(out)): file_facts(p)["sha256"]
                      for p in sorted(out.rglob("*")) if p.is_file() and "state" not in p.parts
                      and not any(part.startswith(".") for part in p.relative_to(out).parts)}}


def topic_list_page(number: int) -> str:
    return TOPIC_LIST + (f"&page={number}" if number else "")


def mirror_page(target: str) -> str:
    return (SITE / str(relative_file(target))).read_text("utf-8")


def refused_over(good: Path, tmp_path: Path, url: str, *extra: str) -> tuple[str, bool]:
    """A crawl over a copy of the good run's output that must be refused: its last line
    without the note about the last good run, and whether that run stayed as it was."""
    out = tmp_path / "out"
    shutil.copytree(good, out, symlinks=True)
    before = snapshot(out)
    result = crawl(url, out, "topic", *extra)
    assert result.returncode == 1, result.stderr[-3000:]
    keeps = f"; the last good run is still {(out / 'latest').resolve()}"
    assert last_line(result).endswith(keeps)
    return last_line(result).removesuffix(keeps), snapshot(out) == before


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A published topic run of the bundled mirror."""
    out = tmp_path_factory.mktemp("good")
    with lying(SITE) as (site, url):
        result = crawl(url, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert site.list_pages(TOPIC_LIST) == [0, 1, 2]
    return out


def test_a_counter_claiming_a_billion_ends_the_archive_walk_past_the_real_end(tmp_path):
    root = tmp_path / "site"
    synthesize(root, 30, 2, 4)  # 30 documents: listing pages 0, 1 and 2
    first = root / "search.html"
    first.write_text(COUNTER.sub(r"\g<1>1000000000", first.read_text("utf-8"), count=1), "utf-8")
    with lying(root) as (site, url):
        result = crawl(url, tmp_path / "out", "archive")
    assert last_line(result) == (
        "harvester: run not published: document list incomplete: listing /search stopped "
        "after 3 pages in a row with no new documents at page 5; counter claims 1000000000, "
        "30 listed")
    pages = site.list_pages("/search")
    # Pages 3, 4 and 5 are missing; the walk asks at most a window beyond the last page back.
    assert pages == list(range(len(pages))) and 6 <= len(pages) <= 5 + HARVESTER_LIST_WINDOW
    assert 1 <= in_flight_at_most(result) <= HARVESTER_LIST_WINDOW


def claiming(total: int) -> Callable[[str], bytes | None]:
    """The topic list's pages as they are, their counter claiming `total` documents."""
    def rewrite(target: str) -> bytes | None:
        if not target.startswith(TOPIC_LIST):
            return None
        return COUNTER.sub(rf"\g<1>{total}", mirror_page(target), count=1).encode()
    return rewrite


def test_an_endless_pager_on_a_topic_list_stops_at_its_cap(good, tmp_path):
    listed = claiming(40)
    last = listed(topic_list_page(2)).decode()
    document = re.search(r'href="(/document/[^"?#]+)"', last).group(1)

    def endless(target: str) -> bytes | None:
        """From the list's last page on, every page links the next; each shows a document
        not seen before."""
        number = page_number(target)
        if not target.startswith(TOPIC_LIST) or number < 2:
            return listed(target)
        shown = last if number == 2 else last.replace(document, f"/document/endless-{number}")
        more = f'<a href="?page={number + 1}" rel="next">Next</a></main>'
        return shown.replace("</main>", more, 1).encode()

    with lying(SITE, endless) as (site, url):
        line, kept = refused_over(good, tmp_path, url)
    assert line == (
        f"harvester: run not published: document list incomplete: listing {TOPIC_LIST} "
        "stopped at its cap of 9 pages (4 for its counter, plus HARVESTER_LIST_PAGE_MARGIN 5); "
        "counter claims 40, 26 listed")
    assert kept
    assert site.list_pages(TOPIC_LIST) == list(range(9))


def test_a_topic_list_far_short_of_its_counter_is_refused(good, tmp_path):
    with lying(SITE, claiming(25)) as (site, url):
        line, kept = refused_over(good, tmp_path, url)
    assert line == (
        f"harvester: run not published: document list incomplete: listing {TOPIC_LIST} shows "
        "20 of the 25 documents its counter claims (more than HARVESTER_TOPIC_SHORTFALL 0.1 "
        "short)")
    assert kept
    assert site.list_pages(TOPIC_LIST) == [0, 1, 2]


def test_an_incremental_run_that_stops_early_and_only_asks_a_rejected_page_is_published(
        good, tmp_path):
    # Its list stops early by design, and the page rejected before, asked again in case it
    # was mended, failing again says nothing about the site.
    out = tmp_path / "out"
    shutil.copytree(good, out, symlinks=True)
    with lying(SITE, claiming(25), failing="/document/") as (site, url):
        result = crawl(url, out, "topic", "--incremental", "-s", "HARVESTER_RECHECK_BUDGET=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert site.list_pages(TOPIC_LIST) == [0]
    rejected = [r["url"].removeprefix(BASE) for r in read_jsonl(good / "latest" / "rejects.jsonl")]
    assert [t for t in site.targets if t.startswith("/document/")] == rejected


def test_a_run_in_which_every_document_request_failed_is_refused(good, tmp_path):
    with lying(SITE, failing="/document/") as (site, url):
        line, kept = refused_over(good, tmp_path, url)
    # 21 pages asked for; the one the good run rejected is left out of the count.
    assert len({t for t in site.targets if t.startswith("/document/")}) == 21
    assert line == ("harvester: run not published: every document request failed: "
                    "20 of 20")
    assert kept


def test_a_link_too_long_to_request_is_a_reject_not_a_silent_loss(tmp_path):
    """Scrapy drops a request whose URL is over URLLENGTH_LIMIT (2,083) with a log line only;
    a listing's link that long is a reject that says why, and the run publishes the rest."""
    long_slug = "a" * 2100
    first = mirror_page(TOPIC_LIST)

    def rewrite(target: str) -> bytes | None:
        if target == TOPIC_LIST:
            return first.replace('<div class="views-row">',
                                 f'<div class="views-row"><a href="/document/{long_slug}">x</a>',
                                 1).encode()
        return None

    with lying(SITE, rewrite) as (site, url):
        result = crawl(url, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    rejects = read_jsonl(tmp_path / "latest" / "rejects.jsonl")
    assert [(r["url"], r["reason"]) for r in rejects if long_slug in r["url"]] == [
        (f"{BASE}/document/{long_slug}", "URL too long to request (over URLLENGTH_LIMIT 2083)")]
    assert not any(long_slug in target for target in site.targets)
    assert len(read_jsonl(tmp_path / "latest" / "documents.jsonl")) == 19
