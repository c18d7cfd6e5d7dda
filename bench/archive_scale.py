"""Whole-archive figures on this machine, in one run (politeness off, loopback mirror):

- full archive crawls of 8,000 and 16,000-document synthetic mirrors: pages/s and crawler CPU
  per response, next to the null spider (bench/null_spider.py) fetching exactly the URLs the
  crawl fetched, from the same served mirror, with the same settings, and parsing nothing: the
  ceiling of a crawl of these pages here. Their ratio, measured in the same run, is the figure
  that counts (the machine is shared, so absolute rates move from run to run); peak RSS too;
- an incremental run with no changes: listing requests and re-checks;
- `mutate --add 50 --change 20 --remove 10`, an incremental run, then a full sweep: the changes
  reported against the ones the mutation made.

Each crawl is measured with every `--parse-workers` count (default 0 and 1: parsing in the
crawl's process, and in one worker process beside it).

Run by hand: `.venv/bin/python bench/archive_scale.py [--sizes 8000,16000] [--crawls-only]
[--parse-workers 0,1] [--work DIR]`. Mirrors are cached in the work folder (default
/tmp/harvester-bench) between runs.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harvester.site_urls import ARCHIVE_URL

PYTHON = sys.executable
HARVESTER = [PYTHON, "-m", "harvester.cli"]
NULL_SPIDER = Path(__file__).resolve().parent / "null_spider.py"
PUBLIC = ARCHIVE_URL
# Runs a command; its peak RSS (KB) and CPU seconds (user + system) go last on stderr.
MEASURE = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
           "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(use.ru_maxrss, use.ru_utime + use.ru_stime, file=sys.stderr); "
           "sys.exit(code)")
# A request as the mirror server logs it.
LOGGED = re.compile(r'"GET (\S+) HTTP/[\d.]+" \d{3}')
ROBOTS = "/robots.txt"  # each spider's robots middleware asks for it itself
TARGET = 0.8  # the pages/s a crawl is to reach, against the null spider's


@dataclass
class Measure:
    wall: float  # seconds
    cpu: float  # seconds of the measured process, user + system
    rss_mb: int  # peak


def measured(command: list[str], **options) -> tuple[subprocess.CompletedProcess, Measure]:
    started = time.perf_counter()
    result = subprocess.run([PYTHON, "-c", MEASURE, *command], capture_output=True, text=True,
                            **options)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[2:4]} failed: {result.stderr[-2000:]}")
    rss_kb, cpu = result.stderr.strip().splitlines()[-1].split()
    return result, Measure(wall, float(cpu), int(rss_kb) // 1024)


def mirror(work: Path, documents: int) -> Path:
    path = work / f"mirror-{documents}"
    if not (path / "_expected" / "documents.jsonl").exists():
        started = time.perf_counter()
        subprocess.run([*HARVESTER, "mirror", "synth", str(path), "--documents", str(documents),
                        "--topics", str(max(4, documents // 200)), "--seed", "1"], check=True)
        print(f"  synthesised {documents} documents in {time.perf_counter() - started:.1f} s")
    return path


class Served:
    """The mirror served on a free port; with `log`, every request it answers goes there."""

    def __init__(self, root: Path, *options: str, log: Path | None = None) -> None:
        self.log = log
        self.errors = log.open("w", encoding="utf-8") if log else None
        self.process = subprocess.Popen(
            [*HARVESTER, "serve", str(root), *options, *(["--log"] if log else []),
             "--port", "0"], stdout=subprocess.PIPE, stderr=self.errors, text=True)
        self.url = self.process.stdout.readline().rsplit(" at ", 1)[1].strip()

    def cpu(self) -> float:
        """CPU seconds (user + system) the server has used so far (Linux's /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def requested(self) -> list[str]:
        """The URLs asked for so far, in order, as the server logged them."""
        self.errors.flush()
        paths = LOGGED.findall(self.log.read_text("utf-8"))
        return [self.url + path for path in paths if path != ROBOTS]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        if self.errors:
            self.errors.close()


def crawl(url: str, out: Path, *extra: str) -> tuple[dict, float, int]:
    """(manifest, wall seconds, peak RSS in MB) of one archive crawl of a mirror."""
    return measured_crawl(out, "--base-url", url, "--public-base-url", PUBLIC, *extra)


def measured_crawl(out: Path, *arguments: str) -> tuple[dict, float, int]:
    """(manifest, wall seconds, peak RSS in MB) of one `crawl archive` with these arguments."""
    manifest, measure = measured_archive_crawl(out, *arguments)
    return manifest, measure.wall, measure.rss_mb


def measured_archive_crawl(out: Path, *arguments: str) -> tuple[dict, Measure]:
    _, measure = measured([*HARVESTER, "crawl", "archive", "--out", str(out),
                           "-s", "HARVESTER_PROGRESS_INTERVAL=0", *arguments])
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8")), measure


def null_crawl(urls: list[str], folder: Path) -> tuple[int, Measure]:
    """(responses, measure) of the null spider fetching these URLs."""
    listed = folder / "null-spider-urls.txt"
    listed.write_text("\n".join(urls) + "\n", "utf-8")
    result, measure = measured([PYTHON, str(NULL_SPIDER), str(listed)])
    return json.loads(result.stdout.strip().splitlines()[-1])["responses"], measure


def rate_line(what: str, responses: int, measure: Measure) -> str:
    return (f"{what}: {responses} responses in {measure.wall:.1f} s = "
            f"{responses / measure.wall:.0f} pages/s, "
            f"{1000 * measure.cpu / responses:.2f} ms CPU per response")


def against_ceiling(work: Path, size: int, workers: list[int]) -> tuple[int, Path]:
    """Archive crawls (one per number of parse workers) and the null spider on the same URLs:
    the first crawl's peak RSS (MB) and output folder."""
    root = mirror(work, size)
    outs = [Path(tempfile.mkdtemp(prefix=f"out-{size}-w{n}-", dir=work)) for n in workers]
    served = Served(root, log=outs[0].with_suffix(".requests.log"))
    crawls, serving = [], []
    try:
        for n, out in zip(workers, outs, strict=True):
            before = served.cpu()
            crawls.append(measured_archive_crawl(out, "--base-url", served.url,
                                                 "--public-base-url", PUBLIC,
                                                 "-s", f"HARVESTER_PARSE_WORKERS={n}"))
            serving.append(served.cpu() - before)
            if n == workers[0]:
                urls = served.requested()
        before = served.cpu()
        null_responses, null = null_crawl(urls, outs[0])
        null_serving = served.cpu() - before
    finally:
        served.close()
    print("  " + rate_line(f"null spider, the same {len(urls) + 1} URLs", null_responses,
                           null) + f" + {1000 * null_serving / null_responses:.2f} ms the server's")
    # What 0.8× the null spider's pages/s leaves, all the machine's cores together, for every
    # process a crawl keeps busy: its own, its parse workers and the server.
    budget = 1000 * (os.cpu_count() or 1) / (TARGET * null_responses / null.wall)
    for n, (manifest, archive), server in zip(workers, crawls, serving, strict=True):
        counts = manifest["counts"]
        responses = counts["responses"]
        print(rate_line(f"full archive crawl, {size} documents ({counts['documents']} "
                        f"published), {n} parse worker(s)", responses, archive)
              + f", peak RSS {archive.rss_mb} MB")
        pages = (responses / archive.wall) / (null_responses / null.wall)
        cpu = (null.cpu / null_responses) / (archive.cpu / responses)
        print(f"  archive crawl / null spider: {pages:.2f}× the pages/s "
              f"({cpu:.2f}× by CPU per response)")
        print(f"  CPU a response at {TARGET}× the null spider, {os.cpu_count()} cores: "
              f"{budget:.2f} ms for everything; this crawl used "
              f"{1000 * archive.cpu / responses:.2f} ms + {1000 * server / responses:.2f} ms "
              f"the server's")
    return crawls[0][1].rss_mb, outs[0]


def changes_of(out: Path) -> set[tuple[str, str]]:
    lines = (out / "latest" / "changes.jsonl").read_text("utf-8").splitlines()
    return {(c["record_id"], c["change"]) for c in map(json.loads, lines)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8000,16000")
    parser.add_argument("--crawls-only", action="store_true",
                        help="only the crawls next to the null spider (the mirror stays as it "
                             "is: the rest mutates it)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    parser.add_argument("--parse-workers", default="0,1",
                        help="HARVESTER_PARSE_WORKERS of each crawl, measured in turn")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = [int(n) for n in args.parse_workers.split(",")]

    rss: dict[int, int] = {}
    for size in sizes:
        rss[size], out = against_ceiling(args.work, size, workers)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"peak RSS growth {small} → {large}: {(rss[large] - rss[small]) / rss[small]:.1%}")
    if args.crawls_only:
        return

    size = sizes[-1]  # on the state of its crawl above
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
