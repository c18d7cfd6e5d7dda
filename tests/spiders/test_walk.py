"""The walk of a capture run (harvester/spiders/walk.py): a phase starts only once nothing of
the one before is being fetched and all it gave has reached the run."""

from harvester.spiders.walk import WAIT, Walk


def test_phases_start_only_when_nothing_is_in_flight():
    walk = Walk([lambda: iter([("a", "document", None)]), lambda: iter(["item"])])
    assert walk.next_step() == ("a", "document", None)
    walk.open("a", "document", None, iter(()))   # its choice waits for a fetch
    assert walk.in_flight == 1
    assert walk.next_step() is WAIT
    walk.close("a")
    walk.probes = 1   # a request no choice waits for holds the phase as well
    assert walk.next_step() is WAIT
    walk.probes = 0
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
