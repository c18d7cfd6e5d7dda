"""The walk of a document list on its own, its pages answered in shuffled orders without a server: a
counter claiming a billion, pages past the end repeating the last one, an honest list, an endless
pager, missing pages, and an incremental walk. Every walk asks for a bounded number of pages and
keeps to its window; the same lies, crawled for real, are in test_lying_site."""

import random
from collections.abc import Callable

import pytest

from harvester.spiders.lists import Limits, ListWalk

LIMITS = Limits(window=4, empty_stop=3, margin=5, max_pages=5000)


# -- the walk itself -------------------------------------------------------------------------
def page(number: int, size: int = 10) -> list[str]:
    return [f"/document/{number}-{i}" for i in range(size)]


def walk_list(walk: ListWalk, documents: Callable[[int], list[str] | None],
              counter: int = 1_000_000_000, links: Callable[[int], list[int]] = lambda n: [],
              seed: int = 0) -> list[int]:
    """Answer the walk's pages in a shuffled order until it asks for nothing more (None: the
    page is missing); the pages asked for, in order. The window holds at every step."""
    rng = random.Random(seed)
    asked, waiting = [], []
    while True:
        due = walk.due()
        asked += due
        waiting += due
        assert walk.in_flight == len(waiting) <= walk.window
        if not waiting:
            return asked
        number = waiting.pop(rng.randrange(len(waiting)))
        if documents(number) is None:
            walk.missing(number, f"page {number}: HTTP 404")
        else:
            walk.answered(number, documents(number), counter, links(number))


@pytest.mark.parametrize("seed", range(20))
def test_a_counter_claiming_a_billion_costs_a_window_of_pages_past_the_end(seed):
    walk = ListWalk("http://site/search", LIMITS)
    asked = walk_list(walk, lambda n: page(n) if n < 3 else None, seed=seed)
    assert asked == list(range(len(asked))) and 6 <= len(asked) <= 5 + LIMITS.window
    assert walk.most_in_flight <= LIMITS.window
    assert walk.stopped == "stopped after 3 pages in a row with no new documents at page 5"
    assert walk.problems(30, complete=True) == [
        "listing /search stopped after 3 pages in a row with no new documents at page 5; "
        "counter claims 1000000000, 30 listed"]
    assert walk.problems(30, complete=False) == []  # an incremental walk stops by design


@pytest.mark.parametrize("seed", range(5))
def test_pages_past_the_end_that_repeat_the_last_one_end_the_walk(seed):
    # A site that clamps an out-of-range page number serves its last page again.
    walk = ListWalk("http://site/search", LIMITS)
    walk_list(walk, lambda n: page(min(n, 2)), links=lambda n: [n + 1], seed=seed)
    assert walk.stopped == "stopped after 3 pages in a row with no new documents at page 5"
    assert len(walk.seen) == 30


def test_an_honest_list_is_walked_to_the_last_page_its_counter_implies_once():
    walk = ListWalk("http://site/search?f%5B0%5D=topics%3A1&page=3", LIMITS)
    asked = []
    while due := walk.due():
        asked += due
        for number in due:
            walk.answered(number, page(number), 60, [number + 1] if number < 5 else [])
    assert asked == [0, 1, 2, 3, 4, 5] and walk.stopped is None
    assert walk.page_url(0) == "http://site/search?f%5B0%5D=topics%3A1"
    assert walk.page_url(2) == "http://site/search?f%5B0%5D=topics%3A1&page=2"
    assert walk.problems(60, complete=True) == []


@pytest.mark.parametrize(("limits", "pages", "reason"), [
    (LIMITS, 8, "stopped at its cap of 8 pages (3 for its counter, plus "
                "HARVESTER_LIST_PAGE_MARGIN 5)"),
    (Limits(4, 3, 5, 5), 5, "stopped at its cap of 5 pages (HARVESTER_MAX_LIST_PAGES)"),
])
def test_an_endless_pager_stops_at_a_cap(limits, pages, reason):
    walk = ListWalk("http://site/search", limits)
    asked = walk_list(walk, page, counter=21, links=lambda n: [n + 1])
    assert asked == list(range(pages)) and walk.stopped == reason
    assert walk.problems(20, complete=True) == [
        f"listing /search {reason}; counter claims 21, 20 listed"]
    assert walk.problems(21, complete=True) == []  # everything the counter claims was found


def test_a_missing_page_inside_a_list_fails_it_and_at_its_end_ends_it():
    walk = ListWalk("http://site/search", LIMITS)
    walk_list(walk, lambda n: None if n == 2 else page(n), counter=50)
    assert walk.holes == ["page 2: HTTP 404"] and walk.stopped is None
    assert walk.problems(40, complete=False) == ["page 2: HTTP 404"]
    end = ListWalk("http://site/search", LIMITS)
    walk_list(end, lambda n: None if n == 4 else page(n), counter=50)
    assert end.problems(40, complete=True) == ["page 4: HTTP 404"]
    assert end.problems(50, complete=True) == []


def test_an_incremental_walk_goes_one_page_at_a_time_and_stops_when_told():
    walk = ListWalk("http://site/search", LIMITS, window=1)
    assert walk.due() == [0]
    walk.answered(0, page(0), 1_000_000_000)
    assert walk.due() == [1] and walk.due() == []
    walk.answered(1, page(1))
    walk.finish()
    assert walk.due() == [] and walk.stopped is None
