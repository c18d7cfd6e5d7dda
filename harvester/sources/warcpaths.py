"""The files a `--source warc` run was given, told apart by their full path and identity.

Each file is named by its path relative to the folder all the given paths share, so two
files of one base name in two folders keep two names, in the index, the state and the
records' `capture`; and each carries its identity (device, inode, size, modification time),
which the run's arguments hold, so a file changed or replaced between a run and its resumption
starts a new run rather than reading stale offsets. The same file reached twice (a link, a
folder given twice) is read once.

A folder is searched without following links out of it: a link to a file or folder outside
the given folders is refused and named, and nothing of it is read. Special files (FIFOs,
devices, sockets) are refused with what they are: reading one could block, or never end.
"""

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harvester.terminal import printable

WARC_ENDINGS = (".warc", ".warc.gz", ".arc", ".arc.gz")
WANTED = (*WARC_ENDINGS, ".wacz")
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class WarcInputError(ValueError):
    """Paths given on the command line that hold no readable WARC or ARC."""


@dataclass(frozen=True)
class GivenFile:
    name: str        # unique among the run's files, printable
    path: Path       # the file itself, links resolved
    identity: str    # "device:inode:size:mtime_ns"


@dataclass
class Given:
    files: list[GivenFile]
    refused: list[str]   # "name: why", one per file left out before reading


def kind_of(mode: int) -> str | None:
    """What a special file is ("a FIFO", …), or None for a regular file or a folder."""
    return next((name for test, name in _KINDS if test(mode)), None)


def identity_of(status: os.stat_result) -> str:
    return f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _walk(folder: Path, refused: list[str]) -> list[tuple[str, Path]]:
    """(path from the folder, the file) for the WARC, ARC and WACZ files under a folder; links
    out of it and special files are named in `refused`."""
    root = folder.resolve()
    found: list[tuple[str, Path]] = []
    for where, folders, names in os.walk(folder, followlinks=False):
        for name in sorted(folders):   # os.walk never enters a linked folder: say so if it leaves
            linked = Path(where, name)
            if linked.is_symlink() and not _inside(linked.resolve(), root):
                refused.append(f"{printable(str(linked))}: a link to a folder outside "
                               f"{printable(str(folder))}, not read")
        for name in sorted(names):
            if name.lower().endswith(WANTED):
                _found_file(Path(where, name), folder, root, found, refused)
    return sorted(found)


def _found_file(place: Path, folder: Path, root: Path, found: list[tuple[str, Path]],
                refused: list[str]) -> None:
    target = place.resolve()
    if not _inside(target, root):
        refused.append(f"{printable(str(place))}: a link to a file outside "
                       f"{printable(str(folder))}, not read")
    elif (special := _special(target)) is not None:
        refused.append(f"{printable(str(place))}: {special}, not read")
    elif target.is_file():
        found.append((place.relative_to(folder).as_posix(), target))


def _special(path: Path) -> str | None:
    try:
        return kind_of(path.stat().st_mode)
    except OSError as error:
        return error.strerror or "cannot be read"


def _given(path: Path, refused: list[str]) -> tuple[Path, list[tuple[str, Path]]]:
    """The folder its files are named from, and (path from there, the file) for one given
    path."""
    if not path.exists():
        raise WarcInputError(f"not found: {printable(str(path))}")
    if path.is_dir():
        found = _walk(path, refused)
        if not found and not refused:
            raise WarcInputError(f"no WARC, ARC or WACZ files in folder {printable(str(path))}")
        return path.resolve(), found
    special = _special(path)
    if special is not None:
        raise WarcInputError(f"not a regular file: {printable(str(path))} is {special}")
    return path.absolute().parent.resolve(), [(path.name, path.resolve())]


def given_files(paths: Sequence[str | Path]) -> Given:
    """Every file the paths name, each once, named from the folder all the given paths share
    (a file given alone keeps its own name); WarcInputError for a path that is not there, or
    that is itself a special file."""
    refused: list[str] = []
    found: list[tuple[Path, str, Path]] = []
    for path in paths:
        base, inside = _given(Path(path), refused)
        found += [(base, relative, target) for relative, target in inside]
    if not found:
        raise WarcInputError("; ".join(refused))
    common = Path(os.path.commonpath([str(base) for base, _, _ in found]))
    files: list[GivenFile] = []
    seen: set[tuple[int, int]] = set()
    for base, relative, target in found:
        status = target.stat()
        if (status.st_dev, status.st_ino) in seen:
            continue
        seen.add((status.st_dev, status.st_ino))
        name = (base / relative).relative_to(common).as_posix()
        files.append(GivenFile(printable(name), target, identity_of(status)))
    return Given(files, refused)
