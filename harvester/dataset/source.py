"""Where every export starts: a published run that passes validation, read whole."""

import json
from pathlib import Path
from typing import Any

from harvester.dataset.files import DATAPACKAGE, RunRecords
from harvester.dataset.progress import Progress
from harvester.dataset.validate import RunCheck, check_run


class RunNotValid(Exception):
    """The run folder fails validation; exporting it would spread a damaged dataset."""

    def __init__(self, run_dir: Path, problems: list[str]) -> None:
        count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
        super().__init__(f"{run_dir} is not a valid published run ({count})")
        self.problems = problems


def load_valid_run(run_dir: Path, trust: bool = True,
                   progress: Progress | None = None) -> tuple[RunRecords, dict[str, Any], RunCheck]:
    """(the records, the datapackage.json descriptor, how the check went) of a run that
    validates; with `trust`, files validated at publication and unchanged since are not checked
    against their schemas again (trust.py)."""
    check = check_run(run_dir, trust=trust, progress=progress)
    if check.problems:
        raise RunNotValid(run_dir, check.problems)
    package = json.loads((run_dir / DATAPACKAGE).read_text("utf-8"))
    return RunRecords.load(run_dir), package, check


def default_output(run_dir: Path, suffix: str) -> Path:
    """`<run-id><suffix>` in the current folder (never inside the published run)."""
    return Path(f"{run_dir.resolve().name}{suffix}")
