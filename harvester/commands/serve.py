"""`harvester serve`: a saved mirror (or, with --wayback, a capture store served as a stand-in
Wayback Machine) on 127.0.0.1, optionally with injected faults."""

import math
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_OK
from harvester.mirror.server import IDLE_TIMEOUT


def register(commands) -> None:
    serve = commands.add_parser("serve", help="serve a saved mirror on 127.0.0.1")
    serve.add_argument("dir", type=Path, metavar="DIR",
                       help="a saved mirror (or, with --wayback, a capture store)")
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    serve.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    serve.add_argument("--idle-timeout", type=float, default=IDLE_TIMEOUT, metavar="S",
                       help="close a connection that sends nothing for S seconds")
    serve.add_argument("--faults", metavar="SPEC",
                       help="fault rules (a file, or rules separated by ';'), e.g. "
                            "'/document/* status=503 first=2'; see harvester/mirror/faults.py")
    serve.add_argument("--wayback", action="store_true",
                       help="DIR is a capture store: serve it as a stand-in Wayback Machine "
                            "(CDX queries and raw replay); see harvester/mirror/wayback")
    serve.add_argument("--log", action="store_true", help="log each request")
    serve.set_defaults(handler=run)


def seconds(option: str, value: float, zero: bool) -> float:
    """A finite number of seconds, not negative (nor zero unless `zero`)."""
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        kind = "a number of seconds" + (" not below 0" if zero else " above 0")
        raise UsageError(f"{option} must be {kind}, got {value:g}")
    return value


def run(args) -> int:
    from harvester.mirror.faults import FaultPlan, load_spec

    seconds("--delay", args.delay, zero=True)
    idle = seconds("--idle-timeout", args.idle_timeout, zero=False)
    faults = FaultPlan(load_spec(args.faults)) if args.faults else None
    if args.wayback:
        from harvester.mirror.wayback.server import serve_forever as serve_wayback

        if args.delay:
            raise ValueError("--delay does not apply to --wayback; use --faults '* slow=S'")
        serve_wayback(args.dir, args.port, quiet=not args.log, faults=faults, idle_timeout=idle)
        return EXIT_OK
    from harvester.mirror.server import serve_forever

    serve_forever(args.dir, args.port, args.delay, quiet=not args.log, faults=faults,
                  idle_timeout=idle)
    return EXIT_OK
