"""Every fault the mirror can inject, as a real crawl (`harvester crawl` in a subprocess) of the
bundled mirror through the faulty server.

A survivable fault must end with exactly the records of a fault-free crawl; a fault that lasts
on one document with exactly those records less that document, plus a reject saying why; a fault
that must stop the run with the right reason, exit code 1, and the previous run untouched.
docs/RELIABILITY.md is checked against these results. The crawls run a few at a time: most of
their time is spent waiting out back-offs.

Nothing here depends on how fast the machine is: no answer of the mirror comes near the download
timeout unless a scenario makes the server hold it back for far longer than the timeout, and
every check of time is a lower bound that the harvester's own waiting guarantees.
"""

import json
import pickle
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from harvester.mirror.faults import FaultPlan, Hit, parse_spec
from harvester.mirror.server import base_url
from harvester.run.folder import file_facts
from tests.helpers.pages import BASE, ROOT, SITE, without_provenance
from tests.helpers.serving import serve_here, stop

HARVESTER = [sys.executable, "-m", "harvester.cli"]
# Short waits so the suite stays quick; the behaviour is the same as with the live defaults.
# The download timeout is the live one: a busy machine never makes a page time out (a page that
# timed out would be retried, and its reject, if any, would say "after 2 attempts").
QUICK = ("HARVESTER_BACKOFF_BASE=0.02", "HARVESTER_BACKOFF_MAX=0.2",
         "HARVESTER_CHALLENGE_BACKOFF=0.3", "HARVESTER_MAX_RETRY_AFTER=5", "DOWNLOAD_TIMEOUT=60",
         "DOWNLOAD_MAXSIZE=300000", "HARVESTER_PROGRESS_INTERVAL=0.1")
STALIN = "/document/telegram-shtykov-gromyko-and-stalin"
CIPHERED = "/document/ciphered-telegram-no-405840-shtykov-feng-xi-stalin"
STALIN49 = "/document/record-conversation-between-iv-stalin-and-kim-il-sung"
PUZANOV = "/document/journal-soviet-ambassador-dprk-am-puzanov-7-september-1960"
CEAUSESCU = "/document/notes-talks-between-nicolae-ceausescu-and-kim-il-sung"
ZHIVKOV = "/document/record-conversation-between-todor-zhivkov-and-kim-il-sung"
NOVOTNY = "/document/record-conversation-between-antonin-novotny-and-kim-il-sung"
FILIPPOV = "/document/report-kim-il-sungs-talks-filippov-stalin-moscow"
HU = "/document/record-conversation-between-hu-yaobang-and-kim-il-sung-taiwan-and-korean-peninsula"
HONECKER = "/document/memorandum-conversation-between-erich-honecker-and-kim-il-sung-31-may-1984"
LISTING = "/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466"
STOP_ADVICE = {
    "challenge": "Wait and run again more slowly (e.g. -s DOWNLOAD_DELAY=10), ask the archive "
                 "to let the harvester in",
    "robots_txt": 'RFC 9309 says to treat that as "disallow everything", so nothing more was '
                  "fetched",
    "rate_limited": "run again later",
}


@dataclass(frozen=True)
class Scenario:
    name: str
    spec: str
    kind: str  # "survives", "rejects" (one document, with `reject`), "stops" (with `reason`)
    reject: str | None = None
    reason: str | None = None
    settings: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        """The one document a lasting fault is aimed at."""
        return self.spec.split()[0]


SCENARIOS = [
    Scenario("5xx-bursts", "/document/* status=503 first=2; /search* status=502 first=1; "
             "/topics/* status=500 first=1", "survives"),
    # One request at a time, so none is on its way when a 429 comes: the server sees the next
    # one only once the pause is over, however slow the machine.
    Scenario("429-retry-after-seconds", "/document/telegram* status=429 retry-after=1 first=1",
             "survives", settings=("CONCURRENT_REQUESTS=1",)),
    Scenario("429-retry-after-date", f"{CIPHERED} status=429 retry-after-date=2 first=1",
             "survives"),
    Scenario("429-no-retry-after", "/document/r* status=429 first=2", "survives"),
    Scenario("503-retry-after", f"{STALIN49} status=503 retry-after=1 first=1", "survives"),
    # The first answers come a minute late, long after the 2 s timeout: they always time out.
    Scenario("slower-than-timeout", "/document/r* slow=60 first=1; /search* slow=60 first=1",
             "survives", settings=("DOWNLOAD_TIMEOUT=2",)),
    Scenario("cut-short-with-length", "/document/* truncate first=1", "survives"),
    Scenario("cut-short-no-length", "/document/* truncate nolength first=1; "
             "/search* truncate nolength first=1", "survives"),
    Scenario("connection-reset", "/document/* reset first=1; /topics/* reset first=1",
             "survives"),
    Scenario("three-faults-then-the-page", "/document/* status=503 first=1; "
             "/document/* reset first=2; /document/* truncate nolength first=3", "survives"),
    Scenario("challenges-now-and-then", f"{STALIN} challenge first=1; "
             f"{CIPHERED} challenge-200 first=1", "survives"),
    Scenario("robots-404", "/robots.txt status=404", "survives"),
    Scenario("redirect-loop-then-the-page", f"{STALIN} redirect-loop first=3", "survives"),
    Scenario("windows-1252-declared", "/document/* cp1252; /topics/* cp1252; /search* cp1252",
             "survives"),
    Scenario("windows-1252-undeclared", "/document/* cp1252-undeclared; "
             "/topics/* cp1252-undeclared; /search* cp1252-undeclared", "survives"),
    Scenario("windows-1252-labelled-utf8", "/document/* cp1252-mislabelled", "survives"),
    Scenario("broken-html", "/document/* broken-html; /topics/* broken-html; "
             "/search* broken-html", "survives"),
    # Lasting faults, each on its own document, all in one crawl.
    Scenario("503-for-good", f"{STALIN} status=503", "rejects",
             reject="HTTP 503 after 4 attempts"),
    Scenario("cut-short-for-good", f"{PUZANOV} truncate nolength", "rejects",
             reject="page cut short (its markup stops before the end of the page) "
                    "after 4 attempts"),
    Scenario("redirect-loop", f"{CEAUSESCU} redirect-loop", "rejects",
             reject="max redirections reached"),
    Scenario("redirect-to-another-host", f"{ZHIVKOV} redirect-offsite", "rejects",
             reject="redirect from {base}" + ZHIVKOV + " to another host (localhost:{port}) "
                    "refused"),
    Scenario("body-over-size-limit", f"{NOVOTNY} oversize=400000", "rejects",
             reject="response larger than the size limit (DOWNLOAD_MAXSIZE=300000 bytes)"),
    Scenario("body-over-size-limit-no-length", f"{FILIPPOV} oversize=400000 nolength",
             "rejects",
             reject="response larger than the size limit (DOWNLOAD_MAXSIZE=300000 bytes)"),
    Scenario("gzip-bomb", f"{HU} gzip-bomb=50000000", "rejects",
             reject="Ignored response <200 {base}" + HU + "> because its body (48654 B "
                    "compressed, 327680 B decompressed so far) exceeded DOWNLOAD_MAXSIZE "
                    "(300000 B) during decompression."),
    Scenario("challenged-every-time", f"{HONECKER} challenge", "rejects",
             reject="bot challenge instead of the page (cf-mitigated: challenge) "
                    "after 4 attempts"),
    Scenario("challenges-403", "/document/* challenge", "stops", reason="challenge"),
    Scenario("challenges-200", "/document/* challenge-200", "stops", reason="challenge"),
    Scenario("robots-503", "/robots.txt status=503", "stops", reason="robots_txt"),
    Scenario("robots-challenge", "/robots.txt challenge", "stops", reason="robots_txt"),
    Scenario("robots-unreachable", "/robots.txt reset", "stops", reason="robots_txt"),
    Scenario("retry-after-over-the-cap", "/document/* status=429 retry-after=3600",
             "stops", reason="rate_limited"),
    Scenario("429-for-ever", f"{STALIN} status=429 retry-after=0.05", "stops",
             reason="rate_limited", settings=("HARVESTER_MAX_RATE_LIMITS=3",)),
    Scenario("list-page-503-for-good", "/search* status=503", "stops"),
]
BY_NAME = {s.name: s for s in SCENARIOS}
# A challenge on every attempt of one page becomes a reject only if the challenges never come
# three in a row, which they would once the other documents are done.
LASTING_SETTINGS = ("HARVESTER_CHALLENGE_LIMIT=100",)


@dataclass
class Result:
    code: int
    stderr: str
    out: Path
    hits: list[Hit]
    base: str
    seconds: float

    @property
    def last_line(self) -> str:
        return self.stderr.strip().splitlines()[-1]


def crawl(spec: str, out: Path, settings: tuple[str, ...] = (), port: int = 0) -> Result:
    plan = FaultPlan(parse_spec(spec))
    server = serve_here(SITE, port=port, faults=plan)
    url = base_url(server)
    overrides = [arg for setting in (*QUICK, *settings) for arg in ("-s", setting)]
    started = time.monotonic()
    try:
        done = subprocess.run([*HARVESTER, "crawl", "topic", "--base-url", url, "--out", str(out),
                               "--public-base-url", BASE, *overrides],
                              capture_output=True, text=True, timeout=120)
    finally:
        stop(server)
    return Result(done.returncode, done.stderr, out, list(plan.hits), url,
                  time.monotonic() - started)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def published(out: Path) -> dict[str, list[dict]]:
    """The published run's records, retrieval times left out (they differ run to run)."""
    run = out / "latest"
    documents = [without_provenance(d) for d in read_jsonl(run / "documents.jsonl")]
    return {"documents": documents, "topics": read_jsonl(run / "topics.jsonl"),
            "rejects": read_jsonl(run / "rejects.jsonl")}


def snapshot(out: Path) -> dict:
    """What a reader of `out` can see: where latest points and every visible file's digest."""
    files = {str(p.relative_to(out)): file_facts(p)["sha256"]
             for p in sorted(out.rglob("*")) if p.is_file() and "state" not in p.parts
             and not any(part.startswith(".") for part in p.relative_to(out).parts)}
    return {"latest": (out / "latest").resolve().name, "files": files}


@pytest.fixture(scope="module")
def reference(bundled_topic_run) -> Path:
    """The session's fault-free crawl of the mirror (read only: a run that stops is crawled
    over a copy of it)."""
    return bundled_topic_run.out


@pytest.fixture(scope="module")
def results(reference, tmp_path_factory) -> dict[str, Result]:
    """Each scenario's crawl; the lasting faults share one crawl, one document each."""
    lasting = [s for s in SCENARIOS if s.kind == "rejects"]
    crawls = {s.name: (s.spec, s.settings, s.kind == "stops") for s in SCENARIOS
              if s.kind != "rejects"}
    crawls["lasting"] = ("; ".join(s.spec for s in lasting), LASTING_SETTINGS, False)

    def run(name: str) -> Result:
        spec, settings, over_a_good_run = crawls[name]
        out = tmp_path_factory.mktemp(name)
        if over_a_good_run:  # the last good run must survive a stopped one
            shutil.rmtree(out)
            shutil.copytree(reference, out, symlinks=True)
        return crawl(spec, out, settings)

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(crawls, pool.map(run, crawls), strict=True))
    return {s.name: done["lasting" if s.kind == "rejects" else s.name] for s in SCENARIOS}


def names(kind: str) -> list[str]:
    return [s.name for s in SCENARIOS if s.kind == kind]


@pytest.mark.parametrize("name", names("survives"))
def test_survivable_fault_ends_with_exactly_the_fault_free_records(name, results, reference):
    result = results[name]
    assert result.code == 0, result.stderr
    # Retries make the number of requests vary with the fault; what was published does not.
    assert re.fullmatch(rf"harvester: published {re.escape(str((result.out / 'latest').resolve()))}"
                        r": 19 documents, 1 topic, 1 reject, \d+ requests; 19 added, 0 changed, "
                        r"0 removed", result.last_line), result.last_line
    assert published(result.out) == published(reference)
    assert any(hit.fault for hit in result.hits), "the fault never happened"


@pytest.mark.parametrize("name", names("rejects"))
def test_lasting_fault_on_a_document_is_a_reject_that_says_why(name, results):
    scenario, result = BY_NAME[name], results[name]
    url = BASE + scenario.target
    port = result.base.rsplit(":", 1)[1]
    reason = scenario.reject.format(base=result.base, port=port)
    assert {"url": url, "reason": reason, "field": None} in published(result.out)["rejects"]
    assert url not in [d["url"] for d in published(result.out)["documents"]]


def test_lasting_faults_lose_only_their_documents_and_count_them(results, reference):
    result = results["503-for-good"]
    assert result.code == 0, result.stderr
    got, want = published(result.out), published(reference)
    faulty = {BASE + s.target for s in SCENARIOS if s.kind == "rejects"}
    assert got["documents"] == [d for d in want["documents"] if d["url"] not in faulty]
    kept = [d["record_id"] for d in got["documents"]]
    assert got["topics"] == [{**t, "record_ids": [r for r in t["record_ids"] if r in kept]}
                             for t in want["topics"]]
    assert sorted(r["url"] for r in got["rejects"]) == sorted(
        [r["url"] for r in want["rejects"]] + list(faulty))
    manifest = json.loads((result.out / "latest" / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["rejects"] == len(faulty) + len(want["rejects"])


@pytest.mark.parametrize("name", names("stops"))
def test_fault_that_must_stop_the_run_stops_it_and_keeps_the_last_good_run(name, results,
                                                                           reference):
    scenario, result = BY_NAME[name], results[name]
    assert result.code == 1, result.stderr
    keeps = f"; the last good run is still {(result.out / 'latest').resolve()}"
    assert result.last_line.startswith("harvester: run not published: ")
    assert result.last_line.endswith(keeps)
    if scenario.reason:
        assert result.last_line.startswith(
            f"harvester: run not published: crawl stopped ({scenario.reason}): ")
        assert STOP_ADVICE[scenario.reason] in result.last_line
    assert snapshot(result.out) == snapshot(reference)
    assert not [p for p in result.out.iterdir() if p.name.startswith(".") and "partial" in p.name]


def gap_after_fault(result: Result, target: str) -> float:
    """Seconds between the faulty answer for `target` and the next request for it."""
    hits = [hit for hit in result.hits if hit.target == target]
    assert hits[0].fault and not hits[1].fault
    return hits[1].at - hits[0].at


def test_retry_after_in_seconds_is_waited_out(results):
    result = results["429-retry-after-seconds"]
    faults = [n for n, hit in enumerate(result.hits) if hit.fault]
    assert len(faults) == len({result.hits[n].target for n in faults}) >= 2
    for target in {result.hits[n].target for n in faults}:
        assert gap_after_fault(result, target) >= 1.0
    # The whole download slot waits, not only the page that got the 429: whatever page the
    # crawl asks for next comes a full second later.
    for n in faults:
        assert result.hits[n + 1].at - result.hits[n].at >= 1.0, result.hits[n].target


def test_retry_after_as_a_date_is_waited_out(results):
    # The date has whole seconds: "now + 2 s" leaves between 1 and 2 seconds to wait.
    assert gap_after_fault(results["429-retry-after-date"], CIPHERED) >= 1.0


def test_retry_after_on_a_503_is_waited_out(results):
    assert gap_after_fault(results["503-retry-after"], STALIN49) >= 1.0


def test_a_challenge_is_asked_again_only_after_the_pause(results):
    result = results["challenges-now-and-then"]
    assert gap_after_fault(result, STALIN) >= 0.3
    assert gap_after_fault(result, CIPHERED) >= 0.3


def test_a_redirect_to_another_host_is_never_followed(results):
    # The other host name points at the same server: a followed redirect would show here.
    assert [hit.fault for hit in results["redirect-to-another-host"].hits
            if hit.target == ZHIVKOV] == ["redirect-offsite"]


def test_a_robots_txt_that_forbids_everything_stops_before_any_page(results):
    for name in ("robots-503", "robots-challenge", "robots-unreachable"):
        assert {hit.target for hit in results[name].hits} == {"/robots.txt"}, name


def test_messages_name_what_happened(results):
    assert "robots.txt answered HTTP 503 after 4 attempts;" in results["robots-503"].last_line
    assert "robots.txt was answered with a bot challenge (cf-mitigated: challenge);" in \
        results["robots-challenge"].last_line
    assert "bot challenge (window._cf_chl_opt)" in results["challenges-200"].last_line
    assert "the archive asked to wait 3600 s (Retry-After)" in \
        results["retry-after-over-the-cap"].last_line
    assert f"429 Too Many Requests 4 times in a row for {results['429-for-ever'].base}{STALIN}" \
        in results["429-for-ever"].last_line
    assert (f"document list incomplete: {results['list-page-503-for-good'].base}{LISTING}: "
            "HTTP 503 after 4 attempts") in results["list-page-503-for-good"].last_line


def cached_answers(cache: Path) -> dict[str, tuple[int, bytes]]:
    """URL → (status, body) of every answer Scrapy's file cache stored."""
    answers = {}
    for meta in cache.rglob("pickled_meta"):
        facts = pickle.loads(meta.read_bytes())  # written by the crawl this test ran
        answers[facts["response_url"]] = (facts["status"],
                                          (meta.parent / "response_body").read_bytes())
    return answers


def test_challenges_and_cut_pages_are_never_cached(tmp_path, reference):
    cache = tmp_path / "cache"
    settings = ("HTTPCACHE_ENABLED=True", f"HTTPCACHE_DIR={cache}")
    first = crawl(f"{STALIN} challenge first=1; {CIPHERED} challenge-200 first=1; "
                  f"{STALIN49} truncate nolength first=1", tmp_path / "first", settings)
    assert first.code == 0, first.stderr
    answers = cached_answers(cache)
    # robots.txt, the topic, 3 listing pages, 20 documents and the old URL's redirect
    assert len(answers) == 26
    for url in (STALIN, CIPHERED, STALIN49):
        status, body = answers[first.base + url]
        assert status == 200 and b"_cf_chl_opt" not in body and body.endswith(b"</html>\n")
    # Same address, so the same cache keys; the server fails everything, only the cache answers.
    port = int(first.base.rsplit(":", 1)[1])
    again = crawl("* status=500", tmp_path / "again", settings, port=port)
    assert again.code == 0, again.stderr
    assert published(again.out) == published(reference)


# -- docs/RELIABILITY.md ----------------------------------------------------------------------
def table_rows() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "RELIABILITY.md").read_text("utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 5:
            rows[cells[0].strip("`")] = cells
    return rows


def lost(scenario: Scenario, result: Result, reference: Path) -> int:
    """Documents of the mirror missing from what `output/latest` holds after the run (for
    a lasting fault, of its own document)."""
    want = {d["url"] for d in published(reference)["documents"]}
    if scenario.kind == "rejects":
        want = {BASE + scenario.target}
    return len(want - {d["url"] for d in published(result.out)["documents"]})


def test_reliability_table_is_what_the_tests_found(results, reference):
    rows = table_rows()
    assert list(rows) == list(BY_NAME)
    for name, (_, spec, did, code, records_lost) in rows.items():
        scenario, result = BY_NAME[name], results[name]
        assert spec.strip("`").replace("\\|", "|") == scenario.spec, name
        assert code == str(result.code), name
        assert records_lost == str(lost(scenario, result, reference)), name
        if scenario.reason:
            assert f"`{scenario.reason}`" in did, name
        if scenario.reject:
            assert f"`{scenario.reject.format(base='<mirror>', port='<port>')}`" in did, name


def test_zz_timing(results):
    """How long each crawl took (shown with `pytest -s`), and that each ended as its kind
    says: the stopped ones with 1, the others with 0."""
    for name, r in results.items():
        print(f"{name:35s} {r.seconds:5.1f}s code {r.code} requests {len(r.hits)}")
    assert {name: r.code for name, r in results.items()} == {
        s.name: int(s.kind == "stops") for s in SCENARIOS}
