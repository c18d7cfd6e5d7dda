"""Peak memory of a harvest whose document pages are large: what a crawl holds of the pages
it has read. The bundled mirror's document pages are written N times over (default 30 each,
570 pages), each made PAGE_MB larger (default 8) by a comment of its own before `</body>`,
into one WARC; `harvester crawl archive --source warc` reads it while the resident memory of
its whole process tree (the crawl and its parse worker) is sampled every 0.05 s. With `--live
MIRROR`, a copy of that mirror (a synthetic one: `harvester mirror synth`) has each document
page padded so, and is crawled live on loopback instead; with `--wayback MIRROR`, its captures
are harvested through the stand-in Wayback Machine. Prints records, wall seconds and the peak.

Run by hand, on this checkout or another one's (to compare two trees on the same pages):
`.venv/bin/python bench/large_pages.py [--copies 30] [--page-mb 8] [--live MIRROR |
--wayback MIRROR] [--checkout DIR]`.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harvester.mirror.wayback.store import (  # noqa: E402
    PlannedCapture,
    plan_from_mirror,
    write_store,
)
from tests.helpers.captures import T1, document, write_warc  # noqa: E402
from tests.helpers.pages import SITE, expected_for, load_json  # noqa: E402

HERE = Path(__file__).resolve().parents[1]


def large_pages(copies: int, page_mb: float) -> list[PlannedCapture]:
    """Each saved document page, `copies` times under addresses and record IDs of its own,
    each padded with a comment that is its own (so no two share a payload digest)."""
    pad = int(page_mb * 1024 * 1024)
    captures = []
    for file in sorted((SITE / "document").glob("*.html")):
        body = file.read_bytes()
        record_id = load_json(expected_for(file)).get("record_id", "").encode()
        if not record_id:   # the mirror's page that is no record
            continue
        for copy in range(copies):
            filler = f"<!-- {file.stem} {copy} ".encode() + b"x" * pad + b" -->"
            own = body.replace(record_id, record_id + b"%03d" % copy)
            padded = own.replace(b"</body>", filler + b"</body>", 1)
            captures.append(PlannedCapture(document(f"{file.stem}-{copy}"), T1, body=padded))
    return captures


def padded_mirror(mirror: Path, folder: Path, page_mb: float) -> Path:
    """A copy of the mirror whose document pages each carry a comment of their own."""
    copy = folder / "mirror"
    shutil.copytree(mirror, copy)
    pad = b"x" * int(page_mb * 1024 * 1024)
    for number, page in enumerate(sorted((copy / "document").glob("*.html"))):
        filler = b"<!-- %d " % number + pad + b" -->"
        page.write_bytes(page.read_bytes().replace(b"</body>", filler + b"</body>", 1))
    return copy


def tree_rss_kb(root: int) -> int:
    """The resident memory of a process and every process under it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total


def harvest(checkout: Path, source: list[str], out: Path) -> tuple[int, float, int]:
    """(documents, wall seconds, peak tree RSS in MB) of one archive crawl from the source."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(checkout / ".venv" / "bin" / "python"), "-m", "harvester.cli", "crawl",
         "archive", *source, "--out", str(out), "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
        cwd=checkout, stdout=subprocess.DEVNULL, stderr=(said := out.with_suffix(".log")).open("w"))
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_kb(process.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the harvest failed: {said.read_text()[-2000:]}")
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    return manifest["counts"]["documents"], wall, peak // 1024


def served(root: Path, folder: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`harvester serve` of the folder on a free port, and its address."""
    said = folder / "served.txt"   # a file, not a pipe: the server says a line a request
    server = subprocess.Popen([sys.executable, "-m", "harvester.cli", "serve", str(root),
                               *options, "--port", "0"], stdout=said.open("w"), cwd=HERE)
    while " at " not in (first := said.read_text().partition("\n")[0]):
        time.sleep(0.1)
    return server, first.rsplit(" at ", 1)[1].strip()


def capture_store(mirror: Path, folder: Path) -> Path:
    """The stand-in Wayback Machine's captures of the mirror, as bench/same_output.py makes
    them."""
    store = folder / "store"
    write_store(store, plan_from_mirror(mirror, "20240115093000"), mirror)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=30)
    parser.add_argument("--page-mb", type=float, default=8)
    parser.add_argument("--live", type=Path, help="a mirror to pad and crawl live instead")
    parser.add_argument("--wayback", type=Path,
                        help="a mirror to pad and harvest through the stand-in Wayback Machine")
    parser.add_argument("--checkout", type=Path, default=HERE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        if args.live or args.wayback:
            mirror = padded_mirror(args.live or args.wayback, Path(folder), args.page_mb)
            server, url = served(mirror, Path(folder)) if args.live else \
                served(capture_store(mirror, Path(folder)), Path(folder), "--wayback")
            source = ["--base-url", url] if args.live else \
                ["--source", "wayback", "--wayback-url", url]
            print(f"{args.live or args.wayback} served at {url}, pages {args.page_mb} MB larger")
            try:
                documents, wall, peak = harvest(args.checkout.resolve(), source, out)
            finally:
                server.terminate()
        else:
            warc = write_warc(Path(folder) / "large.warc.gz",
                              large_pages(args.copies, args.page_mb))
            print(f"{warc.stat().st_size / 1e6:.1f} MB on disk, pages {args.page_mb} MB "
                  f"larger than their own")
            documents, wall, peak = harvest(args.checkout.resolve(),
                                            ["--source", "warc", str(warc)], out)
    print(f"{documents} documents in {wall:.1f} s, peak resident memory of the process tree "
          f"{peak} MB ({args.checkout.resolve()})")


if __name__ == "__main__":
    main()
