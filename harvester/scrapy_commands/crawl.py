"""`scrapy crawl SPIDER` for this project: Scrapy's command, with `harvester crawl`'s exit codes
(0 published, 1 refused or failed, 2 bad arguments, 130/143 stopped by a signal) and its last
line on stderr, so cron and scrapyd see a refused run as a failure. A bad spider argument
(`-a topics=Bad!`) is one `harvester: …` line, not a traceback."""

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from harvester.crawl import run_with


class Command(ScrapyCrawl):
    # The crawl runs in harvester.crawl's own process, which knows the signal that stopped it.
    requires_crawler_process = False

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes one spider" if args else "")
        outcome = run_with(self.settings, args[0], opts.spargs)
        print(f"harvester: {outcome.message}", file=sys.stderr)
        self.exitcode = outcome.exit_code
