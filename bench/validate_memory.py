"""Peak memory and time of `harvester validate` and of each export on large published runs.

A run of N documents is built directly from a small published run (default: a crawl of the
bundled mirror, made on the way): its documents repeated under new Record IDs, each copy still
naming the topic, the topic listing them all, the people index, schemas, datapackage.json and
manifest.json written by the harvester's own run writer, so the run validates. Each command runs
in a child process whose peak RSS and CPU time are read from the kernel (getrusage).

Run by hand: `.venv/bin/python bench/validate_memory.py [--sizes 5000,20000] [--work DIR]`.
To measure another version of the code (`git archive <commit> harvester | tar -x -C DIR`), add
`--source DIR --old-cli` (--old-cli: before `--quiet` and `--revalidate` existed).
"""

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from harvester.dataset import add_package_files
from harvester.dataset.files import iter_jsonl, read_jsonl
from harvester.dataset.folder import RunWriter

PYTHON = sys.executable
HARVESTER = [PYTHON, "-m", "harvester.cli"]
# Runs a command; its peak RSS (KB) and CPU seconds (user + system) go last on stderr.
MEASURE = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
           "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(use.ru_maxrss, use.ru_utime + use.ru_stime, file=sys.stderr); "
           "sys.exit(code)")
RUN_ID = "20260101T000000Z"


def small_run(work: Path) -> Path:
    """A crawl of the bundled mirror (what the tests crawl), kept in the work folder."""
    out = work / "bundled"
    if not (out / "latest" / "manifest.json").exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.helpers.shared_runs import crawl_bundled

        crawl_bundled(out)
    return out / "latest"


def large_run(work: Path, source: Path, documents: int) -> Path:
    """A published run of `documents` documents made of the source run's, repeated."""
    out = work / f"run-{documents}"
    if (out / RUN_ID / "manifest.json").exists():
        return out / RUN_ID
    originals = read_jsonl(source / "documents.jsonl")
    [topic] = read_jsonl(source / "topics.jsonl")
    slug = topic["slug"]
    copies = []
    for number in range(documents):
        original = originals[number % len(originals)]
        record_id = str(100000 + number)
        topics = [t for t in original["topics"] if t["slug"] != slug]
        copies.append({**original, "record_id": record_id,
                       "url": f"{original['url']}-{record_id}",
                       "topics": [*topics, {"slug": slug, "title": topic["title"]}]})
    writer = RunWriter(out, RUN_ID)
    writer.write_jsonl("documents.jsonl", copies)
    writer.write_jsonl("topics.jsonl", [{**topic, "record_ids": [d["record_id"]
                                                                 for d in copies]}])
    rejects = read_jsonl(source / "rejects.jsonl")
    writer.write_jsonl("rejects.jsonl", rejects)
    del copies
    add_package_files(writer)
    writer.publish({"run_id": RUN_ID, "counts": {"documents": documents, "topics": 1,
                                                 "rejects": len(rejects)}})
    return out / RUN_ID


def harvester_from(source: Path | None) -> tuple[list[str], dict[str, str]]:
    """The command running the harvester, and its environment: this checkout's, or the code in
    `source` (site hooks off, so that this checkout's editable install cannot take its place;
    the installed libraries come from the path)."""
    if source is None:
        return HARVESTER, dict(os.environ)
    path = os.pathsep.join([str(source.resolve()), sysconfig.get_paths()["purelib"]])
    return [PYTHON, "-S", "-m", "harvester.cli"], {**os.environ, "PYTHONPATH": path}


def package_time(work: Path, run: Path) -> float:
    """Seconds the publication step after the records takes (people index, the check of every
    record against its schema, schemas, datapackage.json), in this process, on a copy."""
    import shutil

    out = work / "publish"
    shutil.rmtree(out, ignore_errors=True)
    writer = RunWriter(out, RUN_ID)
    for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
        writer.write_jsonl(name, (record for _, record in iter_jsonl(run / name)))
    started = time.perf_counter()
    add_package_files(writer)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out)
    return elapsed


def measured(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB) of a command that must succeed, run in `cwd`
    (not a checkout, whose harvester/ `-m` would import first)."""
    started = time.perf_counter()
    result = subprocess.run([PYTHON, "-c", MEASURE, *command], capture_output=True, text=True,
                            env=env, cwd=cwd)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[-4:]} failed: {result.stderr[-2000:]}")
    rss_kb, cpu = result.stderr.strip().splitlines()[-1].split()
    return wall, float(cpu), int(rss_kb) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--source", type=Path,
                        help="a folder holding another version's harvester/ package to measure")
    parser.add_argument("--old-cli", action="store_true",
                        help="code from before --quiet and --revalidate existed: plain commands")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) /
                        "harvester-bench-validate")
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    source = small_run(args.work)
    harvester, env = harvester_from(args.source)
    rows = []
    for documents in (int(size) for size in args.sizes.split(",")):
        run = large_run(args.work, source, documents)
        size = (run / "documents.jsonl").stat().st_size / 1e6
        if args.source is None:
            print(f"{documents} documents: package files at publication "
                  f"{package_time(args.work, run):.2f} s", flush=True)
        quiet = [] if args.old_cli else ["-q"]
        steps = {"validate": ["validate", str(run), *quiet]}
        for format, out in (("sqlite", "run.sqlite"), ("csv", "csv"), ("parquet", "parquet")):
            steps[f"export {format}"] = ["export", format, str(run), str(args.work / out), *quiet]
            if not args.old_cli:
                steps[f"export {format} --revalidate"] = [*steps[f"export {format}"],
                                                          "--revalidate"]
        for step, command in steps.items():
            wall, cpu, rss = measured([*harvester, *command], env, args.work)
            rows.append({"documents": documents, "documents_mb": round(size, 1), "step": step,
                         "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": rss})
            print(json.dumps(rows[-1]), flush=True)
    print("\n| documents | step | wall | CPU | peak RSS |\n|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['documents']:,} ({row['documents_mb']} MB) | `{row['step']}` | "
              f"{row['wall_s']} s | {row['cpu_s']} s | {row['peak_rss_mb']} MB |")


if __name__ == "__main__":
    main()
