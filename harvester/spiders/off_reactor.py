"""Long reading on a thread of its own while the reactor goes on (the WARC index pass): the
progress line, the signals and the rest of the crawl are never held up by a large file.

The thread is a daemon, so a crawl that ends never waits for it. A run stopped by a signal
while the thread reads is different: the crawl cancels what waits for the thread, and the
thread, which hears the same signal (`harvester.interrupt`), ends at once, saying how far it
got; that is waited for and told, as if the reading had been done in place."""

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from harvester import interrupt

T = TypeVar("T")


async def off_reactor(call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on a thread; in place when no asyncio loop runs (a reactor other than
    Scrapy's default)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return call(*args)
    outcome: list = []
    done = loop.create_future()

    def settle() -> None:
        if not done.done():
            done.set_result(None)

    def run() -> None:
        try:
            outcome.append((call(*args), None))
        except BaseException as error:  # handed to the waiting coroutine, raised there
            outcome.append((None, error))
        with contextlib.suppress(RuntimeError):   # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(settle)

    thread = threading.Thread(target=run, name="harvester-off-reactor", daemon=True)
    thread.start()
    try:
        await done
    except asyncio.CancelledError:
        if not interrupt.stop_requested():
            raise
        thread.join()   # the signal ends it at its next check
    result, error = outcome[0]
    if error is not None:
        raise error
    return result
