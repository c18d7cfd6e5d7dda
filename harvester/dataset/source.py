"""Where every export starts: a published run that passes validation, read whole."""

import json
from pathlib import Path
from typing import Any

from harvester.dataset.files import DATAPACKAGE, RunRecords
from harvester.dataset.validate import validate_run


class RunNotValid(Exception):
    """The run folder fails validation; exporting it would spread a damaged dataset."""

    def __init__(self, run_dir: Path, problems: list[str]) -> None:
        count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
        super().__init__(f"{run_dir} is not a valid published run ({count})")
        self.problems = problems


def load_valid_run(run_dir: Path) -> tuple[RunRecords, dict[str, Any]]:
    """(the records, the datapackage.json descriptor) of a run that validates."""
    problems = validate_run(run_dir)
    if problems:
        raise RunNotValid(run_dir, problems)
    package = json.loads((run_dir / DATAPACKAGE).read_text("utf-8"))
    return RunRecords.load(run_dir), package


def default_output(run_dir: Path, suffix: str) -> Path:
    """`<run-id><suffix>` in the current folder (never inside the published run)."""
    return Path(f"{run_dir.resolve().name}{suffix}")
