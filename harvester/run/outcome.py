"""How a run ended, kept by the run for whoever started the crawl (the `harvester` command, the
project's `scrapy crawl`, the feeds waiting to be put in place). The crawl's stats repeat it
for a scheduler's log to show, but nothing reads it back from them."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunOutcome:
    run_dir: Path | None = None  # where the run was published; None: it was not
    failure: str | None = None  # why it was refused, or why publishing failed
    # Steps after the publication (the state's record of it, its backup, pruning).
    after_failures: list[str] = field(default_factory=list)
    after_warnings: list[str] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.run_dir is not None

