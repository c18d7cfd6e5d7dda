"""`harvester parse`: what one saved page yields, to debug a page in one step."""

import json
from pathlib import Path

from harvester.crawl import EXIT_FAILED, EXIT_OK


def register(commands) -> None:
    parse = commands.add_parser("parse", help="print the record one saved page yields")
    parse.add_argument("file", type=Path)
    parse.add_argument("--url", required=True, help="the URL the page was saved from")
    parse.add_argument("--type", choices=["document", "topic", "listing"],
                       help="page type (default: from the URL)")
    parse.set_defaults(handler=run)


def run(args) -> int:
    from harvester.inspect import parse_saved_page

    result, ok = parse_saved_page(args.file, args.url, args.type)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK if ok else EXIT_FAILED
