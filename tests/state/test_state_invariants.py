"""The state's invariants (docs/RELIABILITY.md, "The state's invariants"), each a property over
random days of runs: listings that leave documents out, pages that fail or answer 404, runs
refused, stopped or killed, and the runs that follow them."""

import os
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from harvester.state.store import StateStore
from tests.helpers.state_days import DOCUMENTS, ENDINGS, JOB, Day, Site, misses, url

DOCS = list(range(DOCUMENTS))
# Most days publish and most pages answer, so that removals and comebacks happen often.
days = st.lists(st.builds(
    Day,
    sweep=st.booleans(),
    hidden=st.frozensets(st.sampled_from(DOCS), max_size=2),
    answers=st.tuples(*[st.sampled_from(["ok", "ok", "ok", "fail", "gone"])] * DOCUMENTS),
    edited=st.frozensets(st.sampled_from(DOCS), max_size=2),
    ending=st.sampled_from(["publish", "publish", "publish", *ENDINGS])),
    min_size=2, max_size=7)
OK = ("ok",) * DOCUMENTS
NOTHING: frozenset[int] = frozenset()
# The two ways scheduled runs lost records for good: a document hidden from its list for two
# sweeps, then listed again unchanged (an incremental day, a sweep); a new document found by a
# day that is refused, then by days that are published.
HIDDEN_TWICE = [Day(True, NOTHING, OK, NOTHING, "publish"),
                Day(True, frozenset({1}), OK, NOTHING, "publish"),
                Day(True, frozenset({1}), OK, NOTHING, "publish")]
COMEBACKS = [[*HIDDEN_TWICE, Day(False, NOTHING, OK, NOTHING, "publish")],
             [*HIDDEN_TWICE, Day(True, NOTHING, OK, NOTHING, "publish")]]
REFUSED_DAY = [Day(True, frozenset({3}), OK, NOTHING, "publish"),
               Day(False, NOTHING, OK, NOTHING, "untrusted"),
               Day(False, NOTHING, OK, NOTHING, "publish")]


def scenarios(test):
    """Every property is also tried on the scenarios the issue tracker reported."""
    for days_ in [*COMEBACKS, REFUSED_DAY]:
        test = example(days_)(test)
    return test


# Where the examples' output folders go: a file system in memory where the system has one,
# as SQLite syncs its own files whatever the test does.
IN_MEMORY = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
# Each example publishes a few runs into a folder of its own: bounded, so the suite stays
# quick on a busy machine; the seed is derived from the test, so a run is reproducible.
BOUNDED = settings(max_examples=25, derandomize=True)


def play(days_: list[Day], check) -> None:
    """Run the days in a fresh output folder, calling `check(site, history, before)` after
    each, `before` being the published tables as they were when the day started. Files are
    not synced to the disk: what is checked is what the state says, not how it survives a
    power cut."""
    with tempfile.TemporaryDirectory(dir=IN_MEMORY) as folder, mock.patch("os.fsync"):
        site, history = Site(Path(folder) / "out"), []
        before: dict = {}
        for day in days_:
            outcome = site.run(day)
            history.append((day, outcome))
            check(site, history, before)
            before = site.published_tables()


def published_ever(history) -> set[int]:
    return set().union(*(outcome.snapshot for _, outcome in history if outcome.published))


@BOUNDED
@given(days)
@scenarios
def test_only_a_published_run_changes_what_is_published(days_):
    """Invariant 1: a refused, stopped or killed run leaves the published state as it was."""
    def check(site, history, before):
        _, outcome = history[-1]
        if not outcome.published and before:
            assert site.published_tables() == before

    play(days_, check)


@BOUNDED
@given(days)
@scenarios
def test_a_document_no_published_run_holds_is_to_fetch(days_):
    """Invariant 2: a URL is known only once a published run holds its record; until then
    every run asks for it and it keeps an incremental walk going."""
    def check(site, history, before):
        store = StateStore(site.out / "state" / f"{JOB}.sqlite")
        try:
            held = published_ever(history)
            for doc in DOCS:
                assert (store.record_for_url(url(doc)) is not None) == (doc in held), doc
                if doc not in held:
                    assert not store.is_current_url(url(doc))
        finally:
            store.close()

    play(days_, check)


@BOUNDED
@given(days)
@scenarios
def test_a_document_listed_again_is_published_whatever_its_page_answered(days_):
    """Invariant 3: a published run holds every document its lists show that has a record,
    removed before or not, unless its page answered 404/410 in that run."""
    def check(site, history, before):
        _, outcome = history[-1]
        if outcome.published:
            expected = (outcome.listed - outcome.gone) & published_ever(history)
            assert expected <= outcome.snapshot

    play(days_, check)


@BOUNDED
@given(days)
@scenarios
def test_a_document_is_removed_only_on_evidence(days_):
    """Invariant 4: a published document leaves the dataset only after two published sweeps
    in a row did not list it, or its page answered 404/410 in a published sweep, with no
    published run listing it since."""
    def check(site, history, before):
        _, outcome = history[-1]
        if not outcome.published:
            return
        for doc in published_ever(history) - outcome.snapshot:
            seen = misses(history, doc)
            assert seen["absent"] >= 2 or seen["gone"] >= 1, (doc, seen)

    play(days_, check)


@BOUNDED
@given(days)
@scenarios
def test_a_run_stopped_or_killed_resumes_with_what_it_staged(days_):
    """Invariant 5: the same run started again after a stop or a kill does not fetch again
    what it staged; a refused run whose parsing is in doubt starts over."""
    def check(site, history, before):
        if len(history) < 2:
            return
        (previous_day, previous), (day, outcome) = history[-2], history[-1]
        same_run = previous_day.sweep == day.sweep
        if previous.published or not same_run:
            return
        if previous_day.ending in ("stopped", "killed"):
            assert outcome.resumed
            carried = {url(doc) for doc in previous.staged} | previous.resumed_urls
            assert carried <= outcome.resumed_urls
        elif previous_day.ending == "untrusted":
            assert not outcome.resumed

    play(days_, check)
