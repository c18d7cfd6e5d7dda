"""The fault-injecting mirror: its rule language, the bodies it sends, and each fault on the
wire (checked with a plain HTTP client, not the harvester)."""

import gzip
import http.client
import socket
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime

import pytest

from harvester.mirror import hostile
from harvester.mirror.faults import FaultPlan, SpecError, load_spec, parse_rule, parse_spec
from harvester.mirror.transforms import Answer, encoded
from harvester.sources.content import decode_body, encode_body
from tests.helpers.pages import SITE
from tests.helpers.serving import serve_here, stop

DOC = "/document/telegram-shtykov-gromyko-and-stalin"
DOC_FILE = SITE / "document" / "telegram-shtykov-gromyko-and-stalin.html"


# -- the rule language ------------------------------------------------------------------------
def test_rule_reads_pattern_fault_condition_and_options():
    rule = parse_rule("/document/* status=429 first=2 retry-after=1.5")
    assert (rule.pattern, rule.fault, rule.value, rule.when, rule.limit, rule.options) == (
        "/document/*", "status", 429, "first", 2, {"retry-after": 1.5})
    assert rule.describe() == "status=429"


def test_spec_takes_lines_or_semicolons_and_comments():
    rules = parse_spec("/a reset  # the first\n/b truncate nolength; /c slow=2 count=3")
    assert [(r.pattern, r.fault, r.when, r.options) for r in rules] == [
        ("/a", "reset", None, {}), ("/b", "truncate", None, {"nolength": None}),
        ("/c", "slow", "count", {})]


def test_spec_from_a_file(tmp_path):
    path = tmp_path / "faults.txt"
    path.write_text("/robots.txt status=503\n# nothing else\n", "utf-8")
    assert [(r.pattern, r.value) for r in load_spec(str(path))] == [("/robots.txt", 503)]


@pytest.mark.parametrize(("spec", "problem"), [
    ("/a", "expected PATTERN FAULT"),
    ("/a explode", "unknown word 'explode'"),
    ("/a status", "needs =VALUE"),
    ("/a reset=1", "takes no value"),
    ("/a status=abc", "'abc' is not a number"),
    ("/a status=-1", "must not be negative"),
    ("/a reset truncate", "two faults (reset, truncate)"),
    ("/a reset first=1 count=2", "two conditions (first, count)"),
    ("/a first=1", "no fault"),
    ("/a reset rate=2", "rate must be between 0 and 1"),
    ("/a encode=lzma", "'lzma' is not a list of gzip, deflate, br, zstd"),
    ("/a encode=gzip,,br", "'gzip,,br' is not a list of gzip, deflate, br, zstd"),
])
def test_bad_specs_are_refused_with_the_reason(spec, problem):
    with pytest.raises(SpecError) as error:
        parse_spec(spec)
    assert problem in str(error.value)


def test_first_n_counts_requests_of_each_url():
    plan = FaultPlan(parse_spec("/d/* status=503 first=2"))
    picked = [plan.pick(t) is not None for t in ["/d/a", "/d/a", "/d/b", "/d/a", "/d/b", "/d/b"]]
    assert picked == [True, True, True, False, True, False]


def test_count_n_counts_requests_of_all_urls():
    plan = FaultPlan(parse_spec("/d/* reset count=2"))
    assert [plan.pick(t) is not None for t in ["/d/a", "/d/b", "/d/c", "/d/a"]] == [
        True, True, False, False]


def test_rate_is_repeatable_with_a_seed():
    def picks():
        plan = FaultPlan(parse_spec("* status=500 rate=0.5 seed=7"))
        return [plan.pick(f"/p{i}") is not None for i in range(40)]

    first = picks()
    assert first == picks()
    assert 10 < sum(first) < 30


def test_first_matching_rule_decides_and_later_rules_take_over():
    plan = FaultPlan(parse_spec("/d status=503 first=1; /d reset first=2; * slow=0"))
    assert [plan.pick("/d").fault for _ in range(3)] == ["status", "reset", "slow"]
    assert [h.fault for h in plan.hits_for("/d")] == ["status=503", "reset", "slow=0.0"]


def test_patterns_match_the_encoded_or_decoded_query():
    rule = parse_rule("/search?f*=topics:* status=502")
    assert rule.matches("/search?f%5B0%5D=topics%3A86466")
    assert rule.matches("/search?f[0]=topics:86466")
    assert not rule.matches("/search?page=1")


# -- the bodies -------------------------------------------------------------------------------
def test_windows_1252_page_has_the_same_text_once_decoded():
    page = DOC_FILE.read_bytes()
    body, content_type = hostile.windows_1252(page, "declared")
    assert content_type == "text/html; charset=windows-1252"
    assert b'<meta charset="windows-1252" />' in body
    assert b"\x92" in body  # the right single quote, as windows-1252 writes it
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert hostile.windows_1252(page, "undeclared")[1] == "text/html"
    assert b"<meta charset" not in hostile.windows_1252(page, "undeclared")[0]
    assert hostile.windows_1252(page, "mislabelled")[1] == "text/html; charset=utf-8"


def test_broken_html_drops_end_tags_and_adds_stray_bytes():
    broken = hostile.broken_html(DOC_FILE.read_bytes())
    for tag in (b"</p>", b"</li>", b"</body>", b"</html>"):
        assert tag not in broken
    assert b"<head>\x00\xfe\xff" in broken and b"<main \xff\xfe" in broken
    assert b'</footer>\x80<div class="tail"><b>' in broken
    assert b"\x00\x07Telegram from Shtykov" in broken


def test_padding_and_bomb_sizes():
    assert len(hostile.padded(b"<html></html>", 5000)) == 5000
    bomb = hostile.gzip_bomb(2_000_000)
    assert len(bomb) < 10_000
    assert len(gzip.decompress(bomb)) == 2_000_000 + len(b"<!DOCTYPE html><html><body>")


# -- on the wire ------------------------------------------------------------------------------
@pytest.fixture
def serve():
    servers = []

    def start(spec: str):
        server = serve_here(SITE, faults=FaultPlan(parse_spec(spec)))
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop(server)


def get(server, path: str, headers: dict[str, str] | None = None):
    # The timeout only keeps a broken server from hanging the suite; no answer comes near it.
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    try:
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_status_with_retry_after_in_seconds_and_as_a_date(serve):
    server = serve("/a status=429 retry-after=7; /b status=503 retry-after-date=30")
    status, headers, _ = get(server, "/a")
    assert (status, headers["Retry-After"]) == (429, "7")
    before = time.time()
    status, headers, _ = get(server, "/b")
    after = time.time()
    assert status == 503
    # The date is 30 s after the moment of the answer, in whole seconds (rounded down).
    when = parsedate_to_datetime(headers["Retry-After"]).timestamp()
    assert int(before + 30) <= when <= after + 30


def test_first_requests_fail_then_the_page_is_served(serve):
    server = serve(f"{DOC} status=500 first=2")
    assert [get(server, DOC)[0] for _ in range(3)] == [500, 500, 200]
    assert get(server, DOC)[2] == DOC_FILE.read_bytes()


def test_challenges_look_like_cloudflare(serve):
    server = serve("/x challenge; /y challenge-200")
    status, headers, body = get(server, "/x")
    assert (status, headers["cf-mitigated"], headers["Server"]) == (403, "challenge", "cloudflare")
    assert body == hostile.CHALLENGE_PAGE
    status, headers, body = get(server, "/y")
    assert (status, "cf-mitigated" in headers, body) == (200, False, hostile.CHALLENGE_PAGE)


def test_redirects_loop_or_leave_the_host(serve):
    server = serve("/loop redirect-loop; /away redirect-offsite")
    assert get(server, "/loop")[:2] == (302, {**get(server, "/loop")[1], "Location": "/loop"})
    port = server.server_address[1]
    assert get(server, "/away")[1]["Location"] == f"http://localhost:{port}/away"


def test_truncated_body_with_content_length_is_a_visible_loss(serve):
    server = serve(f"{DOC} truncate")
    with pytest.raises(http.client.IncompleteRead) as cut:
        get(server, DOC)
    assert len(cut.value.partial) == len(DOC_FILE.read_bytes()) // 2


def test_truncated_body_without_length_looks_complete_on_the_wire(serve):
    server = serve(f"{DOC} truncate nolength")
    status, headers, body = get(server, DOC)
    assert (status, "Content-Length" in headers) == (200, False)
    assert body == DOC_FILE.read_bytes()[: len(DOC_FILE.read_bytes()) // 2]


def test_reset_answers_nothing(serve):
    server = serve("/r reset")
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        get(server, "/r")


def test_slow_answer_arrives_after_the_delay(serve):
    server = serve(f"{DOC} slow=0.6")
    started = time.monotonic()
    assert get(server, DOC)[0] == 200
    assert time.monotonic() - started >= 0.6


def test_body_faults_change_the_page(serve):
    server = serve(f"{DOC} oversize=300000 first=1; {DOC} gzip-bomb=1000000 first=2; "
                   f"{DOC} cp1252-undeclared first=3; {DOC} broken-html")
    status, headers, body = get(server, DOC)
    assert (status, int(headers["Content-Length"]), len(body)) == (200, 300000, 300000)
    _, headers, body = get(server, DOC)
    assert headers["Content-Encoding"] == "gzip" and len(gzip.decompress(body)) > 1_000_000
    _, headers, body = get(server, DOC)
    assert (headers["Content-Type"], body) == (
        "text/html", hostile.windows_1252(DOC_FILE.read_bytes(), "undeclared")[0])
    assert get(server, DOC)[2] == hostile.broken_html(DOC_FILE.read_bytes())


@pytest.mark.parametrize(("accept", "coding"), [
    ("gzip, deflate, br, zstd", "br"),         # what Scrapy offers
    ("br;q=1.0, gzip", "br"),
    ("*", "br"),
    ("gzip", None),                            # br not offered: the page as it is
    ("br;q=0, gzip", None),                    # br refused
    ("identity", None),
])
def test_encode_compresses_the_page_when_the_client_offers_it(serve, accept, coding):
    server = serve(f"{DOC} encode=br")
    status, headers, body = get(server, DOC, {"Accept-Encoding": accept})
    assert (status, headers.get("Content-Encoding"), headers["Vary"]) == (
        200, coding, "Accept-Encoding")
    assert int(headers["Content-Length"]) == len(body)
    assert body == encode_body(DOC_FILE.read_bytes(), [coding] if coding else [])


def test_encode_applies_several_codings_in_turn(serve):
    server = serve(f"{DOC} encode=gzip,zstd")
    _, headers, body = get(server, DOC, {"Accept-Encoding": "zstd, gzip"})
    assert headers["Content-Encoding"] == "gzip, zstd"
    assert decode_body(body, headers["Content-Encoding"], 1 << 24).body == DOC_FILE.read_bytes()
    assert get(server, "/document/not-mirrored", {"Accept-Encoding": "zstd, gzip"})[0] == 404


def test_encode_goes_over_a_coding_the_answer_already_has():
    # A web archive's replay may keep the site's own gzip; the archive's br goes over it.
    kept = Answer(200, {"Content-Encoding": "gzip"}, encode_body(DOC_FILE.read_bytes(), ["gzip"]))
    answer = encoded(kept, "br", "gzip, br")
    assert answer.headers["Content-Encoding"] == "gzip, br"
    assert decode_body(answer.body, "gzip, br", 1 << 24).body == DOC_FILE.read_bytes()


def test_page_faults_leave_a_missing_page_a_404(serve):
    server = serve("* broken-html")
    assert get(server, "/document/not-mirrored")[0] == 404


def test_serve_command_takes_faults_and_refuses_a_bad_spec():
    command = [sys.executable, "-m", "harvester.cli", "serve", str(SITE), "--port", "0"]
    bad = subprocess.run([*command, "--faults", "/a explode"], capture_output=True, text=True,
                         timeout=30)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "harvester: rule '/a explode': unknown word 'explode'"
    server = subprocess.Popen([*command, "--faults", f"{DOC} status=503 first=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        host, port = server.stdout.readline().rsplit(" at http://", 1)[1].strip().split(":")
        statuses = []
        for _ in range(2):
            with socket.create_connection((host, int(port)), timeout=60) as sock:
                sock.sendall(f"GET {DOC} HTTP/1.0\r\n\r\n".encode())
                statuses.append(sock.recv(64).split(b" ")[1])
        assert statuses == [b"503", b"200"]
    finally:
        server.terminate()
        server.wait(10)
    assert f"injecting faults: {DOC} status=503 first=1" in server.stderr.read()
