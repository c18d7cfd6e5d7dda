"""The system's Chromium for the browser tests, driven by Playwright (its own browser builds
are never downloaded), and where the tests keep their screenshots."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import ROOT

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Screenshots a test keeps, one folder per test module (`make test` names it at the end).
ARTIFACTS = Path(os.environ.get("HARVESTER_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))


def system_chromium() -> str | None:
    """The distribution's Chromium, or None (the test then skips, saying why)."""
    found = os.environ.get("HARVESTER_CHROMIUM") or next(
        (path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)
    return found if found and Path(found).exists() else None


@contextmanager
def browsing(run: Path) -> Iterator[str]:
    """`harvester browse RUN --port 0` in a subprocess, and the URL its first line names."""
    process = subprocess.Popen([*HARVESTER, "browse", str(run), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:"), line
        yield line
    finally:
        process.terminate()
        process.wait(30)
