"""What a run walks and re-checks, and when an incremental walk stops, without a crawl."""

import pytest

from harvester.spiders.policy import WalkPolicy

PLAIN = WalkPolicy(incremental=False, sweep=True)
INCREMENTAL = WalkPolicy(incremental=True, sweep=False)
FULL_SWEEP = WalkPolicy(incremental=True, sweep=True)
# A trial run (`--limit`) is never a sweep, even a plain one.
TRIAL = WalkPolicy(incremental=False, sweep=False)


@pytest.mark.parametrize(("policy", "complete", "window", "asks_known", "asks_known_topic"), [
    (PLAIN, True, None, True, True),
    (INCREMENTAL, False, 1, False, False),
    (FULL_SWEEP, True, None, False, True),
    (TRIAL, True, None, True, True),
], ids=["plain", "incremental", "full sweep", "trial"])
def test_what_each_kind_of_run_walks(policy, complete, window, asks_known, asks_known_topic):
    assert policy.complete is complete
    assert policy.list_window() == window
    assert policy.asks_for(known=False) is True  # an unseen document, always
    assert policy.asks_for(known=True) is asks_known
    assert policy.asks_topic(known=False) is True
    assert policy.asks_topic(known=True) is asks_known_topic


@pytest.mark.parametrize(("policy", "expected"), [
    (PLAIN, 120), (FULL_SWEEP, 120), (INCREMENTAL, 7), (TRIAL, 7),
], ids=["plain", "full sweep", "incremental", "trial"])
def test_a_sweep_rechecks_every_known_document_else_the_budget(policy, expected):
    assert policy.rechecks(120, lambda: 7) == expected


def test_a_sweep_never_asks_for_the_budget():
    def budget() -> int:
        raise AssertionError("the budget was computed on a sweep")

    assert PLAIN.rechecks(3, budget) == 3


@pytest.mark.parametrize(("stop_pages", "pages", "walked"), [
    # Pages of one newest-first list, True when the page showed something new; `walked` is how
    # many pages were read before the walk stopped (all of them: it would go on).
    (1, [True, True, False, True], 3),
    (1, [False], 1),
    (2, [True, False, True, False, False, True], 5),
    (3, [False, False, True, False, False], 5),
])
def test_an_incremental_walk_stops_after_enough_pages_with_nothing_new(stop_pages, pages,
                                                                       walked):
    policy = WalkPolicy(incremental=True, sweep=False, stop_pages=stop_pages)
    read = 0
    for found_new in pages:
        read += 1
        if not policy.keeps_walking("/search", found_new):
            break
    assert read == walked


def test_each_list_counts_its_own_quiet_pages():
    policy = WalkPolicy(incremental=True, sweep=False, stop_pages=2)
    assert policy.keeps_walking("a", False) is True
    assert policy.keeps_walking("b", False) is True
    assert policy.keeps_walking("a", False) is False
    assert policy.keeps_walking("b", True) is True


@pytest.mark.parametrize("policy", [PLAIN, FULL_SWEEP, TRIAL], ids=["plain", "sweep", "trial"])
def test_a_complete_walk_never_stops_on_quiet_pages(policy):
    assert all(policy.keeps_walking("/search", False) for _ in range(50))
