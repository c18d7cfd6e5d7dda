"""The `harvester` command: crawl, parse one saved page, serve a mirror, run the demo."""

import argparse
import errno
import importlib
import platform
import sys
import traceback

import scrapy
from scrapy.exceptions import UsageError

from harvester import harvester_version
from harvester.commands import COMMAND_MODULES
from harvester.crawl import EXIT_FAILED, EXIT_USAGE
from harvester.crawl import one_line as message_line
from harvester.terminal import printable

# The machine failed the work (not the arguments): the command failed, exit 1.
WORK_FAILURES = (errno.ENOSPC, errno.EDQUOT, errno.EIO)


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Says the default after each option's help, as argparse's own formatter does, but only
    where there is one to say (not for flags, nor for options that are simply left out)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        nothing = default is None or default is False or default == [] or default == ()
        optional = bool(action.option_strings) or action.nargs in (argparse.OPTIONAL, "*")
        if nothing or default is argparse.SUPPRESS or not optional or "(default" in text:
            return text
        return f"{text} (default: %(default)s)" if text else "(default: %(default)s)"


def version_line() -> str:
    return (f"harvester {harvester_version()} (Scrapy {scrapy.__version__}, "
            f"Python {platform.python_version()})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harvester", description=__doc__,
                                     formatter_class=DefaultsHelpFormatter)
    parser.add_argument("--version", action="version", version=version_line(),
                        help="print the harvester's version (and Scrapy's and Python's) and exit")
    parser.add_argument("-v", "--verbose", dest="traceback", action="store_true",
                        help="on an error, print its traceback before the one-line message")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    for sub in subparsers(parser):
        sub.formatter_class = DefaultsHelpFormatter
    return parser


def subparsers(parser: argparse.ArgumentParser):
    """Every command's parser, nested ones (`export csv`, `mirror synth`) included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield sub
                yield from subparsers(sub)


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
        return printable(f"{error.filename}: {error.strerror}" if error.filename
                         else error.strerror)
    return message_line(error)


if __name__ == "__main__":
    sys.exit(main())
