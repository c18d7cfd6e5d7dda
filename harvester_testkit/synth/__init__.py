"""Synthetic mirrors of the archive at any size, in the bundled fixtures' markup, with the
records a correct crawl must yield (`harvester mirror synth` / `mutate`).

A mirror holds what `harvester serve` serves: `document/<slug>.html`, the default listing
`search.html` + `search@page=N.html` (newest upload first, 10 a page), each topic's faceted
listing `search@f%5B0%5D=topics%3A<tid>&fo%5B0%5D=<tid>[&page=N].html`, `topics/<slug>.html`,
the index `topics.html`, `robots.txt` and `_redirects.json` (old numeric document URLs some
rows link). Never served (names start with `_`):
- `_model.jsonl.gz`: the generator's model, which `mutate` reads back;
- `_expected/documents.jsonl`, `topics.jsonl`, `rejects.jsonl`: the records a correct crawl of
  the whole mirror yields (docs/RECORDS.md, without `retrieved_at`; public URLs; rejects as
  `{url, field}`), worked out from the model, never by parsing a page;
- `_expected/changes.jsonl` (after `mutate`): `{record_id, change, fields}` of that mutation.

Every markup variation of the bundled fixtures is given to at least one page once a mirror has
a few dozen documents (see `variants.py`); the rare pages (no title, no Record ID, listed by an
old URL, a clashing slug) are on pages of their own. Same arguments, same bytes and mtimes:
everything is drawn from seeded generators, and each page's mtime comes from the model (a
document's upload or last edit, the site's day for lists).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harvester_testkit.synth.build import build_site
from harvester_testkit.synth.model import load
from harvester_testkit.synth.mutate import mutate_site
from harvester_testkit.synth.progress import Progress
from harvester_testkit.synth.site import site_files
from harvester_testkit.synth.writer import TreeWriter, retired_for


@dataclass
class Outcome:
    documents: int
    topics: int
    files: int
    bytes: int
    written: int
    kept: int
    changes: list[dict] | None = None


def synthesize(out: Path, documents: int, topics: int, seed: int,
               progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Write a new mirror at `out` (absent or an empty folder)."""
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out} exists and is not an empty folder")
    site = build_site(documents, topics, seed)
    site.history.append({"command": "synth", "seed": seed, "documents": documents,
                         "topics": topics})
    with TreeWriter(out) as writer:
        for file in site_files(site, None, progress):
            writer.add(file)
    return Outcome(len(site.documents), len(site.topics), writer.written, writer.bytes,
                   writer.written, 0)


def mutate(out: Path, add: int, change: int, remove: int, seed: int,
           progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Apply a day of changes to the mirror at `out`; unchanged files keep bytes and mtime."""
    out = out.resolve()
    retired = retired_for(out)
    if not out.exists() and retired.exists():  # a swap was interrupted between its renames
        retired.rename(out)
    site = load(out)
    changes = mutate_site(site, add, change, remove, seed)
    with TreeWriter(out, previous=out) as writer:
        for file in site_files(site, changes, progress):
            writer.add(file)
    return Outcome(len(site.documents), len(site.topics), writer.written + writer.kept,
                   writer.bytes, writer.written, writer.kept, changes)


def disk_usage(path: Path) -> int:
    """Bytes the mirror's files take on disk (allocated blocks)."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file())


__all__ = ["Outcome", "Progress", "disk_usage", "mutate", "synthesize"]
