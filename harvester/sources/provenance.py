"""Whether a WARC file is one this harvester wrote, so that its warcinfo may be believed.

A run kept with `--warc` writes its files to `<run>/warc/` and, when it publishes, lists each
in `<run>/manifest.json` with its bytes and sha256; every file's warcinfo names the run
(`run-id`). A file is taken as the harvester's own only when all of that holds: it lies in a
`warc/` folder beside a `manifest.json` whose `run_id` is its warcinfo's `run-id` and whose
`warc.files` lists it under its own name with its exact size and sha256. Only then do the
mappings its warcinfo states apply to it: its crawl's base URL read as the public base (a
mirror crawled on loopback), and, for a wayback run, its base URL as a web archive whose
replays it holds.

This proves the file is unchanged since a run published it beside that manifest; whoever can
write a whole run folder can write this proof too, so give the harvester only run folders you
trust (docs/SOURCES.md).
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
WARC_FOLDER = "warc"
_MAX_MANIFEST = 64 << 20   # a run's manifest is kilobytes; never read a bigger file whole
_CHUNK = 1 << 20


@dataclass(frozen=True)
class HarvesterWarc:
    """What a proven harvester WARC's warcinfo says of the crawl that wrote it."""

    run_id: str
    job: str
    base_url: str
    public_base_url: str

    @property
    def from_web_archive(self) -> bool:
        """A wayback run's base URL is the web archive it replayed from."""
        return self.job.endswith("@wayback")

    def crawl_bases(self) -> dict[str, str]:
        """Crawl base → public base its records stand for (a live or mirror crawl's)."""
        if not self.base_url or self.from_web_archive:
            return {}
        return {self.base_url: self.public_base_url or self.base_url}


def _listed(manifest: dict, name: str) -> dict | None:
    files = (manifest.get("warc") or {}).get("files") or {}
    entry = files.get(f"{WARC_FOLDER}/{name}") if isinstance(files, dict) else None
    return entry if isinstance(entry, dict) else None


def _sha256(path: Path, stop: Callable[[], None]) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            stop()
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_beside(path: Path) -> dict | None:
    if path.parent.name != WARC_FOLDER:
        return None
    manifest = path.parent.parent / MANIFEST
    try:
        if not manifest.is_file() or manifest.stat().st_size > _MAX_MANIFEST:
            return None
        loaded = json.loads(manifest.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def proven_harvester_warc(path: Path, warcinfo: Mapping[str, str],
                          stop: Callable[[], None] = lambda: None) -> HarvesterWarc | None:
    """The crawl a WARC file's warcinfo names, when the file is proven to be the harvester's
    own (see the module's note); None otherwise. `stop` raises to abandon the hashing."""
    run_id = warcinfo.get("run-id")
    manifest = _manifest_beside(path) if run_id else None
    if manifest is None or manifest.get("run_id") != run_id:
        return None
    entry = _listed(manifest, path.name)
    if entry is None or entry.get("bytes") != path.stat().st_size:
        return None
    if entry.get("sha256") != _sha256(path, stop):
        return None
    return HarvesterWarc(str(run_id), warcinfo.get("job", ""), warcinfo.get("base-url", ""),
                         warcinfo.get("public-base-url", ""))
