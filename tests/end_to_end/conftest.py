"""What several end-to-end modules read: the session's fault-free crawl of the bundled mirror,
as the reference a faulty crawl is compared with."""

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def reference(bundled_topic_run) -> Path:
    """The session's fault-free crawl of the mirror (read only: a run that stops is crawled
    over a copy of it)."""
    return bundled_topic_run.out

