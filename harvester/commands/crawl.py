"""`harvester crawl`: harvest and publish a run, from the live site (or a mirror of it), from a
web archive's captures, or from WARC files."""

import argparse
import json
import sys
from dataclasses import dataclass, field

from scrapy.exceptions import UsageError

from harvester.capture.rows import check_partial_date, check_window
from harvester.commands.writable import unwritable
from harvester.crawl import EXIT_FAILED, EXIT_OK, project_settings, run_spider
from harvester.settings.checks import check_settings
from harvester.settings.output import output_dir
from harvester.site_urls import ARCHIVE_URL
from harvester.spiders.base import check_base_url, check_limit
from harvester.spiders.topic import parse_slugs

PUBLIC_BASE_URL = ARCHIVE_URL
SOURCES = ("live", "wayback", "warc")
URL_SETTINGS = ("HARVESTER_BASE_URL", "HARVESTER_PUBLIC_BASE_URL", "HARVESTER_WAYBACK_URL")


@dataclass
class Source:
    """Where the pages come from, as the command line gives it."""

    kind: str = "live"
    paths: list[str] = field(default_factory=list)
    wayback_url: str | None = None
    captured_from: str | None = None
    captured_to: str | None = None


def register(commands) -> None:
    crawl = commands.add_parser("crawl", help="harvest and publish a run under --out")
    crawl.add_argument("spider", choices=["topic", "archive"],
                       help="one or more topics, or the whole archive")
    crawl.add_argument("slugs", nargs="*", metavar="SLUG",
                       help="topic slugs (topic only; default: conversations-kim-il-sung)")
    crawl.add_argument("--source", nargs="+", metavar=("KIND", "PATH"), default=["live"],
                       help="where pages come from: live (default; the site or a mirror at "
                            "--base-url), wayback (a web archive's captures), or warc followed "
                            "by WARC, ARC or WACZ files (gzipped or not) or folders of them")
    crawl.add_argument("--wayback-url", help="the web archive (default: the Internet Archive's "
                                             "Wayback Machine, or $HARVESTER_WAYBACK_URL); "
                                             "with warc, the web archive whose replays the "
                                             "files hold (none is trusted unless named)")
    crawl.add_argument("--captured-from", metavar="YYYY[MM[DD]]",
                       help="only captures from this date on (wayback, warc)")
    crawl.add_argument("--captured-to", metavar="YYYY[MM[DD]]",
                       help="only captures up to this date, inclusive (wayback, warc)")
    crawl.add_argument("--list-captures", action="store_true",
                       help="wayback: count what the web archive holds (kinds of page, years, "
                            "statuses, document URLs) without replaying anything; --json for "
                            "machine-readable output")
    crawl.add_argument("--json", action="store_true", help="--list-captures as JSON")
    crawl.add_argument("--warc", action="store_true",
                       help="also keep every response fetched, with its request, as WARC "
                            "files in <run>/warc/")
    crawl.add_argument("--people-pages", action="store_true",
                       help="also read the page of each person the documents link, for the "
                            "people index's life dates and descriptions (live and warc)")
    crawl.add_argument("--incremental", action="store_true",
                       help="fetch only what is new, plus a budget of re-checks (see README)")
    crawl.add_argument("--full-sweep", action="store_true",
                       help="walk every listing page and re-check every known document")
    crawl.add_argument("--limit", type=limit_argument, metavar="N",
                       help="a trial run: stop after N documents and publish the run as "
                            "<run-id>-partial, without switching latest or counting it as a sweep")
    crawl.add_argument("--base-url", help=f"site to crawl (default: {PUBLIC_BASE_URL}, "
                                          "or $HARVESTER_BASE_URL); with wayback or warc, the "
                                          "site whose captures to read")
    crawl.add_argument("--out", help="output folder (default: output)")
    crawl.add_argument("--public-base-url",
                       help="write record URLs against this base (when crawling a mirror)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting")
    crawl.add_argument("-v", "--verbose", action="store_true",
                       help="Scrapy's log at INFO, and an error's traceback")
    crawl.set_defaults(handler=run)


def limit_argument(value: str) -> int:
    try:
        return check_limit(value)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def settings_from(pairs: list[str]) -> dict:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        overrides[name] = value
    return overrides


def source_from(args) -> Source:
    kind, *paths = args.source
    if kind not in SOURCES:
        raise UsageError(f"--source is one of {', '.join(SOURCES)}, got {kind!r}")
    if kind == "warc" and not paths:
        raise UsageError("--source warc needs WARC, ARC or WACZ files or folders")
    if kind != "warc" and paths:
        raise UsageError(f"--source {kind} takes no paths (got {' '.join(paths)})")
    if kind != "wayback" and args.list_captures:
        raise UsageError("--list-captures goes with --source wayback")
    if kind == "live" and args.wayback_url:
        raise UsageError("--wayback-url goes with --source wayback or warc")
    if kind == "live" and (args.captured_from or args.captured_to):
        raise UsageError("--captured-from and --captured-to go with --source wayback or warc")
    if kind != "live" and args.full_sweep:
        raise UsageError("--full-sweep is for the live site: a web archive never forgets a "
                         "page, so its runs cannot tell a removal")
    if kind == "warc" and args.warc:
        raise UsageError("--warc keeps what a crawl fetches; a warc source fetches nothing")
    if kind == "warc":
        check_warc_paths(args, paths)
    source = Source(kind, paths, check_base_url(args.wayback_url) if args.wayback_url else None,
                    check_partial_date(args.captured_from, "--captured-from")
                    if args.captured_from else None,
                    check_partial_date(args.captured_to, "--captured-to")
                    if args.captured_to else None)
    check_window(source.captured_from, source.captured_to)
    return source


def check_warc_paths(args, paths: list[str]) -> None:
    """What a WARC run would refuse, said before any work: a path not there or not one
    readable file (exit 2), and --incremental."""
    from harvester.sources.warcfind import find_warcs
    from harvester.spiders.warc import INCREMENTAL_REFUSED, member_limits

    if args.incremental:
        raise UsageError(INCREMENTAL_REFUSED)
    find_warcs(paths, member_limits(project_settings(settings_from(args.set))))


def check_environment(overrides: dict, source: Source, out_label: str | None) -> None:
    """What a crawl would otherwise find only once Scrapy runs, with a traceback or halfway
    through: the base URLs however given (option, `-s` or environment), every other setting
    (harvester.settings.checks) and, for a run to publish (`out_label`), an output folder that
    can be written."""
    settings = project_settings(overrides)
    for name in URL_SETTINGS:
        value = settings.get(name)
        if name == "HARVESTER_WAYBACK_URL" and (source.kind != "wayback" or source.wayback_url):
            continue  # unused, or --wayback-url given
        if value or (name == "HARVESTER_BASE_URL" and source.kind == "live"):
            try:
                check_base_url(value or "")
            except UsageError as error:
                raise UsageError(f"{name}: {error}") from None
    check_settings(settings)
    out = output_dir(settings.get("HARVESTER_OUTPUT_DIR"))
    why = unwritable(out) if out_label else None
    if why:
        raise UsageError(f"{out_label} {out} is not a writable folder ({why})")


def crawl(slugs: list[str], base_url: str | None, out: str | None, public_base: str | None,
          verbose: bool = False, extra: dict | None = None, spider: str = "topic",
          incremental: bool = False, full_sweep: bool = False,
          source: Source | None = None, keep_warc: bool = False, limit: int | None = None,
          people_pages: bool = False) -> int:
    source = source or Source()
    if out is not None and not out.strip():
        raise UsageError("--out is empty: name the folder to publish the run in")
    overrides = {
        "HARVESTER_BASE_URL": check_base_url(base_url) if base_url else None,
        "HARVESTER_OUTPUT_DIR": out,
        "HARVESTER_PUBLIC_BASE_URL": check_base_url(public_base) if public_base else None,
        "HARVESTER_WARC": True if keep_warc else None,
        "HARVESTER_LIMIT": limit,
        "HARVESTER_PEOPLE_PAGES": True if people_pages else None,
        "LOG_LEVEL": "INFO" if verbose else "WARNING",
        **(extra or {}),
    }
    arguments: dict = {"incremental": incremental}
    if spider == "topic":
        arguments["topics"] = parse_slugs(slugs or None)
    elif slugs:
        raise UsageError("the archive spider takes no topic slugs")
    if source.kind == "live":
        arguments["full_sweep"] = full_sweep
        name = spider
    else:
        name = source.kind
        arguments.update(captured_from=source.captured_from, captured_to=source.captured_to)
        arguments["wayback_url"] = source.wayback_url
        if source.kind == "warc":
            arguments["paths"] = source.paths
    check_environment(overrides, source, "--out" if out else "HARVESTER_OUTPUT_DIR")
    outcome = run_spider(name, arguments, overrides)
    print(f"harvester: {outcome.message}", file=sys.stderr)
    return outcome.exit_code


def census(args, source: Source) -> int:
    """`--list-captures`: the census printed, nothing replayed or published."""
    from harvester.spiders.census import CensusTaken, census_text

    overrides = {"HARVESTER_BASE_URL": check_base_url(args.base_url) if args.base_url else None,
                 "LOG_LEVEL": "INFO" if args.verbose else "WARNING",
                 **settings_from(args.set)}
    check_environment(overrides, source, None)
    taken = CensusTaken()
    arguments = {"wayback_url": source.wayback_url, "captured_from": source.captured_from,
                 "captured_to": source.captured_to, "taken": taken}
    outcome = run_spider("wayback-census", arguments, overrides, publishes=False)
    report = taken.report
    if report is None:
        print(f"harvester: {outcome.message}", file=sys.stderr)
        return outcome.exit_code
    print(json.dumps(report, indent=2) if args.json else census_text(report))
    if report["failures"]:
        print("harvester: census incomplete: " + "; ".join(report["failures"]), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK if outcome.exit_code == EXIT_OK else outcome.exit_code


def run(args) -> int:
    source = source_from(args)
    if args.people_pages and source.kind == "wayback":
        raise UsageError("--people-pages goes with the live site or --source warc: a web "
                         "archive's census does not ask for people's pages")
    if args.list_captures:
        if args.slugs:
            raise UsageError("--list-captures counts the whole site's captures: no slugs")
        return census(args, source)
    return crawl(args.slugs, args.base_url, args.out, args.public_base_url, args.verbose,
                 settings_from(args.set), args.spider, args.incremental, args.full_sweep,
                 source, args.warc, args.limit, args.people_pages)
