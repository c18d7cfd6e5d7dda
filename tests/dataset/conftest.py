"""Fixtures of the dataset tests: the session's published crawl of the bundled mirror."""

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def run_dir(bundled_topic_run) -> Path:
    """The session's crawl of the bundled mirror: read it, never write to it."""
    return bundled_topic_run.run


@pytest.fixture
def copy(run_dir, tmp_path) -> Path:
    """A copy of the run that a test may corrupt."""
    return Path(shutil.copytree(run_dir, tmp_path / run_dir.name))
