"""`harvester serve`: a saved mirror served on loopback, exactly as the site would answer."""

import hashlib
import mimetypes
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from harvester.mirror.layout import is_hidden, load_redirects, redirect_key, relative_file


class MirrorHandler(BaseHTTPRequestHandler):
    server_version = "harvester-mirror/0.1"
    root: Path
    redirects: dict[str, dict]
    delay: float = 0.0
    quiet: bool = True

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def answer(self, with_body: bool) -> None:
        if self.delay:
            time.sleep(self.delay)
        rule = self.redirects.get(redirect_key(self.path))
        if rule is not None:
            self.send_response(rule["status"])
            self.send_header("Location", rule["location"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        relative = relative_file(self.path)
        path = (self.root / relative) if relative is not None else None
        if path is None or is_hidden(relative) or not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "not in this mirror")
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        modified = int(path.stat().st_mtime)
        if not_modified(self.headers, etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)


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


def make_server(root: Path, port: int = 0, delay: float = 0.0,
                quiet: bool = True) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1 (port 0 picks a free one); call serve_forever() on it."""
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"mirror folder not found: {root}")
    handler = type("Handler", (MirrorHandler,), {
        "root": root, "redirects": load_redirects(root), "delay": delay, "quiet": quiet})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def serve_in_background(root: Path, port: int = 0, delay: float = 0.0) -> ThreadingHTTPServer:
    server = make_server(root, port, delay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_forever(root: Path, port: int, delay: float, quiet: bool) -> None:
    server = make_server(root, port, delay, quiet)
    print(f"serving {root} at {base_url(server)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
