"""Servers of a mirror for the tests: `harvester serve` in a subprocess, the mirror server on a
thread of this process, and `HeldBack`, the fault plan that holds a crawl mid-way."""

import fnmatch
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from harvester.mirror.faults import FaultPlan, Rule
from harvester.mirror.server import base_url, make_server
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import SITE


def start_server(root: Path = SITE, *extra: str) -> tuple[subprocess.Popen, str]:
    """`harvester serve` on a free port, and the base URL it prints."""
    server = subprocess.Popen([*HARVESTER, "serve", str(root), "--port", "0", *extra],
                              stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    assert line.startswith("serving "), line
    return server, line.rsplit(" at ", 1)[1].strip()


@contextmanager
def served(root: Path = SITE, *extra: str) -> Iterator[str]:
    process, url = start_server(root, *extra)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


# -- a mirror served by this process ------------------------------------------------------------
def serve_here(root: Path = SITE, *, port: int = 0, delay: float = 0.0,
               faults: FaultPlan | None = None) -> ThreadingHTTPServer:
    """The mirror server on a thread of this process (port 0: a free one). It looks for a
    shutdown every 50 ms, so stopping it costs a test nothing (serve_forever's default is every
    half second)."""
    server = make_server(root, port=port, delay=delay, faults=faults)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer) -> None:
    """Stop a server of serve_here, letting go of any request it still holds."""
    faults = server.RequestHandlerClass.faults
    if isinstance(faults, HeldBack):
        faults.release()
    server.shutdown()
    server.server_close()


@contextmanager
def served_here(root: Path = SITE, *, delay: float = 0.0,
                faults: FaultPlan | None = None) -> Iterator[str]:
    """serve_here for the length of a block: its base URL."""
    server = serve_here(root, delay=delay, faults=faults)
    try:
        yield base_url(server)
    finally:
        stop(server)


class HeldBack(FaultPlan):
    """A fault plan that answers the first `answered` requests whose target matches `pattern`
    and holds every later one until `release()`.

    A crawl of it is surely mid-way, however fast or slow the machine is, for as long as the
    test needs: no delay has to be long enough, and no crawl can finish before its signal.
    `held` is set as the first request is held. The other requests, and `rules`, are served as
    FaultPlan serves them."""

    def __init__(self, pattern: str, answered: int, rules: list[Rule] | None = None) -> None:
        super().__init__(rules or [])
        self.pattern, self.answered = pattern, answered
        self.held, self.gate = threading.Event(), threading.Event()
        self.matched = 0
        self._count_lock = threading.Lock()

    def pick(self, target: str) -> Rule | None:
        if any(fnmatch.fnmatchcase(t, self.pattern) for t in (target, unquote(target))):
            with self._count_lock:
                self.matched += 1
                hold = self.matched > self.answered
            if hold:
                self.held.set()
                self.gate.wait()
        return super().pick(target)

    def wait_until_held(self, process: subprocess.Popen | None = None) -> None:
        """Block until a request is held (the crawl is mid-way); fail if `process` ends first.
        The timeout only keeps a broken crawl from hanging the suite."""
        for _ in range(1200):
            if self.held.wait(0.1):
                return
            assert process is None or process.poll() is None, "the crawl ended first"
        raise AssertionError("no request was held in 120 s")

    def release(self) -> None:
        self.gate.set()
