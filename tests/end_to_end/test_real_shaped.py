"""Real material through every path: each page of the real-shaped corpus (fixtures/real-shaped/,
whose README names the real sample behind each trait) and, where ../shared/real-world is present,
the real page itself, taken through `parse`, a live crawl of a mirror, the stand-in Wayback
Machine, a WARC of another crawler, a WACZ, and a `--warc` round trip through a `br` and a `zstd`
server: each gives its hand-checked record, and nothing is rejected, on every path."""

from pathlib import Path

import pytest

from tests.helpers.pages import BASE, load_json, without_provenance
from tests.helpers.real_paths import HARVESTS, PATHS
from tests.helpers.real_shaped import (
    REAL_PAGE_EXPECTED,
    corpus_records,
    write_corpus,
    write_real_page_mirror,
)


@pytest.fixture(scope="module", params=["corpus", "real page"])
def mirror(request, tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    """A mirror folder and the hand-checked record of each of its documents, by URL."""
    folder = tmp_path_factory.mktemp("mirror")
    if request.param == "corpus":
        return write_corpus(folder), {f"{BASE}/document/{r['slug']}": r
                                      for r in corpus_records()}
    expected = load_json(REAL_PAGE_EXPECTED)
    return write_real_page_mirror(folder), {expected["url"]: expected}


@pytest.fixture(scope="module", params=PATHS)
def harvest(request, mirror, tmp_path_factory):
    root, expected = mirror
    return HARVESTS[request.param](root, tmp_path_factory.mktemp(request.param)), expected


def test_every_page_becomes_its_record_on_every_path(harvest):
    harvested, expected = harvest
    assert harvested.rejects == []
    assert sorted(harvested.records) == sorted(expected)
    for url, record in harvested.records.items():
        assert without_provenance(record) == expected[url], url
    assert "challenge" not in harvested.stderr
