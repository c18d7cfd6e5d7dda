"""Does a crawl's own WARC read back as the same run? Figures, in one run:

for the bundled mirror (a topic crawl) and for synthetic mirrors of N
documents (an archive crawl), a live crawl kept with `--warc`, then `--source warc` over its
`warc/` folder: documents, topics and rejects by reason of each, and what differs. With
`--encoding br` (or `zstd`, `gzip`) the mirror answers compressed, as the site's CDN does.

Run by hand: `.venv/bin/python bench/readback.py [--documents 300,2000] [--topics 8,20]
[--encoding br] [--code DIR] [--work DIR]`. `--code` runs the harvester of another checkout
(its folder is put first on the path), so one machine compares two versions in one run. Mirrors
are cached in the work folder (default /tmp/harvester-bench).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from harvester.mirror.bundled import BUNDLED_MIRROR
from harvester.site_urls import ARCHIVE_URL

PYTHON = sys.executable


def harvester(code: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "harvester.cli", *args], cwd=code, text=True,
                          capture_output=True)


def mirror(code: Path, work: Path, documents: int, topics: int) -> Path:
    path = work / f"mirror-{documents}-{topics}"
    if not (path / "_expected" / "documents.jsonl").exists():
        harvester(code, "mirror", "synth", str(path), "--documents", str(documents),
                  "--topics", str(topics), "--seed", "1").check_returncode()
    return path


def summary(run: Path) -> dict:
    def lines(name: str) -> list[dict]:
        path = run / name
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()] \
            if path.exists() else []
    rejects = Counter(r["reason"].split(";")[0] for r in lines("rejects.jsonl"))
    return {"documents": {d["record_id"] for d in lines("documents.jsonl")},
            "topics": {t["slug"] for t in lines("topics.jsonl")},
            "rejects": rejects}


def crawl_and_read_back(code: Path, root: Path, scope: list[str], encoding: str | None,
                        out: Path) -> tuple[dict, dict | str]:
    faults = ["--faults", f"* encode={encoding}"] if encoding else []
    server = subprocess.Popen([PYTHON, "-m", "harvester.cli", "serve", str(root), "--port", "0",
                               *faults], cwd=code, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().rsplit(" at ", 1)[1].strip()
        live = harvester(code, "crawl", *scope, "--base-url", url, "--out", str(out / "live"),
                         "--public-base-url", ARCHIVE_URL, "--warc",
                         "-s", "HARVESTER_PROGRESS_INTERVAL=0")
    finally:
        server.terminate()
        server.wait(10)
    if live.returncode != 0:
        raise SystemExit(f"live crawl failed: {live.stderr[-1500:]}")
    warcs = (out / "live" / "latest" / "warc").resolve()
    back = harvester(code, "crawl", *scope, "--out", str(out / "back"),
                     "-s", "HARVESTER_PROGRESS_INTERVAL=0", "--source", "warc", str(warcs))
    if back.returncode != 0:
        return summary(out / "live" / "latest"), back.stderr.strip().splitlines()[-1]
    return summary(out / "live" / "latest"), summary(out / "back" / "latest")


def report(name: str, live: dict, back: dict | str) -> None:
    def line(what: str, run: dict) -> str:
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(run["rejects"].items())) or "none"
        return (f"  {what:9} {len(run['documents']):5} documents {len(run['topics']):4} topics "
                f"{sum(run['rejects'].values()):4} rejects ({reasons})")
    print(name)
    print(line("live", live))
    if isinstance(back, str):
        print(f"  read back: not published: {back}")
        return
    print(line("read back", back))
    lost = len(live["documents"] - back["documents"])
    extra = len(back["documents"] - live["documents"])
    print(f"  documents lost {lost}, gained {extra}; topics lost "
          f"{len(live['topics'] - back['topics'])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", default="300,2000")
    parser.add_argument("--topics", default="8,20", help="topics of each synthetic mirror")
    parser.add_argument("--encoding", choices=("br", "zstd", "gzip", "deflate"))
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    code = args.code.resolve()
    cases = [("bundled mirror, topic crawl", BUNDLED_MIRROR, ["topic"])]
    sizes = [int(n) for n in args.documents.split(",") if n]
    for size, topics in zip(sizes, [int(n) for n in args.topics.split(",")], strict=True):
        cases.append((f"{size}-document, {topics}-topic synthetic mirror, archive crawl",
                      mirror(code, args.work, size, topics), ["archive"]))
    print(f"code: {code}; mirror answers {args.encoding or 'uncompressed'}")
    for name, root, scope in cases:
        with tempfile.TemporaryDirectory() as out:
            report(name, *crawl_and_read_back(code, root, scope, args.encoding, Path(out)))


if __name__ == "__main__":
    main()
