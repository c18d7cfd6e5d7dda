"""Prints parsing cost per page next to a bare lxml parse, and the offline crawl's rate.

Run by hand (`make bench`); figures vary with the machine, so compare the ratios of one run.
"""

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import html as lxml_html

from harvester.mirror.server import base_url, serve_in_background
from harvester.pages.document import DocumentPage, MissingField

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "fixtures" / "site"
BASE = "https://digitalarchive.wilsoncenter.org"
ROUNDS = 30


def timed(function, pages: list[tuple[bytes, str]]) -> float:
    """Milliseconds per page, best of three passes of ROUNDS rounds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(ROUNDS):
            for body, url in pages:
                function(body, url)
        best = min(best, (time.perf_counter() - start) / (ROUNDS * len(pages)))
    return best * 1000


def full_parse(body: bytes, url: str) -> None:
    with contextlib.suppress(MissingField):
        DocumentPage.from_html(body, url).record()


def bare_lxml(body: bytes, url: str) -> None:
    lxml_html.fromstring(body)


def bench_parsing() -> None:
    pages = [(p.read_bytes(), f"{BASE}/document/{p.stem}")
             for p in sorted((SITE / "document").glob("*.html"))]
    ours, bare = timed(full_parse, pages), timed(bare_lxml, pages)
    print(f"parsing: {len(pages)} document pages, {ROUNDS} rounds, best of 3")
    print(f"  bare lxml.html parse:            {bare:7.3f} ms/page")
    print(f"  DocumentPage -> record (all fields): {ours:7.3f} ms/page "
          f"({ours / bare:.1f}x the bare parse)")


def bench_crawl() -> None:
    server = serve_in_background(SITE)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "harvester.cli", "crawl", "topic",
                        "--base-url", base_url(server), "--out", out,
                        "-s", "HARVESTER_PROGRESS_INTERVAL=0"], check=True)
        wall = time.perf_counter() - start
        manifest = json.loads((Path(out) / "latest" / "manifest.json").read_text("utf-8"))
    server.shutdown()
    counts = manifest["counts"]
    print(f"offline crawl of the bundled mirror: {counts['documents']} documents, "
          f"{counts['responses']} responses")
    print(f"  wall time with process start-up: {wall:.2f} s "
          f"= {counts['documents'] / wall:.1f} documents/s")


if __name__ == "__main__":
    bench_parsing()
    if "--parse-only" not in sys.argv:
        bench_crawl()
