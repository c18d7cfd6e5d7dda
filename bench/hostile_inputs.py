"""What hostile inputs cost: the time to find the damage in a WARC whose header line is a run of
zeros (linear in its length: reading stops at the 1 MB line bound), and the state a census
stores per row. Prints the figures; docs/PERFORMANCE.md keeps the last ones.

    .venv/bin/python bench/hostile_inputs.py [--code CHECKOUT] [--sizes 8,16,32,64]

`--code` reads the zero files with another checkout of the harvester (in a subprocess, with
its folder first on the import path), to compare with the code as it was.
"""

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harvester.capture.rows import Capture  # noqa: E402
from harvester.sources.cdx import replay_path  # noqa: E402
from harvester.state.captures import CaptureLedger  # noqa: E402
from harvester.state.store import StateStore  # noqa: E402

READ = """
import sys, time
from harvester.sources.warcfind import WarcInputError, find_warcs
started = time.perf_counter()
try:
    find_warcs([sys.argv[1]])
except WarcInputError as refused:
    print(f"{time.perf_counter() - started:.2f} {refused}")
"""


def zero_line(folder: Path, megabytes: int) -> Path:
    """`WARC/1.1` then a line of zeros, gzipped as one stream (as the index and then the
    whole-stream reader both read it)."""
    path = folder / f"zeros-{megabytes}.warc.gz"
    path.write_bytes(gzip.compress(b"WARC/1.1\r\n" + bytes(megabytes << 20), 1, mtime=0))
    return path


def seconds_to_refuse(path: Path, code: Path | None) -> str:
    env = {**os.environ, "PYTHONPATH": str(code)} if code else None
    found = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True,
                           text=True, env=env, cwd=code or Path(__file__).parents[1],
                           timeout=3600)
    return found.stdout.strip() or found.stderr.strip()[-200:]


def census_row_bytes(rows: int = 100_000) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = StateStore(Path(folder) / "state.sqlite")
        store.open_run("job", {}, "20260101T000000Z", "2026-01-01T00:00:00Z", False)
        ledger = CaptureLedger(store, "20260101T000000Z")
        base = "https://digitalarchive.wilsoncenter.org/document/"
        for start in range(0, rows, 5000):
            batch = []
            for number in range(start, start + 5000):
                slug = f"record-of-conversation-between-somebody-and-somebody-else-{number}"
                stamp = f"2024{number % 12 + 1:02d}15093000"
                spelled = f"http://digitalarchive.wilsoncenter.org:80/document/{slug}"
                batch.append(Capture(replay_path(stamp, spelled), base + slug, "document",
                                     stamp, spelled, 200, "text/html",
                                     "sha1:GQOHD3FK4HWTA66SF35OQ2XQSSXD2OKI", 12345))
            ledger.record_page("/document/", batch, None, False)
        store.flush()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(path.stat().st_size for path in Path(folder).iterdir()) / rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="a checkout to compare with")
    parser.add_argument("--sizes", default="8,16,32,64", help="MB of zeros, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in (int(size) for size in args.sizes.split(",")):
            path = zero_line(Path(folder), megabytes)
            started = time.perf_counter()
            said = seconds_to_refuse(path, args.code)
            print(f"{megabytes:4d} MB of zeros: {said} "
                  f"({time.perf_counter() - started:.1f} s with the interpreter)")
    if args.code is None:
        print(f"census state: {census_row_bytes():.0f} bytes a row")


if __name__ == "__main__":
    main()
