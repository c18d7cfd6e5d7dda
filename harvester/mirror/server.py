"""`harvester serve`: a saved mirror served on loopback, exactly as the site would answer, or,
with a fault plan, as a struggling or hostile site would (see `harvester.mirror.faults`).

Only files inside the mirror folder are served, once every link is followed; a request target
over MAX_TARGET bytes gets 414, and a connection that sends nothing for IDLE_TIMEOUT seconds is
closed, so a client cannot read outside the mirror or hold its threads.
"""

import hashlib
import mimetypes
import socket
import struct
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import ClassVar, TypeVar

from harvester.mirror import hostile
from harvester.mirror.faults import FaultPlan, Rule
from harvester.mirror.layout import is_hidden, load_redirects, redirect_key, relative_file
from harvester.mirror.transforms import Answer, transformed

IDLE_TIMEOUT = 30.0
MAX_TARGET = 2048  # bytes of a request target: far more than any page of the site needs


class PortUnavailable(OSError):
    """The server cannot listen where it was asked to (a port in use, out of range)."""


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True
    # Bursts of connections (a crawler retrying many pages at once) must queue, not be dropped:
    # with the standard library's backlog of 5 a burst's SYNs are lost and connects time out.
    request_queue_size = 128


# A MirrorServer or a subclass of it (`listening`).
Server = TypeVar("Server", bound=MirrorServer)


class MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer  # the one that made the handler (`listening`)
    server_version = "harvester-mirror/0.1"
    # As the site and the Wayback Machine answer: a connection stays open for the next request
    # (every answer says its length, or closes the connection when it cannot).
    protocol_version = "HTTP/1.1"
    # An answer's head and body leave in two writes: with Nagle's algorithm the body would wait
    # for the client's delayed acknowledgement of the head, tens of milliseconds an answer.
    disable_nagle_algorithm = True
    root: Path
    redirects: dict[str, dict]
    delay: float = 0.0
    quiet: bool = True
    faults: FaultPlan | None = None
    timeout: ClassVar[float | None] = IDLE_TIMEOUT  # seconds a connection may stay silent
    max_target: int = MAX_TARGET

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if len(self.path) > self.max_target:  # the target is decoded as latin-1: one byte each
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG,
                            f"request target over {self.max_target} bytes")
            return False
        return True

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def answer(self, with_body: bool) -> None:
        if self.delay:
            time.sleep(self.delay)
        rule = self.faults.pick(self.path) if self.faults is not None else None
        if rule is not None and not self.quiet:
            self.log_message("fault %s on %s", rule.describe(), self.path)
        try:
            if rule is not None and self.serve_fault(rule, with_body):
                return
            self.send(self.page(), with_body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout was shorter than our delay)

    def page(self) -> Answer:
        """What the saved mirror holds for this request: the page, a redirect, 304 or 404."""
        rule = self.redirects.get(redirect_key(self.path))
        if rule is not None:
            return Answer(rule["status"], {"Location": rule["location"]})
        relative = relative_file(self.path)
        path = self.file_for(relative)
        if relative is None or path is None:
            return Answer(HTTPStatus.NOT_FOUND)
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        modified = int(path.stat().st_mtime)
        if not_modified(self.headers, etag, modified):
            return Answer(HTTPStatus.NOT_MODIFIED, {"ETag": etag})
        return Answer(HTTPStatus.OK, {"Content-Type": content_type(self.root / relative),
                                      "ETag": etag,
                                      "Last-Modified": formatdate(modified, usegmt=True)}, body)

    def file_for(self, relative: PurePosixPath | None) -> Path | None:
        """The file to serve, links followed, if it is a served file inside the mirror: not the
        mirror's bookkeeping, under its own name or a link's, and nothing a link leads out to."""
        if relative is None or is_hidden(relative):
            return None
        try:
            path = (self.root / relative).resolve()
            inside = path.relative_to(self.root) if path.is_relative_to(self.root) else None
            if inside is None or is_hidden(PurePosixPath(inside.as_posix())):
                return None
            return path if path.is_file() else None
        except (OSError, RuntimeError):  # a name too long for the file system, a link loop
            return None

    def send(self, answer: Answer, with_body: bool, length: int | None = None,
             cut_at: int | None = None) -> None:
        """Write the answer. `length` overrides Content-Length (-1: none); `cut_at` stops the
        body there and drops the connection."""
        if answer.status == HTTPStatus.NOT_FOUND and not answer.body:
            self.send_error(HTTPStatus.NOT_FOUND, "not in this mirror")
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        length = len(answer.body) if length is None else length
        if length >= 0 and answer.status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if with_body:
            self.wfile.write(answer.body[:cut_at])
        if cut_at is not None or length < 0:
            self.close_connection = True

    def serve_fault(self, rule: Rule, with_body: bool) -> bool:
        """Answer with the fault; False when the fault only changes how the page is sent
        and there is no page to change (a 404 stays a 404)."""
        nolength = "nolength" in rule.options
        if rule.fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return True
        if rule.fault == "slow":
            time.sleep(rule.number())
            return False
        simple = self.simple_fault(rule)
        if simple is not None:
            self.send(simple, with_body, -1 if nolength else None)
            return True
        page = self.page()
        if page.status != HTTPStatus.OK:
            return False
        if rule.fault == "truncate":
            self.send(page, with_body, -1 if nolength else None, cut_at=len(page.body) // 2)
            return True
        changed = transformed(rule, page, self.headers.get("Accept-Encoding") or "")
        self.send(changed, with_body, -1 if nolength else None)
        return True

    def simple_fault(self, rule: Rule) -> Answer | None:
        """Faults that replace the answer whatever the mirror holds."""
        html = {"Content-Type": "text/html; charset=UTF-8"}
        if rule.fault == "status":
            headers = {**html, **retry_after(rule.options)}
            body = f"<html><body><h1>{rule.value}</h1></body></html>".encode()
            return Answer(int(rule.number()), headers, body)
        if rule.fault in ("challenge", "challenge-200"):
            headers = {**html, "Server": "cloudflare", "Cache-Control": "no-store"}
            if rule.fault == "challenge":
                return Answer(HTTPStatus.FORBIDDEN, {**headers, "cf-mitigated": "challenge"},
                              hostile.CHALLENGE_PAGE)
            return Answer(HTTPStatus.OK, headers, hostile.CHALLENGE_PAGE)
        if rule.fault == "redirect-loop":
            return Answer(HTTPStatus.FOUND, {"Location": self.path})
        if rule.fault == "redirect-offsite":
            port = self.server.server_address[1]
            return Answer(HTTPStatus.FOUND, {"Location": f"http://localhost:{port}{self.path}"})
        return None

    def log_message(self, format: str, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def retry_after(options: dict) -> dict[str, str]:
    if "retry-after" in options:
        return {"Retry-After": f"{options['retry-after']:g}"}
    if "retry-after-date" in options:
        return {"Retry-After": formatdate(time.time() + options["retry-after-date"],
                                          usegmt=True)}
    return {}


def not_modified(headers, etag: str, modified: int) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            return modified <= parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def content_type(path: Path) -> str:
    if path.suffix == ".html":
        return "text/html; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def listening(server_class: type[Server], port: int, handler: type, *extra) -> Server:
    """The server bound to 127.0.0.1:port, or PortUnavailable saying why in one sentence."""
    if not 0 <= port <= 65535:
        raise PortUnavailable(f"port {port} is out of range (0 to 65535; 0 picks a free one)")
    try:
        return server_class(("127.0.0.1", port), handler, *extra)
    except OSError as error:
        raise PortUnavailable(f"cannot listen on 127.0.0.1:{port} "
                              f"({error.strerror or error})") from None


def make_server(root: Path, port: int = 0, delay: float = 0.0, quiet: bool = True,
                faults: FaultPlan | None = None,
                idle_timeout: float = IDLE_TIMEOUT) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1 (port 0 picks a free one); call serve_forever() on it."""
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"mirror folder not found: {root}")
    handler = type("Handler", (MirrorHandler,), {
        "root": root, "redirects": load_redirects(root), "delay": delay, "quiet": quiet,
        "faults": faults, "timeout": idle_timeout})
    return listening(MirrorServer, port, handler)


def base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    assert isinstance(host, str), "a bound IPv4 socket's name gives its host as a str"
    return f"http://{host}:{port}"


def serve_in_background(root: Path, port: int = 0, delay: float = 0.0,
                        faults: FaultPlan | None = None,
                        idle_timeout: float = IDLE_TIMEOUT) -> ThreadingHTTPServer:
    server = make_server(root, port, delay, faults=faults, idle_timeout=idle_timeout)
    # A short poll lets `shutdown()` return at once (tests start and stop many servers).
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


def serve_forever(root: Path, port: int, delay: float, quiet: bool,
                  faults: FaultPlan | None = None, idle_timeout: float = IDLE_TIMEOUT) -> None:
    announce_and_serve(make_server(root, port, delay, quiet, faults, idle_timeout), root,
                       faults)


def announce_and_serve(server: ThreadingHTTPServer, root: Path,
                       faults: FaultPlan | None) -> None:
    """The URL on the first stdout line (what scripts and tests read), then serve until
    interrupted."""
    print(f"serving {root} at {base_url(server)}", flush=True)
    if faults is not None:
        print(f"injecting faults: {'; '.join(r.source for r in faults.rules)}", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
