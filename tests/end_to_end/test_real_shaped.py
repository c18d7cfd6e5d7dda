"""Real material through every path: each page of the real-shaped corpus (fixtures/real-shaped/,
whose README names the real sample behind each trait) and, where ../shared/real-world is present,
the real page itself, taken through `parse`, a live crawl of a mirror, the stand-in Wayback
Machine, a WARC of another crawler, a WACZ, and a `--warc` round trip through a `br` and a `zstd`
server: each gives its hand-checked record, and nothing is rejected, on every path."""

import importlib.util
from pathlib import Path

import pytest

from tests.helpers.pages import expected_for, load_json, without_provenance
from tests.helpers.real_paths import HARVESTS, PATHS, document_files, url_of
from tests.helpers.real_shaped import REAL_SHAPED, real_page

CORPUS = REAL_SHAPED / "site"
REAL_EXPECTED = REAL_SHAPED / "real-page-300640.expected.json"


def derive_module():
    spec = importlib.util.spec_from_file_location("real_shaped_derive", REAL_SHAPED / "derive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_expected() -> dict[str, dict]:
    """URL → the hand-checked record of the corpus page's base page."""
    derive = derive_module()
    return {url_of(CORPUS, CORPUS / "document" / base.name): load_json(expected_for(base))
            for base, _, _ in derive.CORPUS}


def real_mirror(folder: Path) -> tuple[Path, dict[str, dict]]:
    """The real page at its own URL, and the default listing linking it."""
    expected = load_json(REAL_EXPECTED)
    (folder / "document").mkdir(parents=True)
    (folder / "document" / f"{expected['slug']}.html").write_bytes(real_page())
    (folder / "search.html").write_text(derive_module().listing([expected], {}), "utf-8")
    return folder, {expected["url"]: expected}


@pytest.fixture(scope="module", params=["corpus", "real page"])
def mirror(request, tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    if request.param == "corpus":
        return CORPUS, corpus_expected()
    return real_mirror(tmp_path_factory.mktemp("real-mirror"))


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


def test_the_corpus_is_its_base_pages_with_what_the_real_site_adds():
    assert derive_module().main(["--check"]) == 0
    assert len(document_files(CORPUS)) == 5
