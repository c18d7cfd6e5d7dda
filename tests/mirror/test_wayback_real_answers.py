"""The stand-in Wayback Machine answers as the real one does where the harvester must read what
it says: a blocked site's refusal (a 403 saying why) and the archive's own 429 (no Retry-After).
Where a test compares with a real answer it names the recording (../shared/real-world/
wayback-recordings/, skipped when absent)."""

from harvester.mirror.wayback.cdx import BLOCKED_SITE
from tests.helpers.pages import BASE
from tests.helpers.recordings import recording
from tests.helpers.standin_client import HOST_KEY, JAN, column, doc, get

EXCLUDED_CDX = f"/cdx/search/cdx?url={BASE}/document/x"


def test_a_query_for_a_blocked_site_is_refused_saying_why(standin):
    server = standin(blocked=(BASE,))
    status, headers, body = get(server, EXCLUDED_CDX)
    assert (status, headers["Content-Type"], body) == (
        403, "text/plain;charset=UTF-8", f"{BLOCKED_SITE}\n".encode())
    assert headers["X-Archive-Wayback-Runtime-Error"] == BLOCKED_SITE
    # Its pages are not replayed either: the archive's own page, without Memento-Datetime.
    status, headers, body = get(server, f"/web/{JAN}id_/{doc('x')}")
    assert (status, "Memento-Datetime" in headers) == (200, False)
    assert b"excluded from the Wayback Machine" in body


def test_a_blocked_part_of_a_site_is_left_out_of_wider_answers(standin):
    server = standin(blocked=(doc("gone"),))
    assert get(server, f"/cdx/search/cdx?url={doc('gone')}")[0] == 403
    keys = column(server, "urlkey", url=f"{BASE}/document/", matchType="prefix")
    assert f"{HOST_KEY}/document/gone" not in keys and f"{HOST_KEY}/document/busy" in keys


def test_the_refusal_is_the_real_archives(standin):
    """wayback-recordings/test_search_raises_for_blocked_urls.txt: the same status, type,
    runtime-error header and body."""
    [real] = recording("test_search_raises_for_blocked_urls.txt")
    status, headers, body = get(standin(blocked=(BASE,)), EXCLUDED_CDX)
    assert (status, headers["Content-Type"], headers["X-Archive-Wayback-Runtime-Error"],
            body) == (real.status, real.header("Content-Type"),
                      real.header("X-Archive-Wayback-Runtime-Error"), real.body)


def test_the_archives_own_429_asks_for_no_particular_wait(standin):
    """The Wayback Machine's own 429 carries no Retry-After (shared/site/NOTES.md, "Web-archive
    captures"; a site's Retry-After is replayed only as `x-archive-orig-retry-after`,
    wayback-recordings/test_get_memento_works_on_archived_rate_limit_responses.txt): the
    harvester waits HARVESTER_WAYBACK_PAUSE."""
    server = standin(faults="/web/* status=429")
    status, headers, _ = get(server, f"/web/{JAN}id_/{doc('x')}")
    assert status == 429
    assert "Retry-After" not in headers and "Memento-Datetime" not in headers
