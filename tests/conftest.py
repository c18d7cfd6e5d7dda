"""The suite's fixtures and its hypothesis profile: the hand-checked record of the whole crawl,
and the crawls of the bundled mirror that several modules read, each run once per session. What
the tests share besides fixtures is in tests/helpers/."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import captures as plan
from tests.helpers.offline_runs import harvest_files
from tests.helpers.pages import EXPECTED_CRAWL, load_json
from tests.helpers.shared_runs import SharedRun, crawl_bundled, shared_run

# A property test fails for a bad example, never for a slow one: no per-example deadline and no
# "too slow" health check, both timings that a busy machine would miss.
settings.register_profile("any-machine", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("any-machine")


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Path:
    """The stand-in Wayback Machine's captures of the bundled mirror (tests/helpers/
    captures.py), built once: served read only, so every module's runs may share it."""
    return plan.build_store(tmp_path_factory.mktemp("captures") / "store")


@pytest.fixture(scope="session")
def expected_crawl() -> dict:
    return load_json(EXPECTED_CRAWL)


@pytest.fixture(scope="session")
def bundled_topic_run(tmp_path_factory) -> Iterator[SharedRun]:
    """A topic crawl of the bundled mirror, published into a fresh output folder."""
    yield from shared_run(tmp_path_factory, "bundled-topic", crawl_bundled)


@pytest.fixture(scope="session")
def bundled_topic_rerun(tmp_path_factory) -> Iterator[SharedRun]:
    """A second crawl like bundled_topic_run, on its own: for tests comparing two runs."""
    yield from shared_run(tmp_path_factory, "bundled-topic-again", crawl_bundled)


@pytest.fixture(scope="session")
def warc(tmp_path_factory) -> Path:
    """The researcher's WARC of the archive (tests/helpers/captures.py: gzip and chunked bodies,
    revisits, challenges, errors, the old site), written once; read only."""
    return plan.write_warc(tmp_path_factory.mktemp("warc") / "archive.warc.gz", plan.plan())


@pytest.fixture(scope="session")
def warc_archive_run(warc, tmp_path_factory) -> Path:
    """That WARC harvested offline as `harvester crawl archive --source warc` harvests it, in
    the test's own process, without parse workers: the published run's folder (read only)."""
    return harvest_files(tmp_path_factory.mktemp("warc-archive") / "out", warc)


def pytest_sessionstart(session) -> None:
    session.config.started_at = time.time()


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Name the screenshots the browser tests kept in this session (tests/helpers/browser.py)."""
    from tests.helpers.browser import ARTIFACTS

    started = getattr(config, "started_at", 0.0)
    shots = sorted(shot for shot in ARTIFACTS.glob("*/*.png") if shot.stat().st_mtime >= started) \
        if ARTIFACTS.is_dir() else []
    if shots:
        terminalreporter.write_line(f"screenshots kept in {ARTIFACTS}: "
                                    + ", ".join(str(s.relative_to(ARTIFACTS)) for s in shots))
