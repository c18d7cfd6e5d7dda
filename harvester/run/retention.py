"""Which published runs (trial runs too) an output folder keeps: the newest N, and always the
one `latest` names, so a reader following `latest` never finds it gone. Only run folders are
ever removed; the state, the lock, `latest` and anything else in the folder are left alone."""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from harvester.dataset.folder import PARTIAL, RUN_ID, latest_run


@dataclass
class Pruned:
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    bytes_freed: int = 0


def run_order(run_id: str) -> tuple[str, int]:
    """Oldest first: by UTC stamp, then by the suffix a second run of the same second gets
    (`-2` before `-10`, which plain string order would not give)."""
    stamp, _, n = run_id.removesuffix(PARTIAL).partition("-")
    return stamp, int(n) if n.isdigit() else 1


def choose_removals(run_ids: list[str], keep: int, latest: str | None) -> list[str]:
    """The runs to remove: all but the `keep` newest and `latest`'s, oldest first."""
    if keep < 0:
        raise ValueError(f"--keep must be 0 or more, not {keep}")
    ordered = sorted(run_ids, key=run_order)
    kept = set(ordered[max(0, len(ordered) - keep):]) if keep else set()
    return [run_id for run_id in ordered if run_id not in kept and run_id != latest]


def run_folders(out_dir: Path) -> list[str]:
    """Published runs, trial runs (`<run-id>-partial`) among them."""
    return [path.name for path in out_dir.iterdir()
            if RUN_ID.match(path.name.removesuffix(PARTIAL)) and path.is_dir()
            and not path.is_symlink()]


def prune_runs(out_dir: Path, keep: int, dry_run: bool = False) -> Pruned:
    """Remove old run folders of `out_dir`; call it holding the folder's run lock, so no run is
    switching `latest` meanwhile. With `dry_run` only say what would go."""
    names = run_folders(out_dir)
    latest = latest_run(out_dir)
    removals = choose_removals(names, keep, latest.name if latest else None)
    pruned = Pruned(kept=sorted(set(names) - set(removals), key=run_order))
    for run_id in removals:
        folder = out_dir / run_id
        pruned.bytes_freed += folder_bytes(folder)
        if not dry_run:
            shutil.rmtree(folder)
        pruned.removed.append(run_id)
    return pruned


def folder_bytes(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*") if not path.is_dir())
