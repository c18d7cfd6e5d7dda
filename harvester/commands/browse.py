"""`harvester browse [RUN] [--port N]`: the run's SQLite export in Datasette on 127.0.0.1, to
search, facet and read the documents in a browser; the first stdout line names the URL, as
`serve` does. `--save DIR` writes the database and its metadata for `datasette` or `datasette
publish` instead. Needs the `browse` extra (Datasette)."""

import json
import socket
import sys
import tempfile
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_FAILED, EXIT_OK
from harvester.extras import missing_extra


def register(commands) -> None:
    browse = commands.add_parser("browse", help="browse a published run in Datasette")
    browse.add_argument("run_dir", type=Path, nargs="?", default=Path("output/latest"),
                        metavar="RUN", help="a run folder")
    browse.add_argument("--port", type=int, default=8001, help="0 picks a free port")
    browse.add_argument("--save", type=Path, metavar="DIR",
                        help="write <run-id>.sqlite and metadata.json into DIR and exit, for "
                             "`datasette` or `datasette publish`")
    browse.set_defaults(handler=run)


def listening(port: int) -> socket.socket:
    """A socket on 127.0.0.1:port (0: a free one), bound before Datasette starts so its
    address can be printed first."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be 0-65535, got {port}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)  # connections wait in the backlog until Datasette takes them
    return sock


def prepare(run_dir: Path, folder: Path) -> tuple[Path, Path] | None:
    """The run's export and metadata in `folder`; None (said on stderr) when the run is not
    valid."""
    from harvester.dataset.browse import metadata
    from harvester.dataset.export_sqlite import export_sqlite
    from harvester.dataset.progress import Progress
    from harvester.dataset.source import RunNotValid, load_valid_run

    try:
        records, package, _ = load_valid_run(run_dir, trust=True, progress=Progress.silent())
    except RunNotValid as invalid:
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        print(f"harvester: not browsable: {invalid}", file=sys.stderr)
        return None
    name = str(package.get("run_id") or "run")
    db = folder / f"{name}.sqlite"
    export_sqlite(records, package, db)
    meta = folder / "metadata.json"
    meta.write_text(json.dumps(metadata(db, name, records.documents, package),
                               ensure_ascii=False, indent=2) + "\n", "utf-8")
    return db, meta


def serve(db: Path, meta: Path, sock: socket.socket) -> None:
    try:
        import uvicorn
        from datasette.app import Datasette
    except ImportError as missing:
        raise missing_extra("browse", "browse", missing.name or "datasette") from None
    datasette = Datasette([str(db)], immutables=[], metadata=json.loads(meta.read_text("utf-8")),
                          settings={"default_page_size": 20})
    host, port = sock.getsockname()
    print(f"http://{host}:{port}/", flush=True)
    server = uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on"))
    server.run(sockets=[sock])


def run(args) -> int:
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        saved = prepare(args.run_dir, args.save)
        if saved is None:
            return EXIT_FAILED
        print("\n".join(str(path) for path in saved))
        return EXIT_OK
    sock = listening(args.port)
    with tempfile.TemporaryDirectory(prefix="harvester-browse-") as folder:
        prepared = prepare(args.run_dir, Path(folder))
        if prepared is None:
            return EXIT_FAILED
        serve(*prepared, sock)
    return EXIT_OK
