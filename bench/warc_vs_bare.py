"""What harvesting records from WARC files costs next to reading and parsing the same files
bare (warcio + `lxml.html`, `bench/bare_warc_read.py`), in one run, whole commands both:

a synthetic mirror of N documents (default 2,000) is crawled once with `--warc`; then its WARC
is read bare, by the floor of any harvest under Scrapy (`bench/warc_null_spider.py`: every
record asked of the WARC handler, nothing done with it; one request per record, and 16 a
request as a records run reads ahead) and by `harvester crawl archive
--source warc`, each `--repeat` times (default 3), alternating. Prints records per second, wall
and CPU seconds of each, and the ratios (the target is at most 3x); the best of the repeats
counts, as the least disturbed by a busy machine.

Run by hand: `.venv/bin/python bench/warc_vs_bare.py [--documents 2000] [--repeat 3]
[--work DIR]`. Mirrors are cached in the work folder (default /tmp/harvester-bench).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from archive_scale import PUBLIC, Measure, Served, measured, mirror  # bench/ is the script's folder

PYTHON = sys.executable
BARE = Path(__file__).resolve().parent / "bare_warc_read.py"
FLOOR = Path(__file__).resolve().parent / "warc_null_spider.py"
BATCH = 16  # records a request, as harvester/spiders/read_ahead.py reads ahead
HARVESTER = [PYTHON, "-m", "harvester.cli"]


def kept_warcs(work: Path, root: Path, documents: int) -> list[Path]:
    """The WARC files of an archive crawl of the mirror kept with `--warc` (made once)."""
    out = work / f"warc-kept-{documents}"
    if not (out / "latest").exists():
        served = Served(root)
        try:
            measured([*HARVESTER, "crawl", "archive", "--warc", "--out", str(out),
                      "--base-url", served.url, "--public-base-url", PUBLIC,
                      "-s", "HARVESTER_PROGRESS_INTERVAL=0"])
        finally:
            served.close()
    return sorted((out / "latest" / "warc").glob("*.warc.gz"))


def bare(files: list[Path]) -> tuple[int, Measure]:
    result, measure = measured([PYTHON, str(BARE), *map(str, files)])
    return int(result.stdout.strip().splitlines()[-1]), measure


def floor(files: list[Path], batch: int = 1) -> tuple[int, Measure]:
    result, measure = measured([PYTHON, str(FLOOR), "--batch", str(batch), *map(str, files)])
    return int(result.stdout.strip().splitlines()[-1]), measure


def harvested(files: list[Path], out: Path) -> tuple[int, Measure]:
    shutil.rmtree(out, ignore_errors=True)
    _, measure = measured([*HARVESTER, "crawl", "archive", "--source", "warc",
                           *map(str, files), "--out", str(out),
                           "-s", "HARVESTER_PROGRESS_INTERVAL=0"])
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    return manifest["counts"]["documents"], measure


def line(what: str, count: int, measure: Measure) -> str:
    return (f"  {what}: {count} in {measure.wall:.2f} s = {count / measure.wall:.0f}/s "
            f"({measure.cpu:.2f} s CPU, peak {measure.rss_mb} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    files = kept_warcs(args.work, mirror(args.work, args.documents), args.documents)
    size = sum(f.stat().st_size for f in files)
    print(f"WARC of a {args.documents}-document crawl: {len(files)} file(s), "
          f"{size / 1e6:.1f} MB")
    bests: dict[str, tuple[int, Measure]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(1, args.repeat + 1):
            for name, run in (("bare", lambda: bare(files)),
                              ("Scrapy floor", lambda: floor(files)),
                              ("Scrapy floor, 16 a request", lambda: floor(files, BATCH)),
                              ("harvester", lambda: harvested(files, Path(folder) / "out"))):
                count, measure = run()
                print(line(f"{name} #{attempt}", count, measure))
                if name not in bests or measure.wall < bests[name][1].wall:
                    bests[name] = (count, measure)
    (pages, plain), (records, ours) = bests["bare"], bests["harvester"]
    least, batched = bests["Scrapy floor"][1], bests["Scrapy floor, 16 a request"][1]
    print(f"best of {args.repeat}: bare {pages / plain.wall:.0f} pages/s, harvester "
          f"{records / ours.wall:.0f} records/s: {ours.wall / plain.wall:.1f}x the wall time "
          f"({ours.cpu / plain.cpu:.1f}x the CPU); the target is at most 3x")
    print(f"the Scrapy floor alone (every record asked of the WARC handler, nothing done): "
          f"{least.wall / plain.wall:.1f}x the bare wall time ({least.cpu / plain.cpu:.1f}x "
          f"the CPU); the harvester {ours.wall / least.wall:.1f}x the floor")
    print(f"the Scrapy floor with {BATCH} records a request (as a records run reads ahead): "
          f"{batched.wall / plain.wall:.1f}x the bare wall time ({batched.cpu / plain.cpu:.1f}x "
          f"the CPU); the harvester {ours.wall / batched.wall:.1f}x that floor")
    # 3x the bare wall time, on every core at once, is all the CPU a harvest may use.
    cores = os.cpu_count() or 1
    print(f"CPU within 3x the bare wall time on {cores} cores: {3 * plain.wall * cores:.2f} s "
          f"at most; the harvester used {ours.cpu:.2f} s (its process and its parse worker)")


if __name__ == "__main__":
    main()
