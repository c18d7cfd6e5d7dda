"""The stand-in Wayback Machine answers as the real one does where the harvester must read what
it says: a blocked site's refusal (a 403 saying why) and the archive's own 429 (no Retry-After).
Where a test compares with a real answer it names the recording (../shared/real-world/
wayback-recordings/, skipped when absent)."""

import re

from harvester.mirror.wayback.cdx import BLOCKED_SITE
from tests.helpers.pages import BASE
from tests.helpers.recordings import recording, whole_lines
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


def test_a_captured_redirects_cdx_line_has_the_real_servers_form(standin):
    """wayback-recordings/test_search_with_date.txt lists an empty 301 as
    `com,dw)/ 20191001032129 http://dw.com/ unk 301 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ 322`: the
    stand-in's line for its own empty 301 has the same seven fields, the same type, status and
    digest, a url key of the same form and numbers where the real one has them."""
    real = next(line.split(" ") for exchange in recording("test_search_with_date.txt")
                for line in whole_lines(exchange) if " unk 301 " in line)
    status, _, body = get(standin(), f"/cdx/search/cdx?url={doc('110360')}")
    [ours] = [line.split(" ") for line in body.decode().splitlines()]
    assert status == 200 and len(ours) == len(real) == 7
    assert ours[3:6] == real[3:6] == ["unk", "301", "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"]
    for line in (real, ours):
        assert re.fullmatch(r"[a-z0-9,]+\)/\S*", line[0]) and re.fullmatch(r"\d{14}", line[1])
        assert line[2].startswith("http") and line[6].isdigit()
