"""Web-archive and WARC figures on this machine, in one run:

- replays per second: an archive run through the stand-in Wayback Machine (on loopback, so no
  politeness waits) over a synthetic mirror's captures, next to a live crawl of the same mirror;
- the CDX requests a full census takes at the default page size, and what that costs at the
  Internet Archive's pace (HARVESTER_CDX_PER_MINUTE);
- a WARC of N synthetic pages (default 20,000) read by `--source warc`: records per second and
  peak RSS, next to a WARC a quarter of the size (memory must not grow with the file).

Run by hand: `.venv/bin/python bench/sources.py [--documents 20000] [--work DIR]`.
Mirrors and files are cached in the work folder (default /tmp/harvester-bench) between runs.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from archive_scale import Served, measured_crawl, mirror  # bench/ is the script's folder

from harvester.mirror.layout import relative_file
from harvester.mirror.wayback.store import plan_from_mirror, write_store
from harvester.site_urls import ARCHIVE_URL
from harvester.sources.warcwrite import WarcRecorder

PYTHON = sys.executable
HARVESTER = [PYTHON, "-m", "harvester.cli"]
PUBLIC = ARCHIVE_URL
CDX_PER_MINUTE = 24


def store(work: Path, root: Path, documents: int) -> Path:
    path = work / f"captures-{documents}"
    if not (path / "captures.jsonl").exists():
        write_store(path, plan_from_mirror(root, "20240115093000"), root)
    return path


def warc(work: Path, root: Path, documents: int) -> Path:
    """Every page of the mirror as a response record, as a crawl with --warc keeps them."""
    folder = work / f"warc-{documents}"
    if not any(folder.glob("*.warc.gz")):
        recorder = WarcRecorder(folder, "bench", {"base-url": PUBLIC})
        for capture in plan_from_mirror(root, "20240115093000"):
            body = b"" if capture.location else (root / _file_of(capture.original)).read_bytes()
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if capture.location:
                headers.append(("Location", capture.location))
            recorder.write(capture.original, "GET", [("User-Agent", "bench")], capture.status,
                           "OK", headers, body)
        recorder.close()
    return folder


def _file_of(url: str) -> Path:
    parts = urlsplit(url)
    return Path(str(relative_file(parts.path + (f"?{parts.query}" if parts.query else ""))))


def census(url: str) -> dict:
    result = subprocess.run([*HARVESTER, "crawl", "archive", "--source", "wayback",
                             "--wayback-url", url, "--list-captures", "--json",
                             "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--replay-documents", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    size = args.replay_documents
    root = mirror(args.work, size)
    live = Served(root)
    def fresh() -> Path:
        return Path(tempfile.mkdtemp(dir=args.work))

    manifest, wall, _ = measured_crawl(fresh(), "--base-url", live.url,
                                       "--public-base-url", PUBLIC)
    live.close()
    live_rate = manifest["counts"]["responses"] / wall
    print(f"live crawl of the {size}-document mirror: {manifest['counts']['responses']} "
          f"responses in {wall:.1f} s = {live_rate:.0f} pages/s")
    standin = Served(store(args.work, root, size), "--wayback")
    manifest, wall, rss = measured_crawl(fresh(), "--source", "wayback",
                                         "--wayback-url", standin.url)
    source = manifest["source"]
    replays, queries = source["captures_tried"], source["queries"]
    print(f"wayback run, same pages as captures: {replays} replays + {queries} CDX requests "
          f"in {wall:.1f} s = {replays / wall:.0f} replays/s ({replays / wall / live_rate:.0%} "
          f"of the live crawl's pages/s), {source['records']} records, peak RSS {rss} MB")
    counted = census(standin.url)
    standin.close()
    rows, requests = counted["rows"], counted["cdx_requests"]
    print(f"census of {rows} captures: {requests} CDX requests at the default page size; at "
          f"{CDX_PER_MINUTE}/min that is {requests * 60 / CDX_PER_MINUTE:.0f} s; at 1 replay/s "
          f"the {replays} replays take {replays / 3600:.1f} h")

    rss_by_size: dict[int, int] = {}
    for documents in (args.documents // 4, args.documents):
        root = mirror(args.work, documents)
        folder = warc(args.work, root, documents)
        gigabytes = sum(p.stat().st_size for p in folder.glob("*.warc.gz")) / 1e9
        manifest, wall, rss_by_size[documents] = measured_crawl(
            fresh(), "--source", "warc", str(folder))
        records = manifest["source"]["records"]
        print(f"warc of {documents} documents ({gigabytes:.2f} GB compressed): {records} "
              f"records in {wall:.1f} s = {records / wall:.0f} records/s, peak RSS "
              f"{rss_by_size[documents]} MB")
    small, large = sorted(rss_by_size)
    growth = (rss_by_size[large] - rss_by_size[small]) / rss_by_size[small]
    print(f"peak RSS growth {small} → {large} documents: {growth:.1%}")


if __name__ == "__main__":
    main()
