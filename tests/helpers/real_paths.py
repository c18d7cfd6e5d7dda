"""Every path a page can take into the harvester, for the real-shaped corpus and the real page:
`parse`, a live crawl of the mirror, the stand-in Wayback Machine, a WARC of another crawler, the
same WARC in a WACZ, and a crawl kept with `--warc` through a server that answers `br` or `zstd`,
read back. Each path takes a mirror folder and gives what the harvester made of it."""

import contextlib
import io
import json
import subprocess
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import timestamp_to_iso_date
from warcio.warcwriter import WARCWriter

from harvester.cli import main as harvester_main
from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.mirror.layout import relative_file
from harvester.mirror.wayback.store import PlannedCapture, plan_from_mirror, write_store
from harvester.sources.content import encode_body
from tests.helpers.captures import standin, write_wacz
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, read_jsonl
from tests.helpers.serving import served_here

PATHS = ("parse", "live", "wayback", "warc", "wacz", "warc-br", "warc-zstd")
CAPTURED, REDIRECTED = "20240115093000", "20250301120000"
# How the WARC of "another crawler" keeps each page: as its server sent it, in turn.
CODINGS = (["br"], ["zstd"], ["gzip"], [], ["deflate"], ["gzip", "br"])
QUIET = ("-s", "HARVESTER_PROGRESS_INTERVAL=0")


@dataclass
class Harvest:
    """What one path made of a mirror: records by URL, rejects, the run folder (None for
    parse)."""

    records: dict[str, dict] = field(default_factory=dict)
    rejects: list[dict] = field(default_factory=list)
    run: Path | None = None
    stderr: str = ""


def document_files(root: Path) -> list[Path]:
    return sorted((root / "document").glob("*.html"))


def url_of(root: Path, page: Path) -> str:
    return f"{BASE}/{page.relative_to(root).as_posix().removesuffix('.html')}"


def crawl(out: Path, *args: str) -> Harvest:
    result = subprocess.run([*HARVESTER, "crawl", "archive", *args, "--out", str(out), *QUIET],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    run = out / "latest"
    return Harvest({r["url"]: r for r in read_jsonl(run / "documents.jsonl")},
                   read_jsonl(run / "rejects.jsonl"), run, result.stderr)


# -- the paths ----------------------------------------------------------------------------------
def by_parse(root: Path, out: Path) -> Harvest:
    """`harvester parse` on each saved document page."""
    harvest = Harvest()
    for page in document_files(root):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = harvester_main(["parse", str(page), "--url", url_of(root, page)])
        result = json.loads(printed.getvalue())
        if code == 0:
            harvest.records[result["url"]] = result
        else:
            harvest.rejects.append(result)
    return harvest


def by_live_crawl(root: Path, out: Path, faults: str = "", *extra: str) -> Harvest:
    plan = FaultPlan(parse_spec(faults)) if faults else None
    with served_here(root, faults=plan) as url:
        return crawl(out, "--base-url", url, "--public-base-url", BASE, *extra)


def by_wayback(root: Path, out: Path) -> Harvest:
    """The stand-in Wayback Machine holding a capture of every page of the mirror, its redirects
    indexed with mimetype `unk` as the real index lists most captured 301s
    (wayback-recordings/test_search_with_date.txt), and a newer capture of each document at
    `http://` that redirects to the `https://` page: a self-redirect."""
    store = out / "store"
    write_store(store, captures_of(root), root)
    with standin(store, faults="") as (_, url):
        return crawl(out / "run", "--source", "wayback", "--wayback-url", url)


def by_warc(root: Path, out: Path) -> Harvest:
    return crawl(out / "run", "--source", "warc", str(write_warc(out / "crawl.warc.gz", root)))


def by_wacz(root: Path, out: Path) -> Harvest:
    warc = write_warc(out / "crawl.warc.gz", root)
    return crawl(out / "run", "--source", "warc", str(write_wacz(out / "crawl.wacz", warc)))


def by_warc_round_trip(coding: str):
    def read_back(root: Path, out: Path) -> Harvest:
        live = by_live_crawl(root, out / "live", f"* encode={coding}", "--warc")
        return crawl(out / "back", "--source", "warc", str(live.run / "warc"))
    return read_back


HARVESTS = {"parse": by_parse, "live": by_live_crawl, "wayback": by_wayback, "warc": by_warc,
            "wacz": by_wacz, "warc-br": by_warc_round_trip("br"),
            "warc-zstd": by_warc_round_trip("zstd")}


# -- the captures of a mirror -------------------------------------------------------------------
def captures_of(root: Path) -> list[PlannedCapture]:
    captures = []
    for capture in plan_from_mirror(root, CAPTURED):
        if capture.location:
            captures.append(PlannedCapture(capture.original, CAPTURED, status=capture.status,
                                           mimetype="unk", location=capture.location))
            continue
        captures.append(capture)
        if "/document/" in capture.original:
            captures.append(PlannedCapture(
                capture.original.replace("https://", "http://", 1), REDIRECTED, status=301,
                mimetype="unk", location=capture.original))
    return captures


def write_warc(path: Path, root: Path) -> Path:
    """The mirror as another crawler's WARC: every answer as its server sent it, pages in the
    content codings of CODINGS in turn, redirects with empty bodies (so all of them share one
    payload digest, as in real WARCs)."""
    if path.exists():
        return path
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "crawler"}))
        for number, capture in enumerate(captures_of(root)):
            writer.write_record(warc_response(writer, root, capture, CODINGS[number % 6]))
    return path


def warc_response(writer: WARCWriter, root: Path, capture: PlannedCapture, codings: list[str]):
    headers = [("Content-Type", "text/html; charset=UTF-8")]
    if capture.location:
        body = b""
        headers = [("Location", capture.location), ("Content-Length", "0")]
    else:
        relative = relative_file(capture.original.removeprefix(BASE))
        body = encode_body((root / str(relative)).read_bytes(), codings)
        if codings:
            headers.append(("Content-Encoding", ", ".join(codings)))
        headers.append(("Content-Length", str(len(body))))
    status = f"{capture.status} {'Moved Permanently' if capture.location else 'OK'}"
    return writer.create_warc_record(
        capture.original, "response", payload=BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": timestamp_to_iso_date(capture.timestamp)})
