"""Can files be written where a command is told to write? Asked before any work starts, so an
unwritable, read-only or mistyped output path costs one line, not a crawl and a traceback."""

import tempfile
from pathlib import Path


def unwritable(folder: Path) -> str | None:
    """Why files cannot be written in `folder` (made with its parents if need be), or None.

    The nearest part of the path that exists gets a temporary file, removed at once, so asking
    leaves nothing behind: no folder is created for a command that then fails.
    """
    target = folder.absolute()
    try:
        existing = target
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            return "it is a file" if existing == target else f"{existing} is a file"
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".harvester-writable-"):
            pass
    except OSError as error:
        return error.strerror or str(error)
    return None
