"""WARC and WACZ files written to fool the harvester (docs/RELIABILITY.md, "Web archives that
lie"): replays of the archive claimed on any host, a warcinfo that maps another site onto the
archive, digests that are not their payloads', a record of zeros far longer than any run could
read, a zip bomb, garbage with terminal escapes. Each is written here with warcio, from the
bundled mirror's pages, so the hostile trait is readable in code."""

import os
import zipfile
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.helpers.pages import BASE, SITE

HTML = [("Content-Type", "text/html; charset=utf-8")]
PUZANOV = "journal-soviet-ambassador-dprk-am-puzanov-7-september-1960"
STALIN = "record-conversation-between-iv-stalin-and-kim-il-sung"
FORGED_TITLE = b"Forged title of a page no archive captured"
# Bytes a link or a garbage file must never let out of the harvester.
SECRET = b"password=correct-horse-battery-staple\n"
ESCAPES = b"\x1b]0;pwned\x07\x1b[2J\x1b[31mred"


def page(slug: str) -> bytes:
    return (SITE / "document" / f"{slug}.html").read_bytes()


def forged(slug: str) -> bytes:
    """The page with its title replaced: what a forged capture would publish."""
    text = page(slug)
    start = text.index(b"<h1")
    end = text.index(b"</h1>", start)
    return text[:text.index(b">", start) + 1] + FORGED_TITLE + text[end:]


def response(writer: WARCWriter, url: str, date: str, body: bytes,
             headers: list[tuple[str, str]] = HTML, **warc_headers: str) -> None:
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date, **warc_headers}))


def write_records(path: Path, records: list[tuple[str, str, bytes]],
                  info: dict[str, str] | None = None, **warc_headers: str) -> Path:
    """A gzipped WARC of 200 answers (url, WARC-Date, body), after a warcinfo record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, info or {
            "software": "a crawler"}))
        for url, date, body in records:
            response(writer, url, date, body, **warc_headers)
    return path


def spoofed_replay(path: Path, host: str, timestamp: str) -> Path:
    """A replay of Puzanov's page, forged, claimed on `host` at `timestamp` (its path says the
    time; its Memento-Datetime agrees, as a careful forger's would)."""
    from harvester.mirror.wayback.server import http_date

    url = f"http://{host}/web/{timestamp}id_/{BASE}/document/{PUZANOV}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="1.1")
        response(writer, url, "2024-02-01T00:00:00Z", forged(PUZANOV),
                 [*HTML, ("Memento-Datetime", http_date(timestamp))])
    return path


def mapped_foreign_site(path: Path) -> Path:
    """A warcinfo claiming that another site's pages are the archive's: example.org's page
    would be published as `…/document/not-in-archive`."""
    return write_records(path, [("http://example.org/document/not-in-archive",
                                 "2024-01-15T09:30:00Z", page(STALIN).replace(
                                     b"112127", b"990001"))],
                         info={"software": "harvester/0.1", "base-url": "http://example.org",
                               "public-base-url": BASE})


def one_digest_for_all(path: Path, slugs: list[str]) -> Path:
    """Each page under the one payload digest of the first: a lying index of the files."""
    from harvester.capture.rows import sha1_digest

    digest = sha1_digest(page(slugs[0]))
    return write_records(path, [(f"{BASE}/document/{slug}", "2024-01-15T09:30:00Z", page(slug))
                                for slug in slugs], **{"WARC-Payload-Digest": digest})


def endless_zeros(path: Path, length: int) -> Path:
    """An uncompressed WARC: a warcinfo record, then a response whose `length` bytes of
    payload are a hole of zeros in a sparse file (costing no disk), far more than a run
    could read before a signal stops it."""
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=False, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "zeros"}))
        file.write(f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {BASE}/document/zeros"
                   f"\r\nWARC-Date: 2024-01-15T09:30:00Z\r\nContent-Type: application/http; "
                   f"msgtype=response\r\nContent-Length: {length}\r\n\r\n".encode())
        file.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        start = file.tell()
    os.truncate(path, start + length)
    return path


def bomb_wacz(path: Path, good: Path, inflated: int) -> Path:
    """A WACZ holding a good WARC (stored) and a deflated member of a WARC header line that
    `inflated` zeros go on: a zip bomb, a thousand times its size, whose one line a reader
    would read for ever."""
    bomb = zipfile.ZipInfo("archive/bomb.warc")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as wacz:
        wacz.write(good, f"archive/{good.name}", compress_type=zipfile.ZIP_STORED)
        with wacz.open(bomb, "w", force_zip64=True) as member:
            member.write(b"WARC/1.1\r\nWARC-Type: response\r\n")
            chunk = b"\0" * (1 << 20)
            for _ in range(inflated >> 20):
                member.write(chunk)
        wacz.writestr("datapackage.json", '{"profile": "data-package", "resources": []}')
    return path

