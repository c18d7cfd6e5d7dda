"""`harvester mirror synth|mutate`: synthetic mirrors of the archive at any size, with the
records a correct crawl must yield, and a day of changes to them."""

import sys
from pathlib import Path

from harvester.crawl import EXIT_OK
from harvester.extras import missing_extra

EXIT_INTERRUPTED = 130
# Top-level modules of the `synth` extra's libraries (Jinja2, MarkupSafe, python-slugify and
# its transliteration table).
SYNTH_MODULES = {"jinja2", "markupsafe", "slugify", "text_unidecode"}


def register(commands) -> None:
    mirror = commands.add_parser("mirror", help="make or change a synthetic mirror")
    actions = mirror.add_subparsers(dest="action", required=True)
    synth = actions.add_parser(
        "synth", help="write a synthetic mirror (pages, redirects, robots.txt) and, hidden, "
                      "the records a correct crawl yields (_expected/*.jsonl)")
    synth.add_argument("out", type=Path, metavar="OUT", help="a new or empty folder")
    synth.add_argument("--documents", type=int, default=1000, metavar="N",
                       help="document pages to write")
    synth.add_argument("--topics", type=int, default=12, metavar="T",
                       help="topic pages to write")
    synth.add_argument("--seed", type=int, default=1, metavar="S",
                       help="the same seed writes the same mirror, byte for byte")
    synth.set_defaults(handler=run_synth)
    mutate = actions.add_parser(
        "mutate", help="a day of changes: uploads, edits, removals (listed in "
                       "_expected/changes.jsonl); unchanged files keep bytes and mtime")
    mutate.add_argument("out", type=Path, metavar="OUT", help="a mirror made by `synth`")
    mutate.add_argument("--add", type=int, default=0, metavar="A",
                        help="new documents to add")
    mutate.add_argument("--change", type=int, default=0, metavar="C",
                        help="documents to change")
    mutate.add_argument("--remove", type=int, default=0, metavar="R",
                        help="documents to remove")
    mutate.add_argument("--seed", type=int, default=1, metavar="S",
                        help="the same seed makes the same changes")
    mutate.set_defaults(handler=run_mutate)


def megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


def generator(action: str):
    """The generator (harvester_testkit.synth), imported only when asked for: its libraries
    come with the `synth` extra, which a runtime install leaves out."""
    try:
        import harvester_testkit.synth as synth
    except ModuleNotFoundError as error:
        missing = (error.name or "").partition(".")[0]
        if missing not in SYNTH_MODULES:
            raise
        raise missing_extra(f"mirror {action}", "synth", missing) from None
    return synth


def run_synth(args) -> int:
    synth = generator("synth")
    progress = synth.Progress()
    try:
        outcome = synth.synthesize(args.out, args.documents, args.topics, args.seed, progress)
    except KeyboardInterrupt:
        print(f"harvester: interrupted; nothing was written to {args.out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.finish(f"harvester: wrote {outcome.documents} documents in {outcome.topics} "
                    f"topics, {outcome.files} files ({megabytes(outcome.bytes)}) to {args.out}")
    return EXIT_OK


def run_mutate(args) -> int:
    synth = generator("mutate")
    progress = synth.Progress()
    try:
        outcome = synth.mutate(args.out, args.add, args.change, args.remove, args.seed, progress)
    except KeyboardInterrupt:
        print(f"harvester: interrupted; {args.out} is as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    counts = {kind: sum(c["change"] == kind for c in outcome.changes or [])
              for kind in ("added", "changed", "removed")}
    progress.finish(f"harvester: {counts['added']} added, {counts['changed']} changed, "
                    f"{counts['removed']} removed; {outcome.written} files written, "
                    f"{outcome.kept} unchanged, in {args.out}")
    return EXIT_OK
