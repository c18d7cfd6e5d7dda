"""How many known documents a run re-checks, so each is re-checked within the period."""

import math
from datetime import datetime, timedelta

from harvester.utc import parse_utc_iso, utc_iso


def recheck_budget(store, job: str, now: datetime, period_days: float, fixed: int) -> int:
    """The share of known documents that the time since the last published run represents,
    and never fewer than those already overdue; a fixed number when one is configured."""
    known = store.known_documents()
    if fixed >= 0:
        return min(fixed, known)
    last = store.last_published(job)
    if last is None:
        return known
    elapsed = (now - parse_utc_iso(last)).total_seconds()
    period = max(period_days, 1e-6) * 86400
    share = math.ceil(known * min(1.0, max(elapsed, 0) / period))
    cutoff = utc_iso(now - timedelta(days=period_days))
    overdue = store.overdue_documents(cutoff)
    return min(known, max(share, overdue))
