"""The `harvester` command: crawl, parse one saved page, serve a mirror, run the demo."""

import argparse
import errno
import importlib
import sys
import traceback

from scrapy.exceptions import UsageError

from harvester.commands import COMMAND_MODULES
from harvester.crawl import EXIT_FAILED, EXIT_USAGE
from harvester.crawl import one_line as message_line

# The machine failed the work (not the arguments): the command failed, exit 1.
WORK_FAILURES = (errno.ENOSPC, errno.EDQUOT, errno.EIO)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harvester", description=__doc__)
    parser.add_argument("-v", "--verbose", dest="traceback", action="store_true",
                        help="on an error, print its traceback before the one-line message")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ValueError, OSError) as error:
        # Bad arguments and inputs, and what the machine refused (a folder, a port): one line.
        if args.traceback or getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"harvester: {one_line(error)}", file=sys.stderr)
        failed = isinstance(error, OSError) and error.errno in WORK_FAILURES
        return EXIT_FAILED if failed else EXIT_USAGE


def one_line(error: Exception) -> str:
    """`/x: Permission denied` rather than `[Errno 13] Permission denied: '/x'`."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return message_line(error)


if __name__ == "__main__":
    sys.exit(main())
