"""A run's ledger of captures over a fresh state, its census already taken."""

from collections.abc import Iterable
from pathlib import Path

from harvester.capture.rows import Capture
from harvester.state.captures import CaptureLedger
from harvester.state.store import StateStore

RUN_ID = "20260101T000000Z"


def census_ledger(tmp_path: Path, captures: Iterable[Capture], query: str) -> CaptureLedger:
    """The ledger of a new run whose census (one query, `query`) found `captures`."""
    store = StateStore(tmp_path / "state.sqlite", batch_writes=1)
    store.open_run("job", {}, RUN_ID, "2026-01-01T00:00:00Z", False)
    found = CaptureLedger(store, RUN_ID)
    found.record_page(query, captures, None, True)
    return found
