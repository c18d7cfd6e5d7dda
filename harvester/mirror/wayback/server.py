"""The stand-in Wayback Machine on 127.0.0.1: CDX queries, raw replay and injected faults.

It reuses the mirror's handler for everything but what a request finds (`page`), so the fault
rules behave exactly as on the mirror: faults that replace the answer are the archive refusing
(no Memento-Datetime), faults that damage a page damage the replayed capture.
"""

import re
import threading
from datetime import UTC, datetime
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path

from harvester.mirror.faults import FaultPlan
from harvester.mirror.server import (
    IDLE_TIMEOUT,
    Answer,
    MirrorHandler,
    MirrorServer,
    announce_and_serve,
    base_url,
    listening,
)
from harvester.mirror.wayback import cdx
from harvester.mirror.wayback.lies import Lies
from harvester.mirror.wayback.store import UNKNOWN_MIMETYPE, Capture, CaptureStore
from harvester.mirror.wayback.surt import urlkey

CDX_PATH = "/cdx/search/cdx"
ARCHIVE_SOURCE = "standin.warc.gz"
# `/web/<timestamp>id_/<url>` (raw) or `/web/<timestamp>/<url>` (view mode).
_REPLAY = re.compile(r"/web/(\d{14})(id_)?/(.+)", re.DOTALL)
_COLLAPSED_SLASH = re.compile(r"^(https?):/(?!/)", re.IGNORECASE)
_NOT_ARCHIVED = b"<html><body><h1>Not found: this URL has no capture</h1></body></html>\n"
_EXCLUDED = (b"<!DOCTYPE html>\n<html><head><title>Wayback Machine</title></head><body><p>Sorry."
             b" This URL has been excluded from the Wayback Machine.</p></body></html>\n")
REPLAYED_UNKNOWN = "text/html; charset=UTF-8"


class WaybackServer(MirrorServer):
    """The loopback server, keeping its store and, for tests, every request target in order."""

    def __init__(self, address: tuple[str, int], handler: type, store: CaptureStore) -> None:
        super().__init__(address, handler)
        self.store = store
        self.requests: list[str] = []
        self._requests_lock = threading.Lock()

    def record(self, target: str) -> None:
        with self._requests_lock:
            self.requests.append(target)

    def requests_made(self) -> list[str]:
        with self._requests_lock:
            return list(self.requests)


class WaybackHandler(MirrorHandler):
    server_version = "harvester-wayback/0.1"
    server: WaybackServer
    max_target = 8192  # a replay target holds a whole URL of the site after its own prefix
    lies: Lies | None = None   # answers a lying archive would give (wayback/lies.py)

    def answer(self, with_body: bool) -> None:
        self.server.record(self.path)
        super().answer(with_body)

    def page(self) -> Answer:
        """What the archive answers for this request, before any fault."""
        path, _, query = self.path.partition("?")
        if path == CDX_PATH:
            def truly(asked: str) -> tuple[int, dict[str, str], bytes]:
                return cdx.answer(self.server.store, asked)

            return Answer(*(self.lies.cdx(query, truly) if self.lies else truly(query)))
        match = _REPLAY.fullmatch(self.path)
        if match is None:
            return not_archived()
        return self.replay(match[1], match[2] or "", _COLLAPSED_SLASH.sub(r"\1://", match[3]))

    def replay(self, timestamp: str, mode: str, url: str) -> Answer:
        try:
            captures = self.server.store.captures_of(urlkey(url))
        except ValueError:
            return not_archived()
        if not captures:
            return not_archived()
        if self.server.store.blocks(captures[0].urlkey):
            return excluded()
        exact = next((c for c in captures if c.timestamp == timestamp), None)
        if exact is None:
            try:
                nearest = nearest_capture(captures, timestamp)
            except ValueError:   # 14 digits that are no time (a lying index's)
                return not_archived()
            return Answer(HTTPStatus.FOUND, {"Location": self.archived(nearest, mode)})
        headers = {"Content-Type": replayed_type(exact.mimetype),
                   "Memento-Datetime": http_date(exact.timestamp),
                   "Link": f'<{exact.original}>; rel="original"',
                   "X-Archive-Src": ARCHIVE_SOURCE}
        if 300 <= exact.status < 400 and exact.location:
            headers["Location"] = self.archived(exact, mode, exact.location)
        if self.lies is not None:
            headers = self.lies.replay_headers(headers, self.path)
        return Answer(exact.status, headers, self.server.store.body(exact.body))

    def archived(self, capture: Capture, mode: str, url: str | None = None) -> str:
        """Where the archive holds a URL at a capture's time, in the request's replay mode."""
        return f"{base_url(self.server)}/web/{capture.timestamp}{mode}/{url or capture.original}"

    def send(self, answer: Answer, with_body: bool, length: int | None = None,
             cut_at: int | None = None) -> None:
        if answer.status != HTTPStatus.NOT_FOUND or answer.body:
            super().send(answer, with_body, length, cut_at)
            return
        # A captured 404 may be empty: it is content, not the mirror's own "not found" page.
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


def replayed_type(mimetype: str) -> str:
    """The Content-Type a replay is sent with: a capture indexed `unk` (most redirects) is
    replayed as `text/html; charset=UTF-8` (wayback-recordings/
    test_get_memento_with_redirects.txt)."""
    return REPLAYED_UNKNOWN if mimetype == UNKNOWN_MIMETYPE else mimetype


def excluded() -> Answer:
    """A replay of an excluded site: the archive's own page, 200 without Memento-Datetime
    (wayback-recordings/test_get_memento_raises_blocked_error.txt)."""
    return Answer(HTTPStatus.OK, {"Content-Type": "text/html; charset=utf-8"}, _EXCLUDED)


def not_archived() -> Answer:
    return Answer(HTTPStatus.NOT_FOUND, {"Content-Type": "text/html; charset=utf-8"},
                  _NOT_ARCHIVED)


def moment(timestamp: str) -> datetime:
    return datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def http_date(timestamp: str) -> str:
    return formatdate(moment(timestamp).timestamp(), usegmt=True)


def nearest_capture(captures: list[Capture], timestamp: str) -> Capture:
    """The capture closest in time; on a tie the earlier (captures come sorted by time)."""
    wanted = moment(timestamp)
    return min(captures, key=lambda c: (abs((moment(c.timestamp) - wanted).total_seconds()),
                                        c.timestamp))


def make_server(store: Path, port: int = 0, faults: FaultPlan | None = None,
                quiet: bool = True, idle_timeout: float = IDLE_TIMEOUT,
                lies: Lies | None = None) -> WaybackServer:
    """A server bound to 127.0.0.1 (port 0 picks a free one); call serve_forever() on it."""
    store = store.resolve()
    captures = CaptureStore(store)
    handler = type("Handler", (WaybackHandler,), {
        "root": store, "redirects": {}, "quiet": quiet, "faults": faults,
        "timeout": idle_timeout, "lies": lies})
    return listening(WaybackServer, port, handler, captures)


def serve_in_background(store: Path, port: int = 0, faults: FaultPlan | None = None,
                        idle_timeout: float = IDLE_TIMEOUT,
                        lies: Lies | None = None) -> WaybackServer:
    """Started on a daemon thread. It checks for shutdown often: tests start one per case."""
    server = make_server(store, port, faults, idle_timeout=idle_timeout, lies=lies)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


def serve_forever(store: Path, port: int, quiet: bool, faults: FaultPlan | None = None,
                  idle_timeout: float = IDLE_TIMEOUT) -> None:
    announce_and_serve(make_server(store, port, faults, quiet, idle_timeout), store, faults)
