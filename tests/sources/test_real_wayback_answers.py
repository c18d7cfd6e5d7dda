"""The sources layer on what the Internet Archive really sent (../shared/real-world/
wayback-recordings/, read by tests/helpers/recordings.py; skipped when absent): CDX rows of
captured redirects, the archive's refusal of an excluded site, a captured redirect and the
archive's own, and a captured 429. Each test names the recording it reads."""

import json
from collections import Counter

import pytest

from harvester.capture import outcomes
from harvester.capture.rows import EMPTY_DIGEST, Capture, payload_identity, sha1_digest
from harvester.middlewares.ratelimit import retry_after
from harvester.sources import cdx, selection
from harvester.sources.replay import answer_of, archive_failure, archive_says, is_replayed_capture
from harvester.sources.urls import canonical_url
from tests.helpers.recordings import recording, whole_lines

BLOCKED = ("org.archive.util.io.RuntimeIOException: org.archive.wayback.exception."
           "AdministrativeAccessControlException: Blocked Site Error")


def test_real_redirect_rows_are_fetched_and_never_told_apart_by_digest():
    """wayback-recordings/test_search_with_date.txt: the index lists captured 301s as `unk`, a
    302 as `text/html`, and their revisits as `warc/revisit -`, all under the empty body's
    digest. Every one of them is fetched (none is ruled out by its type or status), and none
    is identified by that digest."""
    fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    rows = [line.split(" ") for exchange in recording("test_search_with_date.txt")
            for line in whole_lines(exchange)]
    table = json.dumps([fields, *rows]).encode()
    page = cdx.read_page(table, lambda url: canonical_url(url, "https://dw.com", "https://dw.com"),
                         "20300101000000")
    assert (page.rows, page.unusable) == (18, 0)
    assert Counter((c.mimetype, c.status) for c in page.captures) == {
        ("warc/revisit", None): 13, ("unk", 301): 4, ("text/html", 302): 1}
    assert {c.digest for c in page.captures} == {EMPTY_DIGEST} == {sha1_digest(b"")}
    assert [selection.census_type_skip(c) or selection.census_status_skip(c)
            for c in page.captures] == [None] * 18
    assert [payload_identity(c) for c in page.captures] == [None] * 18


def test_the_archives_refusal_of_an_excluded_site_is_said_on_one_line():
    """wayback-recordings/test_search_raises_for_blocked_urls.txt: a 403 whose header and body
    say why."""
    [refused] = recording("test_search_raises_for_blocked_urls.txt")
    assert refused.status == 403
    assert archive_says(refused.response()) == BLOCKED
    without_header = refused.response().replace(headers={"Content-Type": "text/plain"})
    assert archive_says(without_header) == BLOCKED


def test_a_captured_redirect_is_the_sites_and_the_archives_own_is_never_followed():
    """wayback-recordings/test_get_memento_with_redirects.txt: the captured 301 (with
    Memento-Datetime, an empty body) leads to its target's page; the archive's 302 to the
    nearest capture (without it) is not a capture."""
    captured, nearest, _ = recording("test_get_memento_with_redirects.txt")
    site = "https://www.epa.gov"
    target = (f"{site}/ghgreporting/proposed-rule-fact-sheet-greenhouse-gas-reporting-program-"
              "addition-global-warming")
    answer = answer_of(captured.response())
    assert (answer.captured, answer.moved_to, answer.body) == (True, target, b"")
    capture = Capture(location="", key=f"{site}/ghgreporting/san5779-factsheet",
                      kind="other", timestamp="20180808094144", original="", status=301,
                      mimetype="unk", digest=sha1_digest(answer.body))
    verdict = selection.judge(capture, answer, site, site)
    assert (verdict.outcome, verdict.target) == (outcomes.MOVED, target)
    assert payload_identity(capture) is None
    own = answer_of(nearest.response())
    assert (own.captured, own.moved_to, archive_failure(nearest.response())) == (
        False, None, False)
    assert selection.judge(capture, own, site, site).outcome == outcomes.NOT_REPLAYED


def test_a_captured_429_is_data_and_the_archive_passes_no_retry_after():
    """wayback-recordings/test_get_memento_works_on_archived_rate_limit_responses.txt: a 429
    the site sent, replayed with Memento-Datetime; the site's Retry-After comes back only as
    `x-archive-orig-retry-after`, which is not the archive asking us to wait."""
    [limited] = recording("test_get_memento_works_on_archived_rate_limit_responses.txt")
    response = limited.response()
    response.request.meta["replay"] = True
    assert limited.header("x-archive-orig-retry-after") == "6"
    assert retry_after(response.headers) is None
    assert is_replayed_capture(response.request, response)
    assert archive_failure(response) is False
    assert answer_of(response).captured is True


def test_a_recording_that_is_not_there_skips_the_test_saying_why():
    with pytest.raises(pytest.skip.Exception, match="real Wayback Machine recordings"):
        recording("not-recorded.txt")
