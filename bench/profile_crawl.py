"""Where an archive crawl's CPU goes, next to the null spider's on the same URLs.

Both are sampled with py-spy (not a project dependency: `pip install py-spy` into the venv)
while they crawl a synthetic mirror served on this machine, as `bench/archive_scale.py` runs
them; each sample is filed under the part of the work it belongs to (the innermost frame that
says: the page objects, the harvester's middlewares, Scrapy's item handling, HTTP, ...). Shares
become milliseconds per response with the CPU of an unsampled run of each, measured in the same
run, so the two columns add up to what each costs a response.

Run by hand: `.venv/bin/python bench/profile_crawl.py [--size 4000] [--work DIR] [--keep]`.
With --keep, the raw samples stay in the work folder (`*.raw`, one stack a line) for a closer
look.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from archive_scale import (
    HARVESTER,
    NULL_SPIDER,
    PUBLIC,
    PYTHON,
    Served,
    measured_archive_crawl,
    mirror,
    null_crawl,
)

SAMPLING_RATE = 200  # per second
_FRAME = re.compile(r"^(.*) \((.*?):\d+\)$")
# Frames that are a thread waiting, not work.
IDLE = ("Condition.wait", "select (selectors.py", "_PollLikeSelector.select", "EpollSelector")

# Frames of an import: the sample is start-up, even when the module's own code runs in it.
IMPORTING = ("<frozen importlib", "_find_and_load")
# (part, what marks it): the innermost frame that matches decides where a sample goes.
PARTS = [
    ("start-up and shut-down (imports, settings)", IMPORTING),
    ("parsing (Scrapy's selector: decode, lxml parse)", ("/parsel/", "TextResponse.selector")),
    ("page objects (harvester/pages, normalize)", ("/harvester/pages/",
                                                   "/harvester/normalize/")),
    ("harvester middlewares", ("/harvester/middlewares/",)),
    ("harvester spiders (requests, bookkeeping)", ("/harvester/spiders/",
                                                   "/harvester/sources/")),
    ("harvester pipelines, state, publishing", ("/harvester/pipelines/", "/harvester/state/",
                                                "/harvester/run/", "/harvester/dataset/",
                                                "/harvester/items/", "/harvester/feeds.py",
                                                "/harvester/extensions/")),
    ("Scrapy: items through the pipelines", ("ItemPipelineManager", "start_itemproc",
                                             "_itemproc", "_process_spidermw_output")),
    ("Scrapy: spider middlewares, callback output", ("/scrapy/spidermiddlewares/",
                                                     "SpiderMiddlewareManager",
                                                     "/scrapy/utils/asyncgen.py",
                                                     "/scrapy/core/spidermw.py")),
    ("Scrapy: downloader middlewares", ("/scrapy/downloadermiddlewares/",
                                        "DownloaderMiddlewareManager")),
    ("Scrapy: scheduler, queues, dupefilter", ("/scrapy/core/scheduler.py", "/queuelib/",
                                               "/scrapy/pqueues.py", "/scrapy/dupefilters.py",
                                               "/scrapy/squeues.py")),
    ("Scrapy: signals and stats", ("/pydispatch/", "/scrapy/utils/signal.py",
                                   "/scrapy/statscollectors.py")),
    ("HTTP and connections (Twisted, Scrapy's handler)", ("/twisted/web/", "/twisted/internet/tcp",
                                                          "/scrapy/core/downloader/",
                                                          "/twisted/internet/endpoints.py")),
]
OTHER = "engine, event loop, the rest"


def part_of(frames: list[tuple[str, str]]) -> str | None:
    """Where one sample goes (None: an idle thread)."""
    if any(marker in name or marker in path for name, path in frames[-2:] for marker in IDLE):
        return None
    if any(marker in name or marker in path for name, path in frames for marker in IMPORTING):
        return PARTS[0][0]   # a module being imported, whichever module's code runs
    for name, path in reversed(frames):
        here = f"{name} {path}"
        for part, markers in PARTS:
            if any(marker in here for marker in markers):
                return part
    return OTHER


def shares(raw: Path) -> Counter:
    """Samples per part in a py-spy raw file (one `frame;frame;... count` a line)."""
    parts: Counter = Counter()
    for line in raw.read_text("utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = []
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            frames.append((match.group(1), match.group(2)) if match else (frame, ""))
        part = part_of(frames)
        if part is not None:
            parts[part] += int(count)
    return parts


def sampled(py_spy: str, raw: Path, command: list[str]) -> None:
    result = subprocess.run([py_spy, "record", "--nonblocking", "--full-filenames", "-r",
                             str(SAMPLING_RATE), "-f", "raw", "-o", str(raw), "--", *command],
                            capture_output=True, text=True)
    if result.returncode != 0 or not raw.exists():
        raise SystemExit(f"py-spy could not sample {command[1:4]}: {result.stderr[-1000:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the raw samples")
    parser.add_argument("--parse-workers", type=int, default=0,
                        help="HARVESTER_PARSE_WORKERS of the archive crawl (its own process "
                             "is the one sampled)")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy", path=str(Path(PYTHON).parent)) or shutil.which("py-spy")
    if py_spy is None:
        raise SystemExit("py-spy not found: install it into the venv (pip install py-spy)")
    args.work.mkdir(parents=True, exist_ok=True)
    root = mirror(args.work, args.size)
    out = Path(tempfile.mkdtemp(prefix=f"profile-{args.size}-", dir=args.work))
    served = Served(root, log=out.with_suffix(".requests.log"))
    try:
        workers = ("-s", f"HARVESTER_PARSE_WORKERS={args.parse_workers}")
        manifest, archive = measured_archive_crawl(out / "plain", "--base-url", served.url,
                                                   "--public-base-url", PUBLIC, *workers)
        urls = served.requested()
        null_responses, null = null_crawl(urls, out)
        sampled(py_spy, out / "archive.raw",
                [*HARVESTER, "crawl", "archive", "--out", str(out / "sampled"),
                 "-s", "HARVESTER_PROGRESS_INTERVAL=0", "--base-url", served.url,
                 "--public-base-url", PUBLIC, *workers])
        sampled(py_spy, out / "null.raw", [PYTHON, str(NULL_SPIDER),
                                           str(out / "null-spider-urls.txt")])
    finally:
        served.close()
    responses = manifest["counts"]["responses"]
    columns = {"archive crawl": (shares(out / "archive.raw"), archive.cpu / responses),
               "null spider": (shares(out / "null.raw"), null.cpu / null_responses)}
    print(f"ms of CPU per response, {responses} responses ({args.size}-document mirror)")
    print(f"{'':52} {'archive crawl':>14} {'null spider':>12} {'difference':>11}")
    names = [part for part, _ in PARTS] + [OTHER]
    per_response = {}
    for column, (parts, cpu) in columns.items():
        total = sum(parts.values()) or 1
        per_response[column] = {n: 1000 * cpu * parts[n] / total for n in names}
    for name in names:
        a, b = per_response["archive crawl"][name], per_response["null spider"][name]
        print(f"{name:52} {a:14.2f} {b:12.2f} {a - b:+11.2f}")
    a, b = 1000 * archive.cpu / responses, 1000 * null.cpu / null_responses
    print(f"{'all':52} {a:14.2f} {b:12.2f} {a - b:+11.2f}")
    if not args.keep:
        shutil.rmtree(out)
        out.with_suffix(".requests.log").unlink()


if __name__ == "__main__":
    sys.exit(main())
