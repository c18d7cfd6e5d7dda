"""What the read-ahead asks of the ledger (`CaptureLedger.newest_untried`): of each of the next
URLs of a kind not yet settled, its newest capture not judged yet, in URL order, however many
captures lie beyond them."""

from pathlib import Path

from harvester.capture.rows import Capture
from harvester.state.captures import CaptureLedger
from tests.helpers.ledgers import census_ledger

SITE = "https://digitalarchive.wilsoncenter.org"


def capture(n: int, timestamp: str, kind: str = "document") -> Capture:
    key = f"{SITE}/{'document' if kind == 'document' else 'topics'}/{n:03d}"
    place = f"{n}{timestamp}" if kind == "document" else f"{kind}{n}"
    return Capture(location=f"a.warc.gz#{place}", key=key, kind=kind,
                   timestamp=timestamp, original=key, status=200, mimetype="text/html",
                   digest=None)


def ledger(tmp_path: Path, captures: list[Capture]) -> CaptureLedger:
    return census_ledger(tmp_path, captures, "a.warc.gz")


def locations(found: list[Capture]) -> list[str]:
    return [c.location for c in found]


def test_the_next_urls_newest_untried_capture_each_in_url_order(tmp_path):
    older, newer = "20230101000000", "20240101000000"
    found = ledger(tmp_path, [capture(n, stamp) for n in range(1, 9) for stamp in (older, newer)]
                   + [capture(5, older, kind="topic")])
    assert locations(found.newest_untried("document", "", 3)) == [
        f"a.warc.gz#{n}{newer}" for n in (1, 2, 3)]
    # After a URL, the next ones; a URL settled is passed; a capture judged gives way to the
    # next newest of its URL.
    found.settle(capture(5, newer).key, "used")
    found.note(capture(6, newer), "challenge", fetched=True)
    assert locations(found.newest_untried("document", capture(3, newer).key, 3)) == [
        f"a.warc.gz#4{newer}", f"a.warc.gz#6{older}", f"a.warc.gz#7{newer}"]
    # Another kind's captures are not among them; nothing is left after the last URL.
    assert locations(found.newest_untried("topic", "", 5)) == ["a.warc.gz#topic5"]
    assert found.newest_untried("document", capture(8, newer).key, 3) == []


def test_a_url_whose_every_capture_was_judged_counts_among_the_next_and_gives_none(tmp_path):
    stamp = "20240101000000"
    found = ledger(tmp_path, [capture(n, stamp) for n in range(1, 5)])
    found.note(capture(2, stamp), "challenge", fetched=True)
    assert locations(found.newest_untried("document", "", 2)) == [f"a.warc.gz#1{stamp}"]
    assert locations(found.newest_untried("document", capture(1, stamp).key, 2)) == [
        f"a.warc.gz#3{stamp}"]
