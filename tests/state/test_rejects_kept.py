"""A snapshot's rejects list every page that is still rejected, not only this run's."""

import pytest

from harvester.state.store import StateStore

NOW, LATER = "2026-11-26T10:00:00Z", "2026-11-27T10:00:00Z"
SITE = "https://digitalarchive.wilsoncenter.org/document/"


def reject(slug: str, reason: str = "missing title", field: str | None = "title") -> dict:
    return {"url": SITE + slug, "reason": reason, "field": field}


@pytest.fixture
def store(tmp_path):
    store = StateStore(tmp_path / "state" / "job.sqlite")
    yield store
    store.close()


def published_url(store: StateStore, url: str, record_id: str) -> None:
    """A URL a published run found (its run promotes it when it is published)."""
    store.add_urls([url], record_id, "r1")
    store.promote_urls("r1")


def test_an_incremental_run_keeps_the_rejects_it_did_not_reach(store):
    assert store.settle_rejects([reject("b"), reject("a", "HTTP 500", None)], NOW, True) == [
        reject("a", "HTTP 500", None), reject("b")]
    assert store.settle_rejects([], LATER, False) == [reject("a", "HTTP 500", None),
                                                       reject("b")]


def test_a_reject_seen_again_takes_its_new_reason(store):
    store.settle_rejects([reject("a"), reject("b")], NOW, True)
    assert store.settle_rejects([reject("a", "not an HTML page", None)], LATER, False) == [
        reject("a", "not an HTML page", None), reject("b")]


def test_a_sweep_drops_the_pages_it_no_longer_lists(store):
    store.settle_rejects([reject("a"), reject("b")], NOW, True)
    assert store.settle_rejects([reject("b")], LATER, True) == [reject("b")]
    assert not store.was_rejected(SITE + "a")


def test_a_mended_page_is_no_longer_rejected(store):
    store.settle_rejects([reject("a"), reject("b")], NOW, True)
    published_url(store, SITE + "a", "110360")
    assert store.settle_rejects([], LATER, False) == [reject("b")]


def test_a_known_document_that_now_fails_is_listed_as_rejected(store):
    published_url(store, SITE + "a", "110360")
    assert store.settle_rejects([reject("a")], NOW, False) == [reject("a")]
