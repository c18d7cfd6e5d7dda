"""`harvester validate` reads every WARC file a `--warc` run kept back, record by record: a
checksum says the bytes are those written, not that they can be read again. Every record is
walked and every HTTP payload decoded to its end (up to the crawl's size limit, past which the
crawl itself would not have read it), as `--source warc` would read it. The first record that
cannot be read (a cut or damaged file, a payload whose content coding is unknown or whose bytes
do not decode) makes one problem line naming the file and the byte offset where it starts.

A coded body that merely ends early is what the server sent, kept faithfully: it reads back as
the same cut body, which the harvester never takes for a page, and is not a problem here.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harvester.dataset.files import inside
from harvester.dataset.progress import Progress
from harvester.settings.base import DOWNLOAD_MAXSIZE
from harvester.sources.payload import payload_of
from harvester.sources.warcstream import OpenedSource, WarcReadError, WarcSource, walk_records

_PAGES = ("response", "revisit", "resource")


def _decode_payload(record: Any) -> None:
    """Raises ContentEncodingError (a ValueError) when the payload does not decode."""
    if record.rec_type in _PAGES:
        payload_of(record, DOWNLOAD_MAXSIZE)


def read_back(path: Path, name: str, progress: Progress) -> str | None:
    """The first reason `path` cannot be read back, or None when every record reads."""
    source = WarcSource(path, None, name, path.stat().st_size)
    try:
        opened = OpenedSource(source)
    except WarcReadError as error:
        return str(error)
    try:
        for _record in walk_records(opened.stream_at(0), name, examine=_decode_payload):
            progress.tick()
    except WarcReadError as error:
        return str(error)
    finally:
        opened.close()
    return None


def warc_problems(run_dir: Path, names: Iterable[str], progress: Progress) -> list[str]:
    """One line per kept WARC file that cannot be read back; files missing or outside the run
    are left to the checks of presence and checksum, which say so."""
    found = []
    for name in names:
        path = inside(run_dir, name)
        if path is None or not path.is_file():
            continue
        progress.begin(f"reading {name} back")
        problem = read_back(path, name, progress)
        if problem:
            found.append(problem)
    return found
