"""`harvester parse`: what one saved page yields, to debug a page in one step."""

import json
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_FAILED, EXIT_OK

# Byte order marks a saved page may start with, and how to read the rest.
BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def register(commands) -> None:
    parse = commands.add_parser("parse", help="print the record one saved page yields")
    parse.add_argument("file", type=Path, help="a saved HTML page")
    parse.add_argument("--url", required=True, help="the URL the page was saved from")
    parse.add_argument("--type", choices=["document", "topic", "listing", "person"],
                       help="page type (default: told by the URL)")
    parse.set_defaults(handler=run)


def looks_like_html(head: bytes) -> bool:
    """A saved page starts, after any byte order mark and white space, with markup (`<!DOCTYPE`,
    `<html`, a comment); an image, a PDF or an archive starts otherwise or holds NUL bytes."""
    for bom, codec in BOMS.items():
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "replace").encode("utf-8")
            break
    return b"\x00" not in head and head.lstrip(b" \t\r\n\f").startswith(b"<")


def run(args) -> int:
    from harvester.inspect import parse_saved_page

    if args.file.is_dir():
        raise UsageError(f"not an HTML page: {args.file} is a folder")
    with args.file.open("rb") as page:
        if not looks_like_html(page.read(1024)):
            raise UsageError(f"not an HTML page: {args.file}")
    result, ok = parse_saved_page(args.file, args.url, args.type)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK if ok else EXIT_FAILED
