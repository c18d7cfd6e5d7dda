"""The `harvester` command: crawl, parse one saved page, serve a mirror, run the demo."""

import argparse
import json
import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_FAILED, EXIT_OK, EXIT_USAGE, run_spider
from harvester.spiders.base import check_base_url
from harvester.spiders.topic import parse_slugs

PUBLIC_BASE_URL = "https://digitalarchive.wilsoncenter.org"
BUNDLED_MIRROR = Path(__file__).resolve().parent.parent / "fixtures" / "site"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harvester", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="harvest and publish a run under --out")
    crawl.add_argument("spider", choices=["topic"], help="what to harvest")
    crawl.add_argument("slugs", nargs="*", metavar="SLUG",
                       help="topic slugs (default: conversations-kim-il-sung)")
    crawl.add_argument("--base-url", help=f"site to crawl (default: {PUBLIC_BASE_URL}, "
                                          "or $HARVESTER_BASE_URL)")
    crawl.add_argument("--out", help="output folder (default: output)")
    crawl.add_argument("--public-base-url",
                       help="write record URLs against this base (when crawling a mirror)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting")
    crawl.add_argument("-v", "--verbose", action="store_true", help="Scrapy's log at INFO")

    parse = commands.add_parser("parse", help="print the record one saved page yields")
    parse.add_argument("file", type=Path)
    parse.add_argument("--url", required=True, help="the URL the page was saved from")
    parse.add_argument("--type", choices=["document", "topic", "listing"],
                       help="page type (default: from the URL)")

    serve = commands.add_parser("serve", help="serve a saved mirror on 127.0.0.1")
    serve.add_argument("dir", type=Path)
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    serve.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    serve.add_argument("--log", action="store_true", help="log each request")

    demo = commands.add_parser("demo", help="crawl the bundled mirror and publish a run")
    demo.add_argument("--out", default="output")
    demo.add_argument("--mirror", type=Path, default=BUNDLED_MIRROR)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"crawl": cmd_crawl, "parse": cmd_parse, "serve": cmd_serve,
                "demo": cmd_demo}[args.command](args)
    except (UsageError, ValueError, FileNotFoundError) as error:
        print(f"harvester: {error}", file=sys.stderr)
        return EXIT_USAGE


def settings_from(pairs: list[str]) -> dict:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        overrides[name] = value
    return overrides


def crawl(slugs: list[str], base_url: str | None, out: str | None, public_base: str | None,
          verbose: bool, extra: dict) -> int:
    overrides = {
        "HARVESTER_BASE_URL": check_base_url(base_url) if base_url else None,
        "HARVESTER_OUTPUT_DIR": out,
        "HARVESTER_PUBLIC_BASE_URL": check_base_url(public_base) if public_base else None,
        "LOG_LEVEL": "INFO" if verbose else "WARNING",
        **extra,
    }
    outcome = run_spider("topic", {"topics": parse_slugs(slugs or None)}, overrides)
    print(f"harvester: {outcome.message}", file=sys.stderr)
    return outcome.exit_code


def cmd_crawl(args) -> int:
    return crawl(args.slugs, args.base_url, args.out, args.public_base_url, args.verbose,
                 settings_from(args.set))


def cmd_parse(args) -> int:
    from harvester.inspect import parse_saved_page

    result, ok = parse_saved_page(args.file, args.url, args.type)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK if ok else EXIT_FAILED


def cmd_serve(args) -> int:
    from harvester.mirror.server import serve_forever

    serve_forever(args.dir, args.port, args.delay, quiet=not args.log)
    return EXIT_OK


def cmd_demo(args) -> int:
    from harvester.mirror.server import base_url, serve_in_background

    server = serve_in_background(args.mirror)
    print(f"serving the bundled mirror {args.mirror} at {base_url(server)}", file=sys.stderr)
    code = crawl([], base_url(server), args.out, PUBLIC_BASE_URL, False, {})
    server.shutdown()
    if code == EXIT_OK:
        from harvester.inspect import describe_run

        print(describe_run(Path(args.out) / "latest"))
    return code


if __name__ == "__main__":
    sys.exit(main())
