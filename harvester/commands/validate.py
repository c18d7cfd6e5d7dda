"""`harvester validate`: check a published run against its own descriptors and schemas."""

import sys
from pathlib import Path

from harvester.crawl import EXIT_FAILED, EXIT_OK


def register(commands) -> None:
    validate = commands.add_parser(
        "validate", help="check a published run: checksums, counts, schemas, references")
    validate.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                          help="a run folder, e.g. output/latest")
    validate.add_argument("--quiet", "-q", action="store_true",
                          help="no progress lines on stderr, only the verdict")
    validate.set_defaults(handler=run)


def run(args) -> int:
    from harvester.dataset.progress import Progress
    from harvester.dataset.validate import check_run

    progress = Progress.silent() if args.quiet else Progress(sys.stderr)
    check = check_run(args.run_dir, progress=progress)
    progress.finish()
    for problem in check.problems:
        print(problem)
    if check.problems:
        count = len(check.problems)
        print(f"harvester: {args.run_dir} is not valid: {count} problem"
              f"{'s' if count > 1 else ''}", file=sys.stderr)
        return EXIT_FAILED
    print(f"harvester: {args.run_dir} is valid: {check.records} records checked in "
          f"{progress.elapsed():.1f}s", file=sys.stderr)
    return EXIT_OK
