"""What several end-to-end modules read: the session's fault-free crawl of the bundled mirror, as
the reference a faulty crawl is compared with and as the records an interrupted crawl must end
with, and the mirror servers the kill and stop tests crawl."""

from pathlib import Path

import pytest

from harvester.mirror.server import base_url
from tests.helpers.interrupted_runs import records
from tests.helpers.pages import SITE
from tests.helpers.serving import HeldBack, serve_here, stop


@pytest.fixture(scope="module")
def reference(bundled_topic_run) -> Path:
    """The session's crawl of the mirror, never faulted nor interrupted (read only: a test that
    crawls over it crawls over a copy of it)."""
    return bundled_topic_run.out


@pytest.fixture(scope="module")
def mirror_url():
    """The bundled mirror, served for the whole module."""
    mirror = serve_here(SITE)
    yield base_url(mirror)
    stop(mirror)


@pytest.fixture
def held_mirror():
    """A mirror that answers 8 documents and holds the rest until the test lets them go: a
    signal sent once one is held surely lands mid-crawl, however fast the machine."""
    plan = HeldBack("/document/*", answered=8)
    mirror = serve_here(SITE, faults=plan)
    yield base_url(mirror), plan
    stop(mirror)


@pytest.fixture(scope="module")
def uninterrupted_records(reference) -> dict[str, list[dict]]:
    """The records of the `reference` crawl, retrieval times left out."""
    return records(reference)

