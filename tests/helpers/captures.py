"""The stand-in web archive the source tests read: captures of the bundled mirror, with every
case a real archive holds (see fixtures/captures/README.md for each capture and what a harvest
must make of it), and the stand-in serving them. Also the same captures as WARC files, for the
warc source."""

import gzip
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import timestamp_to_iso_date
from warcio.warcwriter import WARCWriter

from harvester.capture.rows import sha1_digest
from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.mirror.server import base_url
from harvester.mirror.wayback.lies import parse_lies
from harvester.mirror.wayback.server import serve_in_background
from harvester.mirror.wayback.store import PlannedCapture, write_store
from tests.helpers.pages import BASE, ROOT, SITE

CAPTURES = ROOT / "fixtures" / "captures"
T_OLD, T0, T1, T2, T3 = ("20190510101010", "20230601000000", "20240115093000",
                         "20250301120000", "20250601000000")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

PUZANOV = "journal-soviet-ambassador-dprk-am-puzanov-7-september-1960"
PUZANOV_TITLE = "Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 7 September 1960"
OLSZOWSKI = ("untitled-report-polish-minister-foreign-affairs-stefan-olszowski-"
             "concerning-his-meeting")
BIALEK = "col-mieczyslaw-bialek-record-conversation-marshall-soviet-union-com-zakharov-com-kim-il"
HUNGARIAN = ("report-hungarian-legation-pyongyang-hungarian-foreign-ministry-kim-il-sungs-"
             "views-kadar")
CEAUSESCU = "notes-talks-between-nicolae-ceausescu-and-kim-il-sung"
MAO = "minutes-conversation-between-mao-zedong-and-kim-il-sung-25-november-1958"
ZHIVKOV = "record-conversation-between-todor-zhivkov-and-kim-il-sung"
NOVOTNY = "record-conversation-between-antonin-novotny-and-kim-il-sung"
KHRUSHCHEV = "record-conversation-between-ns-khrushchev-and-kim-il-sung"
CIPHERED = "ciphered-telegram-no-405840-shtykov-feng-xi-stalin"
SHTYKOV_0 = "telegram-shtykov-gromyko-and-stalin-0"
OLD_SLUG = "shtykov-telegram-gromyko-stalin"   # an earlier address of Shtykov-0 (record 300188)
CHALLENGED = "only-challenged-page"
TOPIC = "conversations-kim-il-sung"
# The one capture the stand-in will not replay: it answers for itself with a redirect.
UNREPLAYABLE = f"/web/{T2}id_/{BASE}/document/{NOVOTNY}"
# The stand-in's faults in every source test: that capture answers with a redirect loop.
FAULTS = f"{UNREPLAYABLE} redirect-loop"


def page(slug: str) -> bytes:
    return (SITE / "document" / f"{slug}.html").read_bytes()


def document(slug: str) -> str:
    return f"{BASE}/document/{slug}"


def plan() -> list[PlannedCapture]:
    captures = []
    for file in sorted((SITE / "document").glob("*.html")):
        if file.stem != ZHIVKOV:
            captures.append(PlannedCapture(document(file.stem), T1, body=file.read_bytes()))
    zhivkov = page(ZHIVKOV)
    host = BASE.removeprefix("https://")
    captures += [
        # One page under other spellings of its address.
        PlannedCapture(f"http://{host}:80/document/{ZHIVKOV}", T1, body=zhivkov),
        PlannedCapture(f"http://www.{host}/document/{ZHIVKOV}/", T0, body=zhivkov),
        # Newer captures that are not the page.
        PlannedCapture(document(PUZANOV), T2, body=CHALLENGE_PAGE),
        PlannedCapture(document(OLSZOWSKI), T2, status=403, body=CHALLENGE_PAGE),
        PlannedCapture(document(BIALEK), T2, status=503, body=b"<h1>503</h1>"),
        PlannedCapture(document(HUNGARIAN), T2, body=page(HUNGARIAN)[:len(page(HUNGARIAN)) // 2]),
        PlannedCapture(document(CEAUSESCU), T3, revisit=True),
        PlannedCapture(document(MAO), T2, body=CHALLENGE_PAGE),
        PlannedCapture(document(MAO), T3, revisit=True),
        PlannedCapture(document(NOVOTNY), T2, body=page(NOVOTNY)),
        PlannedCapture(document(KHRUSHCHEV), T2, mimetype="application/pdf", body=PDF),
        # Old numeric addresses: captured redirects, and pages of the site before 2023. Both
        # redirects have empty bodies, so one digest, and are indexed `unk`; the second is
        # captured again as a revisit (wayback-recordings/test_search_with_date.txt).
        PlannedCapture(document("110360"), T1, status=301, location=document(CIPHERED)),
        PlannedCapture(document("300188"), T1, status=301, location=document(SHTYKOV_0)),
        PlannedCapture(document("300188"), T2, revisit=True),
        # A redirect to another spelling of its own address (`http` to `https`): the same page.
        PlannedCapture(f"http://{host}/document/{CIPHERED}", T2, status=302,
                       location=document(CIPHERED)),
        PlannedCapture(document("112127"), T_OLD,
                       body=(CAPTURES / "old-site-document-112127.html").read_bytes()),
        PlannedCapture(document("999999"), T_OLD,
                       body=(CAPTURES / "old-site-document-999999.html").read_bytes()),
        # Scans and exports under /document/.
        PlannedCapture(f"{BASE}/document/19442/download", T1, mimetype="application/pdf",
                       body=PDF),
        PlannedCapture(f"{BASE}/document/110360.pdf?v=0123456789abcdef0123456789abcdef", T1,
                       mimetype="application/pdf", body=PDF + b"%v\n"),
        # A page the archive only ever captured as a challenge.
        PlannedCapture(document(CHALLENGED), T2, body=CHALLENGE_PAGE),
        PlannedCapture(document(CHALLENGED), T1, status=403, body=CHALLENGE_PAGE),
        # An earlier address of a record, captured before its current one.
        PlannedCapture(document(OLD_SLUG), T0, body=page(SHTYKOV_0).replace(
            b"Telegram from Shtykov", b"Telegram (first version) from Shtykov")),
        # The topic page (a newer challenge too) and its list.
        PlannedCapture(f"{BASE}/topics/{TOPIC}", T1,
                       body=(SITE / "topics" / f"{TOPIC}.html").read_bytes()),
        PlannedCapture(f"{BASE}/topics/{TOPIC}", T2, body=CHALLENGE_PAGE),
    ]
    for file in sorted(SITE.glob("search@*.html")):
        query = file.name.removeprefix("search@").removesuffix(".html")
        captures.append(PlannedCapture(f"{BASE}/search?{query}", T1, body=file.read_bytes()))
    return captures


def build_store(out: Path, extra: list[PlannedCapture] = ()) -> Path:
    write_store(out, [*plan(), *extra])
    return out


@contextmanager
def standin(store: Path, faults: str = FAULTS, lies: str = "") -> Iterator[tuple]:
    """The stand-in Wayback Machine serving `store` on a thread, telling `lies`
    (harvester/mirror/wayback/lies.py) if asked: the server and its base URL."""
    server = serve_in_background(store, faults=FaultPlan(parse_spec(faults)),
                                 lies=parse_lies(lies) if lies else None)
    try:
        yield server, base_url(server)
    finally:
        server.shutdown()
        server.server_close()


def cdx_asked(server) -> list[dict]:
    """The census queries the stand-in was asked, in order, each as its parsed query."""
    return [parse_qs(urlsplit(t).query) for t in server.requests_made()
            if t.startswith("/cdx/")]


# -- the same captures as a WARC file ---------------------------------------------------------
def chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def write_warc(path: Path, captures: list[PlannedCapture]) -> Path:
    """Every capture as a WARC response record (a revisit as a revisit record naming the
    payload it repeats, with that answer's status and headers), with request and metadata
    records between them. Pages of reports are sent chunked, pages of records gzip-encoded: the
    reader must undo both. A redirect planned without a type is sent without one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    newest: dict[str, tuple[str, int, list, str]] = {}   # URL -> the last payload written
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {
            "software": "a researcher's crawler", "format": "WARC File Format 1.1"}))
        for capture in sorted(captures, key=lambda c: (c.timestamp, c.original)):
            date = timestamp_to_iso_date(capture.timestamp)
            warc_headers = {"WARC-Date": date}
            if capture.revisit:
                timestamp, status, repeated, digest = newest[capture.original]
                record = writer.create_revisit_record(
                    capture.original, digest, capture.original, timestamp_to_iso_date(timestamp),
                    http_headers=StatusAndHeaders(f"{status} Status", repeated,
                                                  protocol="HTTP/1.1"),
                    warc_headers_dict=warc_headers)
                writer.write_record(record)
                continue
            body = capture.body or b""
            redirect = 300 <= capture.status < 400
            mimetype = capture.mimetype or (None if redirect else "text/html")
            headers = [("Content-Type", mimetype)] if mimetype else []
            if capture.location:
                headers.append(("Location", capture.location))
            repeated = list(headers)
            slug = capture.original.rsplit("/", 1)[-1]
            if slug.startswith("record-"):
                body = gzip.compress(body, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
            if slug.startswith("report-"):
                body = chunked(body)
                headers.append(("Transfer-Encoding", "chunked"))
            else:
                headers.append(("Content-Length", str(len(body))))
            status = StatusAndHeaders(f"{capture.status} Status", headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(capture.original, "response",
                                               payload=BytesIO(body), length=len(body),
                                               http_headers=status,
                                               warc_headers_dict=warc_headers)
            writer.write_record(record)
            newest[capture.original] = (capture.timestamp, capture.status, repeated,
                                        record.rec_headers.get_header("WARC-Payload-Digest")
                                        or sha1_digest(body))
            request = writer.create_warc_record(
                capture.original, "request", http_headers=StatusAndHeaders(
                    f"GET {capture.original} HTTP/1.1", [("User-Agent", "crawler")],
                    protocol="GET"), warc_headers_dict=warc_headers)
            writer.write_record(request)
        writer.write_record(writer.create_warc_record(
            f"{BASE}/", "metadata", payload=BytesIO(b"outlinks: none\r\n"), length=16,
            warc_content_type="application/warc-fields"))
    return path


def write_wacz(path: Path, warc: Path) -> Path:
    """A WACZ holding the WARC (stored, as WACZ files store them) with its index files."""
    with zipfile.ZipFile(path, "w") as wacz:
        wacz.write(warc, f"archive/{warc.name}", compress_type=zipfile.ZIP_STORED)
        wacz.writestr("indexes/index.cdx", "")
        wacz.writestr("datapackage.json", json.dumps({"profile": "data-package",
                                                      "resources": []}))
    return path
