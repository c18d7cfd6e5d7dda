"""Reading on a thread of its own (harvester/spiders/off_reactor.py): the result or the error
comes back to the coroutine; a stop by a signal is told as the reading saw it, any other
cancellation at once."""

import asyncio
import threading

import pytest

from harvester import interrupt
from harvester.spiders.off_reactor import off_reactor


@pytest.fixture(autouse=True)
def no_stop_left():
    interrupt.clear()
    yield
    interrupt.clear()


def test_the_result_is_made_on_another_thread():
    result = asyncio.run(off_reactor(lambda a, b: (a + b, threading.current_thread()), 2, 3))
    assert result[0] == 5 and result[1] is not threading.main_thread()


def test_the_threads_error_is_raised_in_the_coroutine():
    def damaged() -> None:
        raise ValueError("damaged at byte 12")

    with pytest.raises(ValueError, match="damaged at byte 12"):
        asyncio.run(off_reactor(damaged))


def test_a_stop_by_a_signal_is_told_as_the_reading_saw_it():
    """The crawl cancels what waits; the thread hears the stop at its next check, and its
    Interrupted (with how far it got) is what the coroutine raises."""
    reading = threading.Event()

    def endless() -> None:
        reading.set()
        at = 0
        while True:
            at += 1
            try:
                interrupt.check()
            except interrupt.Interrupted as stopped:
                stopped.at = at
                raise
            threading.Event().wait(0.001)

    async def stopped_while_reading() -> interrupt.Interrupted:
        task = asyncio.ensure_future(off_reactor(endless))
        while not reading.is_set():
            await asyncio.sleep(0.001)
        interrupt.request_stop()
        task.cancel()
        with pytest.raises(interrupt.Interrupted) as told:
            await task
        return told.value

    assert asyncio.run(stopped_while_reading()).at > 0


def test_any_other_cancellation_does_not_wait_for_the_thread():
    release = threading.Event()

    async def cancelled() -> None:
        task = asyncio.ensure_future(off_reactor(release.wait))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    thread_errors: list = []
    hook, threading.excepthook = threading.excepthook, thread_errors.append
    try:
        asyncio.run(cancelled())
        assert not release.is_set()   # the thread still waits: nothing waited for it
        release.set()   # it ends now, its loop closed: it tells no one, and fails nothing
        for thread in threading.enumerate():
            if thread.name == "harvester-off-reactor":
                thread.join()
    finally:
        release.set()
        threading.excepthook = hook
    assert thread_errors == []


def test_without_a_running_loop_the_call_is_made_in_place():
    coroutine = off_reactor(threading.current_thread)
    with pytest.raises(StopIteration) as finished:
        coroutine.send(None)
    assert finished.value.value is threading.main_thread()
