"""Prints parsing cost per page next to a bare lxml parse (bench/parse_pages.py), and the
offline crawl's rate.

Run by hand (`make bench`); figures vary with the machine, so compare the ratios of one run.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from parse_pages import main as bench_parsing

from harvester.mirror.bundled import BUNDLED_MIRROR
from harvester.mirror.server import base_url, serve_in_background

SITE = BUNDLED_MIRROR


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
