"""Archive runs through the stand-in Wayback Machine that are interrupted, failed or resumed:
the command, with settings that fix the order of replays, and what a run published."""

from pathlib import Path

from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import read_jsonl, without_provenance

# One choice at a time, so the order of replays is fixed; every write committed at once, so
# what a killed run saved is exactly what it had done; retries without waiting.
SETTINGS = ["-s", "CONCURRENT_REQUESTS=1", "-s", "HARVESTER_CDX_PAGE_ROWS=7",
            "-s", "HARVESTER_STATE_BATCH_WRITES=1", "-s", "HARVESTER_PROGRESS_INTERVAL=0",
            "-s", "HARVESTER_BACKOFF_BASE=0.01"]


def command(url: str, out: Path) -> list[str]:
    return [*HARVESTER, "crawl", "archive", "--source", "wayback", "--wayback-url", url,
            "--out", str(out), *SETTINGS]


def published(out: Path) -> dict[str, list[dict]]:
    """The published run's documents, topics and rejects, provenance left out."""
    return {name: [without_provenance(r) for r in read_jsonl(out / "latest" / name)]
            for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl")}
