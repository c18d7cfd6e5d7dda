"""The bundled mirror's run, published once for the browse tests."""

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def run_dir(bundled_topic_run) -> Path:
    return bundled_topic_run.run
