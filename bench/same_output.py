"""Do two versions of the harvester publish the same runs? For a change that must not change
what is published (a refactoring), this runs each scenario with the harvester of two checkouts
and compares what they published, file by file, record by record:

- a topic crawl of the bundled mirror;
- an archive crawl of a synthetic mirror of N documents (default 2,000), kept with `--warc`;
- an archive run through the stand-in Wayback Machine holding that mirror's captures;
- an archive run over the WARC files the first crawl of the mirror kept.

Only what differs from run to run is left out: run ids, times, ports and temporary paths, the
live records' `retrieved_at` and fetch time, and the digests and sizes of files holding them.

Run by hand: `.venv/bin/python bench/same_output.py --before DIR [--after DIR] [--documents N]
[--work DIR]`; DIR is a checkout of the harvester (`git worktree add /tmp/before <rev>`). Prints
each scenario's verdict and the first differences; exits 1 if any differ.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from harvester.mirror.bundled import BUNDLED_MIRROR
from harvester.site_urls import ARCHIVE_URL

PYTHON = sys.executable
QUIET = ("-s", "HARVESTER_PROGRESS_INTERVAL=0")
COMPARED = ("documents.jsonl", "topics.jsonl", "rejects.jsonl", "people.jsonl",
            "changes.jsonl", "manifest.json")
VOLATILE_MANIFEST = ("run_id", "started", "finished", "base_url", "harvester_version")
_PORT = re.compile(r"127\.0\.0\.1:\d+")
_TIME = re.compile(r"\d{8}T\d{6}Z|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def harvester(code: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([PYTHON, "-m", "harvester.cli", *args], cwd=code, text=True,
                            capture_output=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} with {code} failed: {result.stderr[-1500:]}")
    return result


class Served:
    """`harvester serve` of `code` on a free port."""

    def __init__(self, code: Path, root: Path, *options: str) -> None:
        self.process = subprocess.Popen([PYTHON, "-m", "harvester.cli", "serve", str(root),
                                         *options, "--port", "0"], cwd=code,
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().rsplit(" at ", 1)[1].strip()

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *_exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


# -- what a run published, without what differs from run to run -------------------------------
def stable_document(record: dict) -> dict:
    record = {k: v for k, v in record.items() if k != "retrieved_at"}
    capture = record.get("capture")
    if capture and capture.get("source") == "live":
        record["capture"] = {k: v for k, v in capture.items() if k != "timestamp"}
    return record


def stable_manifest(manifest: dict, scratch: str) -> dict:
    """Files holding live records or WARCs differ in their bytes: their counts stay."""
    manifest = {k: v for k, v in manifest.items() if k not in VOLATILE_MANIFEST}
    for facts in manifest.get("files", {}).values():
        facts.pop("sha256", None)
        facts.pop("bytes", None)
    if "warc" in manifest:   # files named after the run, of bytes that hold fetch times
        manifest["warc"] = {"files": len(manifest["warc"].get("files", {}))}
    text = _TIME.sub("<time>", json.dumps(manifest, sort_keys=True))
    return json.loads(text.replace(scratch, "<scratch>"))


def published(run: Path, scratch: str) -> dict[str, list]:
    files: dict[str, list] = {}
    for name in COMPARED:
        path = run / name
        if not path.exists():
            files[name] = []
        elif name == "manifest.json":
            text = _PORT.sub("<loopback>", path.read_text("utf-8"))
            files[name] = [stable_manifest(json.loads(text), scratch)]
        else:
            text = _PORT.sub("<loopback>", path.read_text("utf-8"))
            lines = [json.loads(line) for line in text.splitlines()]
            files[name] = [stable_document(r) for r in lines] if name == "documents.jsonl" \
                else lines
    return files


def differences(before: dict[str, list], after: dict[str, list]) -> list[str]:
    found = []
    for name in COMPARED:
        one, two = before[name], after[name]
        if len(one) != len(two):
            found.append(f"{name}: {len(one)} records before, {len(two)} after")
            continue
        for number, (a, b) in enumerate(zip(one, two, strict=True), 1):
            if a != b:
                keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)) \
                    if isinstance(a, dict) else []
                found.append(f"{name} line {number}: differs in {', '.join(keys) or 'value'}")
    return found


# -- the scenarios ------------------------------------------------------------------------------
def topic_crawl(code: Path, out: Path, inputs: dict) -> Path:
    with Served(code, BUNDLED_MIRROR) as url:
        harvester(code, "crawl", "topic", "--base-url", url, "--out", str(out),
                  "--public-base-url", ARCHIVE_URL, *QUIET)
    return out / "latest"


def archive_crawl(code: Path, out: Path, inputs: dict) -> Path:
    with Served(code, inputs["mirror"]) as url:
        harvester(code, "crawl", "archive", "--base-url", url, "--out", str(out),
                  "--public-base-url", ARCHIVE_URL, "--warc", *QUIET)
    return out / "latest"


def wayback_run(code: Path, out: Path, inputs: dict) -> Path:
    with Served(code, inputs["store"], "--wayback") as url:
        harvester(code, "crawl", "archive", "--source", "wayback", "--wayback-url", url,
                  "--out", str(out), *QUIET)
    return out / "latest"


def warc_run(code: Path, out: Path, inputs: dict) -> Path:
    harvester(code, "crawl", "archive", "--out", str(out), *QUIET, "--source", "warc",
              str(inputs["warc"]))
    return out / "latest"


SCENARIOS = {"bundled mirror, topic crawl": topic_crawl,
             "synthetic mirror, archive crawl": archive_crawl,
             "stand-in Wayback Machine, archive run": wayback_run,
             "WARC files, archive run": warc_run}


def prepare(code: Path, work: Path, documents: int) -> dict:
    """The mirror, its capture store and a WARC of it, made once by one version for both."""
    mirror = work / f"mirror-{documents}"
    if not (mirror / "_expected" / "documents.jsonl").exists():
        harvester(code, "mirror", "synth", str(mirror), "--documents", str(documents),
                  "--topics", str(max(4, documents // 100)), "--seed", "1")
    store = work / f"store-{documents}"
    if not (store / "captures.jsonl").exists():
        subprocess.run([PYTHON, "-c", "import sys; from pathlib import Path; "
                        "from harvester.mirror.wayback.store import plan_from_mirror, "
                        "write_store; m = Path(sys.argv[1]); write_store(Path(sys.argv[2]), "
                        "plan_from_mirror(m, '20240115093000'), m)", str(mirror), str(store)],
                       cwd=code, check=True)
    # The crawl's own WARC stays in its published run, beside the manifest that proves whose
    # it is (only then does its warcinfo map the mirror's address onto the archive's).
    crawl = work / f"warc-crawl-{documents}"
    if not (crawl / "latest" / "warc").is_dir():
        archive_crawl(code, crawl, {"mirror": mirror})
    return {"mirror": mirror, "store": store, "warc": (crawl / "latest" / "warc").resolve()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/harvester-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    before, after = args.before.resolve(), args.after.resolve()
    inputs = prepare(after, args.work, args.documents)
    failed = False
    for name, scenario in SCENARIOS.items():
        runs = {}
        for label, code in (("before", before), ("after", after)):
            with tempfile.TemporaryDirectory() as scratch:
                runs[label] = published(scenario(code, Path(scratch), inputs), scratch)
        found = differences(runs["before"], runs["after"])
        counts = {name: len(lines) for name, lines in runs["after"].items()}
        print(f"{name}: {'same' if not found else f'{len(found)} differences'} "
              f"({counts['documents.jsonl']} documents, {counts['topics.jsonl']} topics, "
              f"{counts['rejects.jsonl']} rejects)")
        for line in found[:10]:
            print(f"  {line}")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
