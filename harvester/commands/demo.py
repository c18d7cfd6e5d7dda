"""`harvester demo`: serve the bundled mirror, crawl it, say what was published."""

import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.commands.crawl import PUBLIC_BASE_URL, crawl
from harvester.commands.writable import unwritable
from harvester.crawl import EXIT_OK
from harvester.mirror.bundled import BUNDLED_MIRROR

# The demo's records are the bundled mirror's: they never mix with a real harvest's.
DEMO_OUT = "demo"


def register(commands) -> None:
    demo = commands.add_parser("demo", help="crawl the bundled mirror and publish a run")
    demo.add_argument("--out", default=DEMO_OUT,
                      help="output folder the run is published in (its own: never output/, "
                           "where real runs go)")
    demo.add_argument("--mirror", type=Path, default=BUNDLED_MIRROR,
                      help="saved mirror to serve and crawl (default: the bundled mirror)")
    demo.set_defaults(handler=run)


def run(args) -> int:
    from harvester.inspect import describe_run
    from harvester.mirror.server import base_url, serve_in_background

    why = unwritable(Path(args.out))
    if why:  # said before the mirror is served
        raise UsageError(f"--out {args.out} is not a writable folder ({why})")
    server = serve_in_background(args.mirror)
    print(f"serving the mirror {args.mirror} at {base_url(server)}", file=sys.stderr)
    try:
        code = crawl([], base_url(server), args.out, PUBLIC_BASE_URL)
    finally:
        server.shutdown()
    if code == EXIT_OK:
        print(describe_run(Path(args.out) / "latest"))
    return code
