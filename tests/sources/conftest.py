"""The sample WARC the source tests read, written afresh for each test."""

from pathlib import Path

import pytest

from tests.helpers.warcs import write_sample


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.warc.gz"
    write_sample(path)
    return path
