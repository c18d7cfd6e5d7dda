"""The garbage collector is set for a crawl only while it runs."""

import gc

import pytest

from harvester.crawl import CRAWL_GC_THRESHOLDS, collector_for_crawling


def test_the_crawl_runs_with_start_up_frozen_and_rarer_collections():
    before = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    with collector_for_crawling():
        assert gc.get_threshold() == CRAWL_GC_THRESHOLDS
        assert gc.get_freeze_count() > frozen_before
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_collector_is_set_back_when_the_crawl_raises():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collector_for_crawling():
        raise RuntimeError("stopped")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
