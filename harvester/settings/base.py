"""Settings for crawling the live archive politely and safely."""

import os

from harvester.settings.output import DEFAULT_OUTPUT_DIR
from harvester.site_urls import ARCHIVE_URL

BOT_NAME = "harvester"
SPIDER_MODULES = ["harvester.spiders"]
NEWSPIDER_MODULE = "harvester.spiders"
# `scrapy crawl` exits as `harvester crawl` does (harvester.scrapy_commands.crawl).
COMMANDS_MODULE = "harvester.scrapy_commands"

# Where to crawl. Spiders take `base_url` as an argument too; the environment wins over this file.
HARVESTER_BASE_URL = os.environ.get("HARVESTER_BASE_URL", ARCHIVE_URL)
# Rewrite record URLs from the crawl base to this base (set when crawling a mirror of the site).
HARVESTER_PUBLIC_BASE_URL = os.environ.get("HARVESTER_PUBLIC_BASE_URL", "")
HARVESTER_OUTPUT_DIR = os.environ.get("HARVESTER_OUTPUT_DIR", DEFAULT_OUTPUT_DIR)
# A page or address where the archive's operators can reach whoever runs the crawl.
HARVESTER_CONTACT_URL = os.environ.get("HARVESTER_CONTACT_URL", "")
# Seconds between progress lines on stderr (0 turns them off).
HARVESTER_PROGRESS_INTERVAL = 2.0
# Worker processes that parse document pages beside the crawl, off the reactor's core
# (harvester/middlewares/parse_workers.py); 0 parses in the crawl's own process, as does a
# crawl for its first HARVESTER_PARSE_WORKERS_AFTER pages (a worker's start is not free),
# unless it foresees that many before it asks for any (a WARC run's index pass).
HARVESTER_PARSE_WORKERS = 0
HARVESTER_PARSE_WORKERS_AFTER = 200

# With HARVESTER_CONTACT_URL set, the spiders add it: "harvester/<version> (+<contact>)".
USER_AGENT = "harvester/0.1"

# Politeness: robots.txt, one request at a time, at least a second apart, slower when the
# server slows down.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0  # exactly the delay: a jitter below it would go under a second
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 3
# Items of one response in the pipelines at once. They are all synchronous, so more gains
# nothing, and Scrapy starts this many tasks for every response: the default 100 cost ~0.8 ms of
# CPU per response. With fewer, a callback waits for its items more often while other responses
# are parsed, so more pages are held at once: 4 costs ~5 MB of RSS, 1 ~14 MB.
CONCURRENT_ITEMS = 4

# Safety: no local control channels, no local-file or inline-data downloads, bounded bodies.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

COOKIES_ENABLED = False
# Scrapy would read the source of a generator callback again for every response it calls (its
# cache is keyed by the bound method, made anew each time): a warning meant for writing spiders.
WARN_ON_GENERATOR_RETURN_VALUE = False
HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
# Feeds (`-O docs.jsonl`, FEEDS) get each record as a run's files write it (harvester.feeds).
FEED_EXPORTERS = {
    "json": "harvester.feeds.RecordJsonExporter",
    "jsonlines": "harvester.feeds.RecordJsonLinesExporter",
    "jsonl": "harvester.feeds.RecordJsonLinesExporter",
    "jl": "harvester.feeds.RecordJsonLinesExporter",
    "csv": "harvester.feeds.RecordCsvExporter",
    "xml": "harvester.feeds.RecordXmlExporter",
}
# Local feed files are written aside and put in place only when the run is published.
FEED_STORAGES = {"": "harvester.feeds.AtomicFileFeedStorage",
                 "file": "harvester.feeds.AtomicFileFeedStorage"}
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "harvester.pipelines.normalize.NormalizePipeline": 100,
    "harvester.pipelines.validate.ValidatePipeline": 200,
    "harvester.pipelines.deduplicate.DeduplicatePipeline": 300,
    "harvester.pipelines.limit.LimitPipeline": 400,
}
EXTENSIONS = {
    "harvester.extensions.progress.Progress": 500,
    "harvester.extensions.warc.WarcKeeper": 510,
    "harvester.extensions.quiet.QuietDebug": 520,
    # Opens the run (harvester.run) and closes it last, once the others have closed theirs
    # (the WARC files it publishes).
    "harvester.run.extension.RunKeeper": 900,
}
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

# A trial run (`--limit N`, `-a limit=N`): stop after this many documents and publish the run as
# `<run-id>-partial`, marked partial, without switching `latest` or counting it as a sweep (0: off).
HARVESTER_LIMIT = 0

# `--people-pages`: once the walk and the re-checks are done, read the page (`/people/<slug>`) of
# each person the run's documents link, for the people index's life dates and description; a
# page read within HARVESTER_RECHECK_PERIOD_DAYS is not read again (harvester.spiders.people_pages).
HARVESTER_PEOPLE_PAGES = False

# After each publish keep only this many of the newest runs in the output folder, besides the one
# `latest` names (`harvester prune --keep N` does the same by hand; 0: keep every run).
HARVESTER_KEEP_RUNS = 0

# Incremental runs (`--incremental`): stop walking the newest-first listing after this many
# pages in a row with nothing new; re-check known documents so that each is re-checked within
# the period; every Nth run is a full sweep (0: only with --full-sweep).
HARVESTER_INCREMENTAL_STOP_PAGES = 1
HARVESTER_RECHECK_PERIOD_DAYS = 30.0
HARVESTER_RECHECK_BUDGET = -1  # a fixed number of re-checks per run; -1 sizes it from the period
HARVESTER_FULL_SWEEP_EVERY = 0
# Re-walks of the listing when it holds fewer documents than its counter says (it shifts while
# documents are added).
HARVESTER_LISTING_REWALKS = 2
# Walking a list (the listing, a topic's list): pages are asked for in order, at most this many
# beyond the last page back, never every page a counter implies at once.
HARVESTER_LIST_WINDOW = 4
# A list ends after this many pages in a row with no documents (empty, missing: 404/410, failed).
HARVESTER_LIST_EMPTY_STOP = 3
# Pages a list may have beyond what its counter implies (it shifts while it is walked), and at
# most, whatever its counter says: the archive's listing has ~1,600 pages (16,000 documents, 10 a
# page), so 5,000 leaves room to triple. A complete run whose list stopped at a cap or a run of
# empty pages short of its counter is refused.
HARVESTER_LIST_PAGE_MARGIN = 5
HARVESTER_MAX_LIST_PAGES = 5000
# A complete topic run is refused when a topic's list shows fewer documents than its counter by
# more than this share of the counter (the bundled mirror's topic lists 20 documents of 21).
HARVESTER_TOPIC_SHORTFALL = 0.1
# Writes to the state store per commit (a commit happens at least every second too); a killed
# run fetches again at most this many documents when it resumes.
HARVESTER_STATE_BATCH_WRITES = 200
# A run fails when the documents it fetched have a field less often than this share of the
# published dataset's rate (of every document on a first run), over at least
# HARVESTER_COVERAGE_SAMPLE documents, by more than chance explains (harvester.run.coverage).
HARVESTER_MIN_COVERAGE = {"record_id": 1.0, "title": 1.0, "date": 0.5, "summary": 0.5}
HARVESTER_COVERAGE_SAMPLE = 20

# The real web: faults, rate limits, bot challenges (harvester/middlewares/).
DOWNLOADER_MIDDLEWARES = {
    # A known document is asked with its validators; its 304 brings the stored record.
    "harvester.middlewares.conditional.ConditionalRequestsMiddleware": 30,
    # A document page's answer, judged by all the others, parsed by a worker process.
    "harvester.middlewares.parse_workers.ParseWorkersMiddleware": 35,
    "harvester.middlewares.hosts.SameHostMiddleware": 40,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "harvester.middlewares.robots.StrictRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "harvester.middlewares.retry.BackoffRetryMiddleware": 550,
    "harvester.middlewares.ratelimit.RateLimitMiddleware": 560,
    "harvester.middlewares.limits.SizeLimitMiddleware": 570,
    # Answers pass these from the highest number down: decompressed (590), decoded (588), a
    # captured one taken aside (587), checked for a challenge (586), then for an end (585).
    "harvester.middlewares.encoding.EncodingMiddleware": 588,
    # A web archive's replay of a capture, read into its Answer: the guards below never see it.
    "harvester.middlewares.captured.CapturedAnswersMiddleware": 587,
    "harvester.middlewares.challenge.ChallengeMiddleware": 586,
    "harvester.middlewares.completeness.CompletenessMiddleware": 585,
    # The run's own count of requests and answers, where Scrapy's stats count them (850).
    "harvester.middlewares.exchanges.ExchangesMiddleware": 849,
}
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]  # 429 is the rate limiter's
HARVESTER_BACKOFF_BASE = 2.0  # seconds before the first retry (doubling, with jitter)
HARVESTER_BACKOFF_MAX = 120.0
HARVESTER_MAX_RETRY_AFTER = 600.0  # a longer Retry-After stops the run
HARVESTER_MAX_RATE_LIMITS = 5  # 429s in a row for one request before the run stops
HARVESTER_CHALLENGE_LIMIT = 3  # bot challenges in a row before the run stops
HARVESTER_CHALLENGE_BACKOFF = 60.0  # seconds before asking again after a challenge
HTTPCACHE_POLICY = "harvester.middlewares.cache.SafeCachePolicy"
HTTPCACHE_IGNORE_HTTP_CODES = [403, 408, 429, 500, 502, 503, 504, 522, 524]

# Web archives and WARC files (`--source wayback|warc`; README "Other sources").
HARVESTER_WAYBACK_URL = os.environ.get("HARVESTER_WAYBACK_URL", "https://web.archive.org")
HARVESTER_CDX_PER_MINUTE = 24.0  # CDX queries; maintained clients keep well under the limit
HARVESTER_REPLAYS_PER_SECOND = 1.0
HARVESTER_CDX_PAGE_ROWS = 5000  # rows per CDX answer (paged with resume keys)
HARVESTER_WAYBACK_PAUSE = 60.0  # everything waits this long on a 429 or a refused connection
HARVESTER_WAYBACK_MAX_RATE_LIMITS = 3  # 429s in a row before the run stops (resumable)
HARVESTER_WAYBACK_MAX_FAILURES = 3  # requests in a row the archive fails before the run stops
HARVESTER_WAYBACK_REPLAY_TRIES = 2  # failed replays of one capture (the archive up) before a skip
HARVESTER_CAPTURE_FETCHES = 5  # captures fetched per URL before giving up on it
# Bounds of a census (docs/SOURCES.md, "Bounded censuses"). The real archive's census holds
# some 16,000 documents (16,153 listed in October 2025) under their slugs and old numeric
# addresses, each captured a few times, with scans and exports: on the order of 100,000 to
# 300,000 rows, 20 to 60 pages of 5,000. A census past either cap (a state of some 750 MB at
# the row cap), a resume key given twice, or more than this share of rows that cannot be read
# refuses the run, saying which.
HARVESTER_CDX_MAX_ROWS = 1_000_000
HARVESTER_CDX_MAX_PAGES = 1_000
HARVESTER_CDX_MAX_MALFORMED = 0.01
# A WACZ member is opened only within these bounds, as its zip declares them (a WACZ stores
# its WARCs, ratio 1; a deflated WARC of pages inflates 5 to 20 times; a zip bomb 1,000).
HARVESTER_WACZ_MAX_MEMBER_BYTES = 256 * 1024**3
HARVESTER_WACZ_MAX_RATIO = 100.0
# Set by the sources above (0 / False: the live site's exponential back-off for one slot).
HARVESTER_RATE_LIMIT_PAUSE = 0.0
HARVESTER_REFUSED_PAUSE = 0.0
HARVESTER_PAUSE_EVERYTHING = False
# `--warc`: every response with its request into <run>/warc/, files rotated near this size.
HARVESTER_WARC = False
HARVESTER_WARC_MAX_BYTES = 1_000_000_000
