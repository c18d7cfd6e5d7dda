"""Choosing a URL's capture on a real state store, without a crawl: newest first, bounded,
one fetch per payload, and resumable; and the walk's phases, one after the other."""

from pathlib import Path

from harvester.sources import selection
from harvester.sources.captures import Answer, Capture, sha1_digest
from harvester.spiders.choosing import WAIT, Walk, choose, summary
from harvester.state.captures import CaptureLedger
from harvester.state.store import StateStore
from tests.helpers.pages import BASE, SITE

KEY = f"{BASE}/document/journal-soviet-ambassador-dprk-am-puzanov-7-september-1960"
PAGE = (SITE / "document" / "journal-soviet-ambassador-dprk-am-puzanov-7-september-1960.html"
        ).read_bytes()
CUT = PAGE[:len(PAGE) // 2]


def capture(timestamp: str, body: bytes, status: int = 200) -> Capture:
    return Capture(location=f"/web/{timestamp}id_/{KEY}", key=KEY, kind="document",
                   timestamp=timestamp, original=KEY, status=status, mimetype="text/html",
                   digest=sha1_digest(body + timestamp.encode()))


def ledger(tmp_path: Path, captures: list[Capture]) -> CaptureLedger:
    store = StateStore(tmp_path / "state.sqlite", batch_writes=1)
    store.open_run("job", {}, "20260101T000000Z", "2026-01-01T00:00:00Z", False)
    found = CaptureLedger(store, "20260101T000000Z")
    found.record_page("/document/", captures, None, True)
    return found


def run(found: CaptureLedger, answers: dict[str, bytes], limit: int = 5):
    """Drive a choice as a source would; (what it fetched, the choice)."""
    chooser = choose(found, KEY, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE), lambda c: None, limit)
    fetched, answer = [], None
    try:
        while True:
            asked = chooser.send(answer)
            fetched.append(asked.timestamp)
            answer = Answer(200, {"content-type": "text/html"}, answers[asked.timestamp])
    except StopIteration as done:
        return fetched, done.value


def test_newest_first_and_the_first_whole_page_wins(tmp_path):
    found = ledger(tmp_path, [capture("20240101000000", PAGE), capture("20250101000000", CUT),
                              capture("20230101000000", PAGE)])
    fetched, choice = run(found, {"20250101000000": CUT, "20240101000000": PAGE})
    assert fetched == ["20250101000000", "20240101000000"]
    assert choice.verdict.outcome == selection.USED
    assert (choice.capture.timestamp, choice.page.record_id) == ("20240101000000", "115630")
    assert choice.skipped == {selection.TRUNCATED: 1}


def test_a_url_is_given_up_after_the_fetches_allowed(tmp_path):
    stamps = [f"202{n}0101000000" for n in range(7)]
    found = ledger(tmp_path, [capture(s, CUT) for s in stamps])
    fetched, choice = run(found, dict.fromkeys(stamps, CUT), limit=3)
    assert fetched == sorted(stamps, reverse=True)[:3]
    assert choice.gave_up and choice.verdict is None
    assert summary(choice) == ("no usable capture (3 truncated); gave up after the maximum "
                               "number of fetches")


def test_a_resumed_choice_never_fetches_a_judged_capture_again(tmp_path):
    found = ledger(tmp_path, [capture("20250101000000", CUT), capture("20240101000000", CUT),
                              capture("20230101000000", PAGE)])
    chooser = choose(found, KEY, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE), lambda c: None, 2)
    first = chooser.send(None)
    chooser.send(Answer(200, {"content-type": "text/html"}, CUT))  # judged, then "killed"
    assert first.timestamp == "20250101000000"
    fetched, choice = run(found, {"20240101000000": CUT, "20230101000000": PAGE}, limit=2)
    assert fetched == ["20240101000000"]   # the judged one is not asked again ...
    assert choice.gave_up                  # ... and counts against the bound


def test_phases_start_only_when_nothing_is_in_flight():
    walk = Walk([lambda: iter([("a", "document", None)]), lambda: iter(["item"])])
    assert walk.next_step() == ("a", "document", None)
    walk.in_flight = 1
    assert walk.next_step() is WAIT
    walk.in_flight = 0
    assert walk.next_step() == "item"
    assert walk.next_step() is None
