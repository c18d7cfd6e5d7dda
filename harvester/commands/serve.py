"""`harvester serve`: a saved mirror on 127.0.0.1, optionally with injected faults."""

from pathlib import Path

from harvester.crawl import EXIT_OK


def register(commands) -> None:
    serve = commands.add_parser("serve", help="serve a saved mirror on 127.0.0.1")
    serve.add_argument("dir", type=Path)
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    serve.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    serve.add_argument("--faults", metavar="SPEC",
                       help="fault rules (a file, or rules separated by ';'), e.g. "
                            "'/document/* status=503 first=2'; see harvester/mirror/faults.py")
    serve.add_argument("--log", action="store_true", help="log each request")
    serve.set_defaults(handler=run)


def run(args) -> int:
    from harvester.mirror.faults import FaultPlan, load_spec
    from harvester.mirror.server import serve_forever

    faults = FaultPlan(load_spec(args.faults)) if args.faults else None
    serve_forever(args.dir, args.port, args.delay, quiet=not args.log, faults=faults)
    return EXIT_OK
