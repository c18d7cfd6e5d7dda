"""The output folder's default, defined once for the settings, the commands and the run."""

import os
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT_DIR = "output"


def output_dir(value: Any = None) -> Path:
    """The folder a setting or `--out` names; the default when it names none."""
    return Path(value or DEFAULT_OUTPUT_DIR)


def output_dir_from_environment() -> str:
    """`HARVESTER_OUTPUT_DIR` when set and not empty, else the default: the commands' `--out`."""
    return os.environ.get("HARVESTER_OUTPUT_DIR") or DEFAULT_OUTPUT_DIR
