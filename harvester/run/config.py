"""What the run reads of the crawl's settings, read once, by each setting's kind (the table in
harvester/settings/checks.py), into a typed object: the run's modules never read settings."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvester.settings.checks import read_setting
from harvester.settings.output import output_dir


@dataclass(frozen=True)
class RunConfig:
    out_dir: Path  # HARVESTER_OUTPUT_DIR
    public_base_url: str  # HARVESTER_PUBLIC_BASE_URL ("" when the crawl's own is public)
    state_batch_writes: int  # HARVESTER_STATE_BATCH_WRITES
    limit: int  # HARVESTER_LIMIT (0: a whole run)
    full_sweep_every: int  # HARVESTER_FULL_SWEEP_EVERY (0: never by count)
    min_coverage: dict[str, float]  # HARVESTER_MIN_COVERAGE
    coverage_sample: int  # HARVESTER_COVERAGE_SAMPLE
    keep_runs: int  # HARVESTER_KEEP_RUNS (0: keep every run)

    @classmethod
    def of(cls, settings) -> "RunConfig":
        def read(name: str) -> Any:
            return read_setting(settings, name)

        return cls(out_dir=output_dir(read("HARVESTER_OUTPUT_DIR")),
                   public_base_url=read("HARVESTER_PUBLIC_BASE_URL") or "",
                   state_batch_writes=read("HARVESTER_STATE_BATCH_WRITES"),
                   limit=max(0, read("HARVESTER_LIMIT")),
                   full_sweep_every=read("HARVESTER_FULL_SWEEP_EVERY"),
                   min_coverage=dict(read("HARVESTER_MIN_COVERAGE")),
                   coverage_sample=read("HARVESTER_COVERAGE_SAMPLE"),
                   keep_runs=read("HARVESTER_KEEP_RUNS"))
