"""A census is bounded whatever the CDX server answers (harvester/spiders/census_bounds.py),
its rows are read with every bad one counted by reason (harvester/sources/cdx.py), and its
rows are stored compactly (harvester/state/captures.py)."""

import json
import sqlite3
from collections import Counter

import pytest
from scrapy.exceptions import UsageError
from scrapy.settings import Settings

from harvester.capture.rows import Capture
from harvester.sources.cdx import CdxError, CdxPage, read_page, replay_path
from harvester.sources.urls import canonical_url
from harvester.spiders.census_bounds import CensusBounds, CensusGuard
from harvester.spiders.warc import member_limits
from harvester.state.captures import CaptureLedger
from harvester.state.store import StateStore
from tests.helpers.pages import BASE

BOUNDS = CensusBounds(max_rows=100, max_pages=5, max_malformed=0.01)
FIELDS = ["timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def page(rows: int, key: str | None, refused: int = 0) -> CdxPage:
    return CdxPage([], key, rows, Counter({"wrong number of fields": refused}))


def test_a_resume_key_given_again_ends_the_census():
    guard = CensusGuard(BOUNDS)
    assert guard.after_page("/document/", None, page(5, "A")) is None
    assert guard.after_page("/topics", None, page(5, "A")) is None   # each query its own keys
    assert guard.after_page("/document/", "A", page(5, "B")) is None
    assert guard.after_page("/document/", "B", page(5, "A")) == (
        "the CDX server gave the resume key 'A' again: its paging would never end")


def test_a_long_resume_key_is_shown_cut():
    guard = CensusGuard(BOUNDS)
    key = "K" * 60
    assert guard.after_page("/document/", key, page(5, key)) == (
        f"the CDX server gave the resume key '{'K' * 39}…' again: its paging would never end")


def test_a_census_stops_at_its_caps_counting_a_resumed_runs_earlier_pages():
    resumed = CensusGuard(BOUNDS, pages=3, rows=30)
    assert resumed.after_page("/document/", "3", page(5, "4")) is None
    assert resumed.after_page("/document/", "4", page(5, "5")) == (
        "stopped after HARVESTER_CDX_MAX_PAGES 5 answers")
    last = CensusGuard(BOUNDS, pages=4)
    assert last.after_page("/document/", "4", page(5, None)) is None   # the census's end
    rows = CensusGuard(BOUNDS, rows=96)
    assert rows.after_page("/document/", None, page(5, "X")) == (
        "stopped past HARVESTER_CDX_MAX_ROWS 100 rows")


def test_past_a_small_share_of_unreadable_rows_the_census_is_refused():
    guard = CensusGuard(BOUNDS)
    guard.after_page("/document/", None, page(100, None, refused=1))
    assert guard.malformed({"wrong number of fields": 1}) is None   # 1 of 100: within 1 %
    guard.after_page("/topics", None, page(1, None, refused=1))
    assert guard.malformed({"wrong number of fields": 1, "capture time is not a date": 1}) == (
        "2 of 101 rows could not be read (1 capture time is not a date, 1 wrong number of "
        "fields), more than HARVESTER_CDX_MAX_MALFORMED 0.01 of them")


@pytest.mark.parametrize(("name", "value", "said"), [
    ("HARVESTER_CDX_MAX_ROWS", "0", "HARVESTER_CDX_MAX_ROWS must be a whole number above 0, "
                                    "got '0'"),
    ("HARVESTER_CDX_MAX_PAGES", "many", "HARVESTER_CDX_MAX_PAGES must be a whole number above "
                                        "0, got 'many'"),
    ("HARVESTER_CDX_MAX_MALFORMED", "2", "HARVESTER_CDX_MAX_MALFORMED must be a number from 0 "
                                         "to 1, got '2'"),
])
def test_each_bound_is_checked_where_it_is_read(name, value, said):
    settings = Settings({"HARVESTER_CDX_MAX_ROWS": 10, "HARVESTER_CDX_MAX_PAGES": 10,
                         "HARVESTER_CDX_MAX_MALFORMED": 0.5, name: value})
    with pytest.raises(UsageError) as refused:
        CensusBounds.of(settings)
    assert str(refused.value) == said


@pytest.mark.parametrize(("name", "value", "said"), [
    ("HARVESTER_WACZ_MAX_MEMBER_BYTES", "big", "HARVESTER_WACZ_MAX_MEMBER_BYTES must be a whole "
                                               "number above 0, got 'big'"),
    ("HARVESTER_WACZ_MAX_RATIO", "0.5", "HARVESTER_WACZ_MAX_RATIO must be a number of at least "
                                        "1, got '0.5'"),
])
def test_a_wacz_members_bounds_are_checked_where_they_are_read(name, value, said):
    settings = Settings({"HARVESTER_WACZ_MAX_MEMBER_BYTES": 10, "HARVESTER_WACZ_MAX_RATIO": 10,
                         name: value})
    with pytest.raises(UsageError) as refused:
        member_limits(settings)
    assert str(refused.value) == said


def test_rows_that_cannot_be_captures_are_counted_by_reason():
    site = f"{BASE}/document/x"
    rows = [FIELDS, ["20240115093000", site, "text/html", "200", "AAAA", "10"],
            ["99991231235959", site, "text/html", "200", "AAAA", "10"],
            ["19900101000000", site, "text/html", "200", "AAAA", "10"],
            ["99999999999999", site, "text/html", "200", "AAAA", "10"],
            ["20240115093000", BASE + "/document/" + "x" * 2100, "text/html", "200", "A", "1"],
            ["20240115093000", site, "text/html", "abc", "AAAA", "10"],
            ["20240115093000", "https://example.org/", "text/html", "200", "AAAA", "10"],
            ["20240115093000", site]]
    found = read_page(json.dumps(rows).encode(), canonical_url, "20261207000000")
    assert (len(found.captures), found.rows) == (1, 8)
    assert found.refused == {
        "capture time after the run's start": 1, "capture time before 1996": 1,
        "capture time is not a date": 1, "URL longer than 2,083 characters": 1,
        "status is not an HTTP status": 1, "not a URL of the site": 1,
        "wrong number of fields": 1}


def test_an_answer_nested_too_deeply_is_refused_never_swallowed():
    """Before: json's RecursionError escaped the parse and was swallowed by the crawl."""
    with pytest.raises(CdxError) as refused:
        read_page(b"[" * 100_000 + b"]" * 100_000, canonical_url, "20261207000000")
    assert str(refused.value) == "the CDX answer is nested too deeply to be a table"


def test_rows_are_stored_without_what_their_location_or_key_already_hold(tmp_path):
    store = StateStore(tmp_path / "state.sqlite", batch_writes=1)
    store.open_run("job", {}, "20260101T000000Z", "2026-01-01T00:00:00Z", False)
    ledger = CaptureLedger(store, "20260101T000000Z")
    key = f"{BASE}/document/x"
    spelled = "http://digitalarchive.wilsoncenter.org:80/document/x"
    captures = [
        Capture(replay_path("20240115093000", spelled), key, "document", "20240115093000",
                spelled, 200, "text/html", "sha1:AAAA", 10),
        Capture("crawl.warc.gz#123", key, "document", "20240116093000", key, 200,
                "text/html", "sha1:BBBB", None),
        Capture("crawl.warc.gz#456", key, "document", "20240117093000", spelled, 200,
                "text/html", "sha1:CCCC", None)]
    ledger.record_page("/document/", captures, None, True)
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        stored = [row[0] for row in db.execute("SELECT original FROM run_captures ORDER BY "
                                               "timestamp")]
    assert stored == ["", "", spelled]
    assert ledger.all_captures(key) == list(reversed(captures))
