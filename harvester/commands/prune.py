"""`harvester prune`: remove old run folders, keeping the newest N and the one `latest` names."""

import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_FAILED, EXIT_OK
from harvester.settings.output import output_dir_from_environment
from harvester.state.lock import RunLock, RunRefused


def register(commands) -> None:
    prune = commands.add_parser(
        "prune", help="remove old run folders, never latest or the run it names")
    prune.add_argument("--keep", type=int, required=True, metavar="N",
                       help="how many of the newest runs to keep, besides the one latest "
                            "names (0 keeps only that one)")
    prune.add_argument("--out", default=output_dir_from_environment(),
                       help="the output folder whose runs to prune ($HARVESTER_OUTPUT_DIR)")
    prune.add_argument("--dry-run", action="store_true",
                       help="only say which runs would be removed")
    prune.set_defaults(handler=run)


def run(args) -> int:
    from harvester.run.retention import prune_runs
    from harvester.utc import utc_iso

    if args.keep < 0:
        raise UsageError(f"--keep takes 0 or more, not {args.keep}")
    if not args.out.strip():
        raise UsageError("--out is empty: name the output folder whose runs to prune")
    args.out = Path(args.out)
    if not args.out.is_dir():
        raise UsageError(f"--out {args.out} is not a folder")
    try:
        lock = RunLock.take(args.out, "prune", utc_iso())
    except RunRefused as refused:
        print(f"harvester: {refused}", file=sys.stderr)
        return EXIT_FAILED
    try:
        pruned = prune_runs(args.out, args.keep, args.dry_run)
    finally:
        lock.release()
    verb = "would remove" if args.dry_run else "removed"
    for run_id in pruned.removed:
        print(f"{verb} {args.out / run_id}")
    print(f"harvester: {verb} {len(pruned.removed)} run{plural(pruned.removed)} "
          f"({pruned.bytes_freed / 1e6:.1f} MB), kept {len(pruned.kept)}", file=sys.stderr)
    return EXIT_OK


def plural(items: list) -> str:
    return "" if len(items) == 1 else "s"
