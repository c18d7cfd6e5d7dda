"""Whole-archive figures on this machine, in one run (politeness off, loopback mirror):

- full archive crawl of 8,000 and 16,000-document synthetic mirrors: pages/s, next to
  `scrapy bench` run by this same script, and peak RSS of each crawl;
- an incremental run with no changes: listing requests and re-checks;
- `mutate --add 50 --change 20 --remove 10`, an incremental run, then a full sweep: the changes
  reported against the ones the mutation made.

Run by hand: `.venv/bin/python bench/archive_scale.py [--sizes 8000,16000] [--work DIR]`.
Mirrors are cached in the work folder (default /tmp/harvester-bench) between runs.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
HARVESTER = [PYTHON, "-m", "harvester.cli"]
PUBLIC = "https://digitalarchive.wilsoncenter.org"
MEASURE = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
           "sys.exit(code)")


def mirror(work: Path, documents: int) -> Path:
    path = work / f"mirror-{documents}"
    if not (path / "_expected" / "documents.jsonl").exists():
        started = time.perf_counter()
        subprocess.run([*HARVESTER, "mirror", "synth", str(path), "--documents", str(documents),
                        "--topics", str(max(4, documents // 200)), "--seed", "1"], check=True)
        print(f"  synthesised {documents} documents in {time.perf_counter() - started:.1f} s")
    return path


class Served:
    def __init__(self, root: Path, *options: str) -> None:
        self.process = subprocess.Popen([*HARVESTER, "serve", str(root), *options, "--port", "0"],
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().rsplit(" at ", 1)[1].strip()

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def crawl(url: str, out: Path, *extra: str) -> tuple[dict, float, int]:
    """(manifest, wall seconds, peak RSS in MB) of one archive crawl of a mirror."""
    return measured_crawl(out, "--base-url", url, "--public-base-url", PUBLIC, *extra)


def measured_crawl(out: Path, *arguments: str) -> tuple[dict, float, int]:
    """(manifest, wall seconds, peak RSS in MB) of one `crawl archive` with these arguments."""
    command = [PYTHON, "-c", MEASURE, *HARVESTER, "crawl", "archive", "--out", str(out),
               "-s", "HARVESTER_PROGRESS_INTERVAL=0", *arguments]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    rss_kb = int(result.stderr.strip().splitlines()[-1])
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    return manifest, wall, rss_kb // 1024


def scrapy_bench(seconds: int = 20) -> float:
    """Pages per second of Scrapy's own benchmark spider on this machine."""
    with tempfile.TemporaryDirectory() as empty:
        result = subprocess.run([PYTHON, "-m", "scrapy", "bench", "-s",
                                 f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOG_LEVEL=INFO"],
                                cwd=empty, capture_output=True, text=True)
    rates = [int(m) for m in re.findall(r"at (\d+) pages/min", result.stderr)]
    counts = re.search(r"'response_received_count': (\d+)", result.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", result.stderr)
    if counts and elapsed:
        return int(counts.group(1)) / float(elapsed.group(1))
    return max(rates) / 60 if rates else float("nan")


def changes_of(out: Path) -> set[tuple[str, str]]:
    lines = (out / "latest" / "changes.jsonl").read_text("utf-8").splitlines()
    return {(c["record_id"], c["change"]) for c in map(json.loads, lines)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8000,16000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]

    print("scrapy bench (same machine, same run):")
    ceiling = scrapy_bench()
    print(f"  {ceiling:.0f} pages/s")
    rss: dict[int, int] = {}
    for size in sizes:
        root = mirror(args.work, size)
        served = Served(root)
        out = Path(tempfile.mkdtemp(prefix=f"out-{size}-", dir=args.work))
        manifest, wall, rss[size] = crawl(served.url, out)
        served.close()
        counts = manifest["counts"]
        rate = counts["responses"] / wall
        print(f"full archive crawl, {size} documents: {counts['documents']} published, "
              f"{counts['responses']} responses in {wall:.1f} s = {rate:.0f} pages/s "
              f"({rate / ceiling:.0%} of scrapy bench), peak RSS {rss[size]} MB")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"peak RSS growth {small} → {large}: {(rss[large] - rss[small]) / rss[small]:.1%}")

    size = sizes[-1]
    root = mirror(args.work, size)
    served = Served(root)
    manifest, wall, _ = crawl(served.url, out, "--incremental")
    counts, listing = manifest["counts"], manifest["listing"]
    reported = counts["added"] + counts["changed"] + counts["removed"]
    print(f"incremental run, no changes: {listing['pages']} listing requests, "
          f"{counts['rechecks']} re-checks (budget), {counts['requests']} requests in all, "
          f"{wall:.1f} s; changes reported: {reported}")
    served.close()

    subprocess.run([*HARVESTER, "mirror", "mutate", str(root), "--add", "50", "--change", "20",
                    "--remove", "10", "--seed", "2"], check=True)
    served = Served(root)
    manifest, _, _ = crawl(served.url, out, "--incremental")
    reported = changes_of(out)
    manifest, _, _ = crawl(served.url, out, "--full-sweep")
    reported |= changes_of(out)
    served.close()
    lines = (root / "_expected" / "changes.jsonl").read_text("utf-8").splitlines()
    expected = {(c["record_id"], c["change"]) for c in map(json.loads, lines)}
    print(f"after mutate --add 50 --change 20 --remove 10, incremental + full sweep: "
          f"{len(reported & expected)} of {len(expected)} changes reported, "
          f"{len(reported - expected)} reported that did not happen")


if __name__ == "__main__":
    main()
