"""Prints what `harvester mirror synth` costs at 1,000 and 16,000 documents (the archive's
size): wall time, peak memory, files, bytes and disk used; then a day of changes on the large
one (`mutate --add 50 --change 20 --remove 10`).

Run by hand (`.venv/bin/python bench/synth_mirror.py`); each command runs in its own process,
as a user would run it.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harvester_testkit.synth import disk_usage

HARVESTER = [sys.executable, "-m", "harvester.cli"]
SIZES = (1_000, 16_000)
TOPICS = 40
SEED = 1


def run(*arguments: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `harvester` command in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen([*HARVESTER, *arguments], stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS
    if status:
        raise SystemExit(f"harvester {' '.join(arguments)} failed ({status})")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def describe(mirror: Path) -> str:
    files = [p for p in mirror.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    pages = sum(1 for p in files if p.suffix == ".html")
    return (f"{len(files):6d} files ({pages} pages), {size / 1e6:6.1f} MB of bytes, "
            f"{disk_usage(mirror) / 1e6:6.1f} MB on disk")


def main() -> None:
    print(f"harvester mirror synth, {TOPICS} topics, seed {SEED}; Python {sys.version.split()[0]}"
          f", {len(os.sched_getaffinity(0))} cores")
    with tempfile.TemporaryDirectory() as scratch:
        for size in SIZES:
            mirror = Path(scratch) / f"mirror-{size}"
            seconds, peak = run("mirror", "synth", str(mirror), "--documents", str(size),
                                "--topics", str(TOPICS), "--seed", str(SEED))
            print(f"  synth {size:6d} documents: {seconds:6.1f} s, peak RSS {peak:5.0f} MB, "
                  f"{describe(mirror)}")
        seconds, peak = run("mirror", "mutate", str(mirror), "--add", "50", "--change", "20",
                            "--remove", "10", "--seed", str(SEED))
        print(f"  mutate {SIZES[-1]} documents (+50 ~20 -10): {seconds:5.1f} s, "
              f"peak RSS {peak:5.0f} MB, {describe(mirror)}")


if __name__ == "__main__":
    main()
