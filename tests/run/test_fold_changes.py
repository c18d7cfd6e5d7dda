"""Several runs' changes as one change per record: what a published run reports when trial runs
changed the state before it."""

import pytest

from harvester.run.merge import fold_changes


def change(record_id: str, kind: str, *fields: str) -> dict:
    return {"record_id": record_id, "change": kind, "fields": list(fields)}


@pytest.mark.parametrize(("journals", "folded"), [
    ([[change("1", "added")]], [change("1", "added")]),
    ([[change("1", "added")], [change("1", "changed", "title")]], [change("1", "added")]),
    ([[change("1", "added")], [change("1", "removed")]], []),
    ([[change("1", "changed", "title", "date")], [change("1", "changed", "summary", "title")]],
     [change("1", "changed", "title", "date", "summary")]),
    ([[change("1", "changed", "title")], [change("1", "removed")]], [change("1", "removed")]),
    ([[], [change("2", "removed")]], [change("2", "removed")]),
    # ordered as the run's own changes are: Record IDs as numbers
    ([[change("100", "added"), change("9", "changed", "title")], [change("10", "added")]],
     [change("9", "changed", "title"), change("10", "added"), change("100", "added")]),
    ([[], []], []),
])
def test_fold(journals, folded):
    assert fold_changes(journals) == folded


def test_a_single_run_is_reported_as_it_is():
    journal = [change("5", "added"), change("12", "changed", "people"), change("13", "removed")]
    assert fold_changes([journal]) == journal
