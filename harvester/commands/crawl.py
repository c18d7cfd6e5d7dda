"""`harvester crawl`: harvest and publish a run."""

import sys

from scrapy.exceptions import UsageError

from harvester.crawl import run_spider
from harvester.spiders.base import check_base_url
from harvester.spiders.topic import parse_slugs

PUBLIC_BASE_URL = "https://digitalarchive.wilsoncenter.org"


def register(commands) -> None:
    crawl = commands.add_parser("crawl", help="harvest and publish a run under --out")
    crawl.add_argument("spider", choices=["topic", "archive"],
                       help="one or more topics, or the whole archive")
    crawl.add_argument("slugs", nargs="*", metavar="SLUG",
                       help="topic slugs (topic only; default: conversations-kim-il-sung)")
    crawl.add_argument("--incremental", action="store_true",
                       help="fetch only what is new, plus a budget of re-checks (see README)")
    crawl.add_argument("--full-sweep", action="store_true",
                       help="walk every listing page and re-check every known document")
    crawl.add_argument("--base-url", help=f"site to crawl (default: {PUBLIC_BASE_URL}, "
                                          "or $HARVESTER_BASE_URL)")
    crawl.add_argument("--out", help="output folder (default: output)")
    crawl.add_argument("--public-base-url",
                       help="write record URLs against this base (when crawling a mirror)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting")
    crawl.add_argument("-v", "--verbose", action="store_true", help="Scrapy's log at INFO")
    crawl.set_defaults(handler=run)


def settings_from(pairs: list[str]) -> dict:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        overrides[name] = value
    return overrides


def crawl(slugs: list[str], base_url: str | None, out: str | None, public_base: str | None,
          verbose: bool = False, extra: dict | None = None, spider: str = "topic",
          incremental: bool = False, full_sweep: bool = False) -> int:
    overrides = {
        "HARVESTER_BASE_URL": check_base_url(base_url) if base_url else None,
        "HARVESTER_OUTPUT_DIR": out,
        "HARVESTER_PUBLIC_BASE_URL": check_base_url(public_base) if public_base else None,
        "LOG_LEVEL": "INFO" if verbose else "WARNING",
        **(extra or {}),
    }
    arguments = {"incremental": incremental, "full_sweep": full_sweep}
    if spider == "topic":
        arguments["topics"] = parse_slugs(slugs or None)
    elif slugs:
        raise UsageError("the archive spider takes no topic slugs")
    outcome = run_spider(spider, arguments, overrides)
    print(f"harvester: {outcome.message}", file=sys.stderr)
    return outcome.exit_code


def run(args) -> int:
    return crawl(args.slugs, args.base_url, args.out, args.public_base_url, args.verbose,
                 settings_from(args.set), args.spider, args.incremental, args.full_sweep)
