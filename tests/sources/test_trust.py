"""The trust rules in one place (harvester/sources/trust.py): which capture times can be true,
when a replay's Memento-Datetime contradicts its index, which replay paths are captures of the
archive, which digests are their payloads'; and text from the inputs made safe to print."""

import pytest

from harvester.capture.rows import sha1_digest
from harvester.sources import trust
from harvester.terminal import printable
from tests.helpers.recordings import recording

RUN_START = "20261207120000"
ARCHIVE = "https://digitalarchive.wilsoncenter.org/document/x"


@pytest.mark.parametrize(("timestamp", "problem"), [
    ("20240115093000", None),
    ("19960101000000", None),
    (RUN_START, None),
    ("99991231235959", trust.AFTER_START),
    ("20261207120001", trust.AFTER_START),
    ("19951231235959", trust.BEFORE_ARCHIVES),
    ("99999999999999", trust.NOT_A_DATE),
    ("20240230000000", trust.NOT_A_DATE),
    ("2024011509300", trust.NOT_A_TIMESTAMP),
    ("9999-12-31T23:59:59Z", trust.NOT_A_TIMESTAMP),
    ("", trust.NOT_A_TIMESTAMP),
])
def test_a_capture_time_is_a_date_between_1996_and_the_runs_start(timestamp, problem):
    assert trust.capture_time_problem(timestamp, RUN_START) == problem


@pytest.mark.parametrize(("said", "problem"), [
    (None, None),
    ("Mon, 15 Jan 2024 09:30:00 GMT", None),
    ("Mon, 15 Jan 2024 10:30:00 GMT",
     "Memento-Datetime 2024-01-15T10:30:00Z, the index 2024-01-15T09:30:00Z"),
    ("Mon, 15 Jan 2024 10:30:00 +0100", None),
    ("yesterday", "Memento-Datetime 'yesterday' is not a date; the index says "
                  "2024-01-15T09:30:00Z"),
])
def test_a_memento_datetime_must_say_the_indexs_time(said, problem):
    headers = {} if said is None else {"memento-datetime": said}
    assert trust.memento_problem("20240115093000", headers) == problem


def test_the_real_archive_replays_a_capture_at_its_exact_time():
    """Every `id_` replay the Wayback Machine answered with a Memento-Datetime was asked for
    at that very second (wayback-recordings/test_get_memento*.txt): the rule fits the real
    archive."""
    names = ["test_get_memento.txt", "test_get_memento_with_redirects.txt",
             "test_get_memento_follows_historical_redirects.txt",
             "test_get_memento_with_path_based_redirects.txt"]
    checked = 0
    for exchange in (e for name in names for e in recording(name)):
        said = exchange.header("Memento-Datetime")
        parts = trust.replay_parts(exchange.url)
        if said and parts and "id_/" in exchange.url:
            assert trust.memento_problem(parts[1], {"memento-datetime": said}) is None
            checked += 1
    assert checked == 7


@pytest.mark.parametrize(("url", "found"), [
    (f"http://127.0.0.1:8001/web/20240115093000id_/{ARCHIVE}", (ARCHIVE, "20240115093000")),
    (f"http://127.0.0.1:8001/web/20240115093000/{ARCHIVE}", (ARCHIVE, "20240115093000")),
    ("http://127.0.0.1:8001/web/20240115093000id_/https:/digitalarchive.wilsoncenter.org/"
     "document/x", (ARCHIVE, "20240115093000")),
    (f"http://127.0.0.1:8002/web/20240115093000id_/{ARCHIVE}", None),
    (f"http://evil.example/web/20990101000000id_/{ARCHIVE}", None),
    (f"http://127.0.0.1:8001/web/2024id_/{ARCHIVE}", None),
    (ARCHIVE, None),
])
def test_only_a_web_archive_told_about_replays_captures(url, found):
    archives = trust.WebArchives.of(["http://127.0.0.1:8001"])
    assert archives.replay_of(url) == found


def test_a_web_archive_is_known_by_its_host_in_any_spelling():
    archives = trust.WebArchives.of(["https://web.archive.org"])
    assert archives.knows(f"http://www.web.archive.org:80/web/20240115093000id_/{ARCHIVE}")
    assert not archives.knows(f"https://web.archive.org.evil.example/web/1id_/{ARCHIVE}")
    assert archives.with_archive("http://127.0.0.1:9").knows("http://127.0.0.1:9/web/")


def test_a_digest_is_its_payloads_only_when_the_bytes_have_it():
    body = b"<html>the page</html>"
    assert trust.digest_matches(sha1_digest(body), [b"other", body])
    assert not trust.digest_matches(sha1_digest(body), [b"other"])
    assert not trust.digest_matches(None, [body])


@pytest.mark.parametrize(("text", "shown"), [
    ("crawl.warc.gz", "crawl.warc.gz"),
    ("garbage\x1b[31m.warc", "garbage\\x1b[31m.warc"),
    ("\x1b]0;pwned\x07title", "\\x1b]0;pwned\\x07title"),
    ("two\nlines\r", "two\\x0alines\\x0d"),
    ("a\ttab and \x9b C1", "a\ttab and \\x9b C1"),
    ("Ceaușescu", "Ceaușescu"),
])
def test_text_from_the_inputs_is_printed_with_its_control_characters_escaped(text, shown):
    assert printable(text) == shown
