"""A stop asked for by a signal, seen at once by work that does not give control back to the
reactor between steps: reading one large or hostile file. Scrapy's own handler only schedules
the stop on the reactor, which such work would keep waiting."""

import threading

_REQUESTED = threading.Event()


class Interrupted(Exception):
    """Work abandoned because the run is being stopped by a signal; `at` says how far it had
    gone (bytes of the file being read), when that is known."""

    at = 0


def request_stop() -> None:
    _REQUESTED.set()


def clear() -> None:
    _REQUESTED.clear()


def stop_requested() -> bool:
    return _REQUESTED.is_set()


def check() -> None:
    """Raise Interrupted once a signal asked the run to stop."""
    if _REQUESTED.is_set():
        raise Interrupted("stopped by a signal")
