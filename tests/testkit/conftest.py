"""The synthetic mirror the testkit tests read, generated afresh for each module that reads it (a
small one, quick to write), its pages and its hidden ground truth."""

from pathlib import Path

import pytest

from harvester_testkit.synth import synthesize
from tests.helpers.synth_mirrors import DOCUMENTS, SEED, TOPICS, read_jsonl


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "mirror"
    synthesize(out, DOCUMENTS, TOPICS, SEED)
    return out


@pytest.fixture(scope="module")
def pages(mirror) -> dict[str, str]:
    """Every served page's markup, by its path in the mirror."""
    return {p.relative_to(mirror).as_posix(): p.read_text("utf-8")
            for p in mirror.rglob("*.html")}


@pytest.fixture(scope="module")
def expected(mirror) -> dict[str, list[dict]]:
    return {name: read_jsonl(mirror / "_expected" / f"{name}.jsonl")
            for name in ("documents", "topics", "rejects")}

