"""Publishing a run's files: each record written once and seen on its way (the tap,
harvester/dataset/record_tap.py), against the files written and then read back whole for the
package (what publishing did before, which `add_package_files` still does without a tap).

Both write the same documents, topics and rejects from records held in memory (as the state
gives them) and then the package files; the two ways alternate, best of three each, in one
process. The files both write are compared byte for byte (the card's "written" time aside).

Run by hand: `.venv/bin/python bench/publish_once.py [--sizes 5000,20000] [--work DIR]`.
"""

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_memory import large_run, small_run  # noqa: E402

from harvester.dataset import add_package_files  # noqa: E402
from harvester.dataset.files import read_jsonl  # noqa: E402
from harvester.dataset.folder import RunWriter  # noqa: E402
from harvester.dataset.record_tap import RecordTap  # noqa: E402

KINDS = {"documents.jsonl": "document", "topics.jsonl": "topic", "rejects.jsonl": "reject"}
COMPARED = ("documents.jsonl", "topics.jsonl", "rejects.jsonl", "people.jsonl", "README.md",
            "documents-per-year.svg")
WRITTEN = re.compile(rb"written \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def publish(out: Path, records: dict[str, list[dict]], tapped: bool) -> tuple[float, Path]:
    shutil.rmtree(out, ignore_errors=True)
    writer = RunWriter(out, "20260101T000000Z")
    started = time.perf_counter()
    tap = RecordTap() if tapped else None
    for name, kind in KINDS.items():
        writer.write_jsonl(name, tap.each(kind, records[name]) if tap else records[name])
    add_package_files(writer, None, tap)
    return time.perf_counter() - started, writer.partial


def unstamped(path: Path) -> bytes:
    """The file's bytes with the time the card says it was written left out."""
    return WRITTEN.sub(b"written <time>", path.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="publish-once-"))
    source = small_run(work)
    print("documents | read back (best of 3) | written once (best of 3) | ratio | same files")
    for size in (int(s) for s in args.sizes.split(",")):
        run = large_run(work, source, size)
        records = {name: read_jsonl(run / name) for name in KINDS}
        times: dict[bool, list[float]] = {False: [], True: []}
        folders = {}
        for _ in range(3):
            for tapped in (False, True):
                elapsed, folders[tapped] = publish(work / f"p-{tapped}", records, tapped)
                times[tapped].append(elapsed)
        same = all(unstamped(folders[False] / name) == unstamped(folders[True] / name)
                   for name in COMPARED)
        before, after = min(times[False]), min(times[True])
        print(f"{size} | {before:.2f} s | {after:.2f} s | {after / before:.2f} | {same}")


if __name__ == "__main__":
    main()
