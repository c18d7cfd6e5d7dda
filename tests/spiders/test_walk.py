"""The walk of a capture run (harvester/spiders/walk.py): a phase starts only once nothing of
the one before is being fetched and all it gave has reached the run."""

from harvester.spiders.walk import WAIT, Walk


def test_phases_start_only_when_nothing_is_in_flight():
    walk = Walk([lambda: iter([("a", "document", None)]), lambda: iter(["item"])])
    assert walk.next_step() == ("a", "document", None)
    walk.open("a", "document", None)   # its page is being fetched
    assert walk.in_flight == 1
    assert walk.next_step() is WAIT
    walk.close("a")
    assert walk.in_flight == 0
    assert walk.next_step() == "item"
    assert walk.next_step() is None


def test_a_phase_starts_only_once_the_items_of_the_one_before_are_in():
    walk = Walk([lambda: iter(["topic"]), lambda: iter([("b", "person", None)])])
    assert walk.next_step() == "topic"
    walk.items_out = 1   # given to the crawl, not yet through its pipelines
    assert walk.next_step() is WAIT
    assert walk.holding()
    walk.items_out = 0
    assert walk.next_step() == ("b", "person", None)
    assert not walk.holding()
