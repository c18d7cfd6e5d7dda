"""`scrapy crawl SPIDER` for this project: Scrapy's command, with `harvester crawl`'s exit codes
(0 published, 1 refused or failed, 2 bad arguments, 130/143 stopped by a signal) and its last
line on stderr, so cron and scrapyd see a refused run as a failure. A bad spider argument
(`-a topics=Bad!`) is one `harvester: …` line, not a traceback.

A feed given with `-o`/`-O` receives the Documents, and their Topics go to a feed of their own
beside it (`docs.jsonl` → `docs-topics.jsonl`); FEEDS with `item_classes` routes records any
other way."""

import posixpath
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_USAGE, run_with
from harvester.settings.checks import check_settings

DOCUMENT_CLASS = "harvester.items.Document"
TOPIC_CLASS = "harvester.items.Topic"
STANDARD_OUTPUT = ("-", "stdout:")


class Command(ScrapyCrawl):
    # The crawl runs in harvester.crawl's own process, which knows the signal that stopped it.
    requires_crawler_process = False

    def process_options(self, args: list[str], opts) -> None:
        super().process_options(args, opts)
        assert self.settings is not None  # set before the options are (as Scrapy's asserts)
        if opts.output or opts.overwrite_output:
            self.settings.set("FEEDS", records_apart(self.settings.getdict("FEEDS")),
                              priority="cmdline")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes one spider" if args else "")
        try:
            check_settings(self.settings)
        except UsageError as error:  # one line, exit 2, before anything starts
            print(f"harvester: {error}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        outcome = run_with(self.settings, args[0], opts.spargs)
        print(f"harvester: {outcome.message}", file=sys.stderr)
        self.exitcode = outcome.exit_code


def records_apart(feeds: dict[str, dict]) -> dict[str, dict]:
    """Command-line feeds: Documents only, unless the feed names its item classes, plus one
    Topic feed beside each file (standard output gets the Documents alone)."""
    apart: dict[str, dict] = {}
    for uri, options in feeds.items():
        if options.get("item_classes"):
            apart[uri] = options
            continue
        apart[uri] = {**options, "item_classes": [DOCUMENT_CLASS]}
        if uri not in STANDARD_OUTPUT:
            apart.setdefault(topics_beside(uri), {**options, "item_classes": [TOPIC_CLASS]})
    return apart


def topics_beside(uri: str) -> str:
    """`out/docs.jsonl` → `out/docs-topics.jsonl` (`out/docs` → `out/docs-topics`)."""
    stem, suffix = posixpath.splitext(uri)
    return f"{stem}-topics{suffix}"
