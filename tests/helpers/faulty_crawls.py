"""The fault scenarios of the end-to-end fault tests, and a crawl of the bundled mirror through
the faulty server: each scenario's fault spec, what it must end with (survive, reject one
document, or stop the run), and the published records and visible files of a crawl's output."""

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from harvester.dataset.folder import file_facts
from harvester.mirror.faults import FaultPlan, Hit, parse_spec
from harvester.mirror.server import base_url
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, SITE, read_jsonl, without_provenance
from tests.helpers.serving import serve_here, stop

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
    # The site's CDN compresses what the client offers (Scrapy offers gzip, deflate, br, zstd).
    Scenario("content-encoded-br", "* encode=br", "survives"),
    Scenario("content-encoded-zstd", "* encode=zstd", "survives"),
    Scenario("content-encoded-stacked", "* encode=gzip,br", "survives"),
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

