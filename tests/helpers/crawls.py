"""The commands the tests run: `harvester` in this venv, a topic crawl of the bundled mirror,
and the project's `scrapy crawl`."""

import subprocess
import sys
from pathlib import Path

from tests.helpers.pages import BASE, ROOT

HARVESTER = [sys.executable, "-m", "harvester.cli"]
SCRAPY = str(Path(sys.executable).with_name("scrapy"))


def bundled_crawl_command(url: str, out: Path, *extra: str) -> list[str]:
    """A topic crawl of the bundled mirror served at `url`, with a progress line every 0.1 s."""
    return [*HARVESTER, "crawl", "topic", *extra, "--base-url", url, "--out", str(out),
            "--public-base-url", BASE, "-s", "HARVESTER_PROGRESS_INTERVAL=0.1"]


def scrapy_crawl(url: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """`scrapy crawl topic` of the mirror at `url`, run from the project folder, into `out`."""
    return subprocess.run(
        [SCRAPY, "crawl", "topic", "-a", f"base_url={url}", "-s", f"HARVESTER_OUTPUT_DIR={out}",
         "-s", f"HARVESTER_PUBLIC_BASE_URL={BASE}", "-s", "HARVESTER_PROGRESS_INTERVAL=0",
         "-s", "LOG_LEVEL=WARNING", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
