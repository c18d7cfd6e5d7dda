"""Every setting the harvester reads, what it accepts and what it means, in one table: checked
before the first request (`harvester crawl`, the project's `scrapy crawl` and every harvest
spider), so a bad value costs one line and exit 2 instead of a run that fails halfway, quietly
turns a check off, or publishes half a dataset. docs/SETTINGS.md is this table, rendered
(`python -m harvester.settings.checks`; a test keeps them the same).

A new setting is one line in SETTINGS: its name, its kind (harvester.settings.kinds) and its
meaning; its default is read from harvester.settings.base (or Scrapy's own defaults).
"""

from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import UsageError
from scrapy.settings import default_settings

from harvester.settings import base
from harvester.settings.kinds import (
    CONTACT,
    FEEDS,
    FLAG,
    SHARE,
    STATUSES,
    Kind,
    NotAccepted,
    number,
    one_of,
    shares_of,
    text,
    web_address,
    whole,
)
from harvester.settings.output import DEFAULT_OUTPUT_DIR
from harvester.site_urls import ARCHIVE_URL


def document_fields() -> list[str]:
    from harvester.items import fields_of

    return fields_of("document")


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    meaning: str
    # Read from the environment too; its default when the environment does not set it.
    environment: str | None = None


SETTINGS: tuple[Setting, ...] = (
    # Where from, where to, who asks.
    Setting("HARVESTER_BASE_URL", web_address(), "the site to crawl, `--base-url`", ARCHIVE_URL),
    Setting("HARVESTER_PUBLIC_BASE_URL", web_address(empty=True),
            "the base URL written into records, for a mirror of the site, `--public-base-url`",
            ""),
    Setting("HARVESTER_OUTPUT_DIR", text(empty=False),
            "the folder runs are published in, `--out`", DEFAULT_OUTPUT_DIR),
    Setting("HARVESTER_CONTACT_URL", CONTACT, "how the archive's operators can reach you, put "
            "into the User-Agent; set it for live crawls", ""),
    Setting("HARVESTER_PROGRESS_INTERVAL", number(), "seconds between progress lines (0: none)"),
    Setting("HARVESTER_PARSE_WORKERS", whole(0), "worker processes that parse document pages "
            "beside the crawl, off the core it runs on (0: parse in the crawl's process; "
            "`--source warc` uses 1 unless told)"),
    Setting("HARVESTER_PARSE_WORKERS_AFTER", whole(0), "document pages a crawl parses itself "
            "before its parse workers start (a worker's start costs about as much as parsing "
            "a few hundred pages); a WARC run that indexes that many starts them at once"),
    # A run and what is kept.
    Setting("HARVESTER_LIMIT", whole(0), "`--limit N`: a trial run of N documents, published as "
            "partial (0: a whole run)"),
    Setting("HARVESTER_PEOPLE_PAGES", FLAG, "`--people-pages`: also read the page of each "
            "person the documents link, for life dates and descriptions (not within "
            "HARVESTER_RECHECK_PERIOD_DAYS of the last read)"),
    Setting("HARVESTER_KEEP_RUNS", whole(0), "after each publish, keep only the N newest runs "
            "besides `latest`'s (0: keep every run)"),
    Setting("HARVESTER_STATE_BATCH_WRITES", whole(1), "writes to the state per commit (a killed "
            "run fetches again at most this many documents)"),
    # Incremental runs.
    Setting("HARVESTER_INCREMENTAL_STOP_PAGES", whole(1), "`--incremental`: pages in a row "
            "with nothing new that end the walk of a list"),
    Setting("HARVESTER_RECHECK_PERIOD_DAYS", number(0, above=True), "days within which every "
            "known document is re-checked by incremental runs"),
    Setting("HARVESTER_RECHECK_BUDGET", whole(-1), "known documents an incremental run "
            "re-checks (-1: sized from the period)"),
    Setting("HARVESTER_FULL_SWEEP_EVERY", whole(0), "every Nth published run is a full sweep "
            "(0: only with `--full-sweep`)"),
    # Checks that refuse a run.
    Setting("HARVESTER_MIN_COVERAGE", shares_of(document_fields), "per field, the share of "
            "the published dataset's rate a run's documents must reach"),
    Setting("HARVESTER_COVERAGE_SAMPLE", whole(1), "documents a run must fetch before its "
            "field coverage is judged"),
    Setting("HARVESTER_LISTING_REWALKS", whole(0), "walks of the archive's listing again when "
            "it shows fewer documents than its counter"),
    Setting("HARVESTER_TOPIC_SHORTFALL", SHARE, "how far short of its counter a topic's list "
                                                "may be in a complete run"),
    # Walking lists.
    Setting("HARVESTER_LIST_WINDOW", whole(1), "pages of a list asked for ahead of the last "
            "one back"),
    Setting("HARVESTER_LIST_EMPTY_STOP", whole(1), "pages in a row with no new documents that "
            "end the walk of a list"),
    Setting("HARVESTER_LIST_PAGE_MARGIN", whole(0), "pages a list may have beyond what its "
            "counter implies"),
    Setting("HARVESTER_MAX_LIST_PAGES", whole(1), "pages of one list at most, whatever its "
            "counter says"),
    # Faults, rate limits, challenges.
    Setting("HARVESTER_BACKOFF_BASE", number(), "seconds before the first retry (doubling, "
            "with jitter)"),
    Setting("HARVESTER_BACKOFF_MAX", number(), "seconds between retries at most"),
    Setting("HARVESTER_MAX_RETRY_AFTER", number(), "seconds of `Retry-After` honoured; a "
            "longer one stops the run"),
    Setting("HARVESTER_MAX_RATE_LIMITS", whole(0), "429s in a row for one request before the "
            "run stops"),
    Setting("HARVESTER_CHALLENGE_LIMIT", whole(1), "bot challenges in a row before the run "
            "stops"),
    Setting("HARVESTER_CHALLENGE_BACKOFF", number(), "seconds before a challenged page is "
            "asked again"),
    # Web archives and WARC files.
    Setting("HARVESTER_WAYBACK_URL", web_address(), "the web archive of `--source wayback`, "
            "`--wayback-url`", "https://web.archive.org"),
    Setting("HARVESTER_CDX_PER_MINUTE", number(0, above=True), "CDX queries a minute"),
    Setting("HARVESTER_REPLAYS_PER_SECOND", number(0, above=True), "replays a second"),
    Setting("HARVESTER_CDX_PAGE_ROWS", whole(1), "rows a CDX answer holds"),
    Setting("HARVESTER_WAYBACK_PAUSE", number(), "seconds everything waits on the web "
            "archive's 429 or a refused connection"),
    Setting("HARVESTER_WAYBACK_MAX_RATE_LIMITS", whole(0), "the web archive's 429s in a row "
            "before the run stops (resumable)"),
    Setting("HARVESTER_WAYBACK_MAX_FAILURES", whole(1), "requests in a row the web archive "
            "fails before the run stops (resumable)"),
    Setting("HARVESTER_WAYBACK_REPLAY_TRIES", whole(1), "failed replays of one capture, the "
            "archive up, before it is skipped"),
    Setting("HARVESTER_CAPTURE_FETCHES", whole(1), "captures fetched for one URL before "
            "giving up on it"),
    Setting("HARVESTER_CDX_MAX_ROWS", whole(1), "rows a census may hold before it is refused "
            "(the real archive's: some 100,000 to 300,000)"),
    Setting("HARVESTER_CDX_MAX_PAGES", whole(1), "CDX answers a census may take before it is "
            "refused"),
    Setting("HARVESTER_CDX_MAX_MALFORMED", SHARE, "the share of a census's rows that may be "
            "unreadable or untrue before the run is refused"),
    Setting("HARVESTER_WACZ_MAX_MEMBER_BYTES", whole(1), "bytes a WACZ member may inflate to; "
            "a larger one is never opened"),
    Setting("HARVESTER_WACZ_MAX_RATIO", number(1), "times its stored size a WACZ member may "
            "inflate to; a member that claims more is never opened"),
    Setting("HARVESTER_RATE_LIMIT_PAUSE", number(), "seconds a 429 pauses at least (set by "
            "`--source wayback`)"),
    Setting("HARVESTER_REFUSED_PAUSE", number(), "seconds a refused connection pauses (set "
            "by `--source wayback`)"),
    Setting("HARVESTER_PAUSE_EVERYTHING", FLAG, "a pause stops every download slot, not only "
                                                "the one answered (set by `--source wayback`)"),
    Setting("HARVESTER_WARC", FLAG, "`--warc`: keep every response as WARC in the run"),
    Setting("HARVESTER_WARC_MAX_BYTES", whole(1), "bytes of a `--warc` file before "
            "the next is started"),
    # Scrapy's own, as the harvester reads or sets them.
    Setting("DOWNLOAD_DELAY", number(), "seconds between requests to the site"),
    Setting("DOWNLOAD_TIMEOUT", number(0, above=True), "seconds a request may take"),
    Setting("DOWNLOAD_MAXSIZE", whole(0), "bytes of a response at most (0: no limit)"),
    Setting("URLLENGTH_LIMIT", whole(0), "characters of a URL at most (a replay longer is a "
            "skipped capture, a link longer a reject)"),
    Setting("CONCURRENT_REQUESTS", whole(1), "requests at once"),
    Setting("CONCURRENT_REQUESTS_PER_DOMAIN", whole(1), "requests at once to one host"),
    Setting("AUTOTHROTTLE_ENABLED", FLAG, "slow down when the server slows down"),
    Setting("AUTOTHROTTLE_START_DELAY", number(), "seconds between requests at first"),
    Setting("AUTOTHROTTLE_MAX_DELAY", number(), "seconds between requests at most"),
    Setting("RETRY_TIMES", whole(0), "retries of a failed request"),
    Setting("RETRY_HTTP_CODES", STATUSES, "statuses retried (429 is the rate limiter's)"),
    Setting("ROBOTSTXT_OBEY", FLAG, "obey the site's robots.txt"),
    Setting("HTTPCACHE_ENABLED", FLAG, "answer from Scrapy's HTTP cache"),
    Setting("USER_AGENT", text(empty=False), "the User-Agent (with a contact, the harvester "
            "writes its own)"),
    Setting("LOG_LEVEL", one_of("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"),
            "Scrapy's log level (`harvester crawl` uses WARNING, or INFO with `-v`)"),
    Setting("FEEDS", FEEDS, "feeds of the records (`-o`, `-O`), written whole when the run is "
            "published"),
)


BY_NAME = {setting.name: setting for setting in SETTINGS}


def check_settings(settings) -> None:
    """UsageError naming the first setting whose value cannot be used and what it accepts."""
    for setting in SETTINGS:
        value = settings.get(setting.name)
        try:
            setting.kind.read(value)
        except NotAccepted:
            raise UsageError(f"{setting.name}={shown(value)} is not accepted: it takes "
                             f"{setting.kind.accepts} ({setting.meaning})") from None


def read_setting(settings, name: str) -> Any:
    """A setting's value as its kind reads it (NotAccepted when it cannot be used: checked
    before the run, so only a value changed since then)."""
    return BY_NAME[name].kind.read(settings.get(name))


def default(setting: Setting) -> Any:
    if setting.environment is not None:
        return setting.environment
    if hasattr(base, setting.name):
        return getattr(base, setting.name)
    return getattr(default_settings, setting.name)


def shown(value: Any) -> str:
    """A value as one would type it after `-s NAME=`."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) and value.strip() != value or value == "" \
        else str(value)


def table() -> str:
    """The settings table of docs/SETTINGS.md."""
    rows = ["| setting | default | accepts | meaning |", "|---|---|---|---|"]
    for setting in SETTINGS:
        env = " (env too)" if setting.environment is not None else ""
        cell = shown(default(setting)).replace("|", "\\|")
        rows.append(f"| `{setting.name}`{env} | `{cell}` | {setting.kind.accepts} | "
                    f"{setting.meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(table(), end="")
