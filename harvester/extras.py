"""A command that needs an optional extra says which, and the command that installs it into
the very Python running the harvester: a bare `pip` from the PATH may be another Python's, and
`pip install 'harvester[…]'` outside the project's venv fetches an unrelated project of that
name from the package index. Every missing extra exits 2, as a command given what it cannot
use does."""

import shlex
import sys
from importlib import metadata
from pathlib import Path

from scrapy.exceptions import UsageError

PROJECT = "harvester"


def source_root() -> Path | None:
    """The project folder when the harvester runs from its sources (an editable install)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def requirements_of(extra: str) -> list[str]:
    """The requirements an extra adds, as the installed distribution states them
    (`pyarrow>=15; extra == "parquet"`)."""
    found = []
    for line in metadata.requires(PROJECT) or []:
        requirement, _, marker = line.partition(";")
        if f'extra == "{extra}"' in marker.replace("'", '"'):
            found.append(requirement.strip())
    return found


def install_command(extra: str) -> str:
    """`.venv/bin/pip install -e '.[parquet]'` from the project folder with its venv; the same
    with this Python's path and the folder's from elsewhere; the extra's own requirements
    when the harvester was installed from a wheel."""
    python = Path(sys.executable)
    root = source_root()
    if root is None:
        return shlex.join([str(python), "-m", "pip", "install", *requirements_of(extra)])
    here = Path.cwd().resolve() == root
    pip = (".venv/bin/pip" if here and python.parent == root / ".venv" / "bin"
           else f"{shlex.quote(str(python))} -m pip")
    target = f".[{extra}]" if here else f"{root}[{extra}]"
    return f"{pip} install -e {shlex.quote(target)}"


def missing_extra(action: str, extra: str, module: str) -> UsageError:
    """The one-line error of a command whose extra is not installed."""
    return UsageError(f"{action} needs the {extra} extra ({module} is not installed): "
                      f"{install_command(extra)}")
