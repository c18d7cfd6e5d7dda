"""`harvester validate`: check a published run against its own descriptors and schemas."""

import sys
from pathlib import Path

from harvester.crawl import EXIT_FAILED, EXIT_OK


def register(commands) -> None:
    validate = commands.add_parser(
        "validate", help="check a published run: checksums, counts, schemas, references")
    validate.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                          help="a run folder, e.g. output/latest")
    validate.set_defaults(handler=run)


def run(args) -> int:
    from harvester.dataset.validate import validate_run

    problems = validate_run(args.run_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"harvester: {args.run_dir} is not valid: {len(problems)} problem"
              f"{'s' if len(problems) > 1 else ''}", file=sys.stderr)
        return EXIT_FAILED
    print(f"harvester: {args.run_dir} is valid", file=sys.stderr)
    return EXIT_OK
