"""Tables of the state store. `documents` is the dataset as last published; `run_*` tables
hold one run's work until it is published, which is what makes a killed run resumable
(`run_urls`: the URLs that led to what it staged, known to later runs only once it is
published, so a refused run leaves its new URLs to be fetched again; `run_captures` …
`run_counts`: a web-archive or WARC run's census, what it tried, the replays the web archive
failed to give, what each URL came to, what it refused and why). `capture_marks` keeps, per
census query, the newest capture a published run saw, so an incremental run asks only for newer
ones. `missing_topics` keeps the topic pages that answered 404/410, so an incremental run does
not ask for them again. `person_pages` keeps what each person's own page said when last read
(`--people-pages`), for the people index of every later run.

`VERSION_1` is the first versioned schema (`PRAGMA user_version` 1): the tables and indexes of
every state once `migrations.py` has brought it to version 1; `VERSION_2` is what version 2
adds. Neither is ever edited: a later version is another step in `migrations.py`. Each statement
ends with a semicolon and holds none inside, so a step runs it one statement at a time inside
its own transaction."""

VERSION_1 = """
CREATE TABLE IF NOT EXISTS documents (
    record_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    record_json TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    last_checked TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    missed_sweeps INTEGER NOT NULL DEFAULT 0,
    removed_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_by_check ON documents (last_checked);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    record_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS topics (
    slug TEXT PRIMARY KEY,
    record_json TEXT NOT NULL,
    last_checked TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS missing_topics (
    slug TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejects (
    url TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    field TEXT,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    arguments TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    full_sweep INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS run_documents (
    run_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    record_json TEXT,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (run_id, record_id)
);
CREATE TABLE IF NOT EXISTS run_urls (
    run_id TEXT NOT NULL,
    url TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS run_listed (
    run_id TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS run_sweeps (
    run_id TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS run_changes (
    run_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    change TEXT NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (run_id, record_id)
);
CREATE TABLE IF NOT EXISTS run_captures (
    run_id TEXT NOT NULL,
    location TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    original TEXT NOT NULL,
    status INTEGER,
    mimetype TEXT,
    digest TEXT,
    length INTEGER,
    revisit INTEGER NOT NULL DEFAULT 0,
    query TEXT NOT NULL,
    PRIMARY KEY (run_id, location)
);
CREATE INDEX IF NOT EXISTS run_captures_by_key ON run_captures (run_id, key, timestamp);
CREATE INDEX IF NOT EXISTS run_captures_by_digest ON run_captures (run_id, digest);
CREATE TABLE IF NOT EXISTS run_enumerations (
    run_id TEXT NOT NULL,
    query TEXT NOT NULL,
    resume_key TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    rows INTEGER NOT NULL DEFAULT 0,
    newest TEXT,
    PRIMARY KEY (run_id, query)
);
CREATE TABLE IF NOT EXISTS run_tries (
    run_id TEXT NOT NULL,
    location TEXT NOT NULL,
    key TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    digest TEXT,
    outcome TEXT NOT NULL,
    fetched INTEGER NOT NULL,
    record_id TEXT,
    PRIMARY KEY (run_id, location)
);
CREATE INDEX IF NOT EXISTS run_tries_by_key ON run_tries (run_id, key);
CREATE INDEX IF NOT EXISTS run_tries_by_digest ON run_tries (run_id, digest);
CREATE TABLE IF NOT EXISTS run_replay_failures (
    run_id TEXT NOT NULL,
    location TEXT NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (run_id, location)
);
CREATE TABLE IF NOT EXISTS run_keys (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS run_links (
    run_id TEXT NOT NULL,
    topic_slug TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (run_id, topic_slug, key)
);
CREATE TABLE IF NOT EXISTS run_counts (
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, kind, reason)
);
CREATE TABLE IF NOT EXISTS capture_marks (
    query TEXT PRIMARY KEY,
    newest TEXT NOT NULL
);
"""

# Version 2: what people's own pages said (`--people-pages`).
VERSION_2 = """
CREATE TABLE IF NOT EXISTS person_pages (
    slug TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    name TEXT,
    life_dates TEXT,
    description TEXT,
    checked_at TEXT NOT NULL
);
"""

# Version 3: why a fetched capture was skipped, in the reject's words (the verdict's detail and
# field), kept with its try, so that a choice taken up again (after a kill, or a replay the web
# archive failed to give) names the newest skip as a choice never interrupted names it.
VERSION_3 = """
ALTER TABLE run_tries ADD COLUMN detail TEXT;
ALTER TABLE run_tries ADD COLUMN field TEXT;
"""
