"""The topics an output folder's states know, over every job (an archive job knows them all,
a topic job its own): what `harvester topics` lists and where an unknown slug's likely meaning
is looked for. Read-only, so it never stands in a running job's way."""

import sqlite3
from pathlib import Path


def known_topics(out_dir: Path) -> dict[str, str]:
    """slug -> title (or, for a topic page missing when last asked, that it was)."""
    found: dict[str, str] = {}
    for path in sorted((out_dir / "state").glob("*.sqlite")):
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            continue
        try:
            found.update(topics_of(db, found))
        except sqlite3.Error:
            continue  # not a state, or a damaged one: a crawl says which
        finally:
            db.close()
    return found


def topics_of(db: sqlite3.Connection, found: dict[str, str]) -> dict[str, str]:
    """One state's topics; one missing when last asked only if no state harvested it."""
    topics = {slug: title or "" for slug, title in db.execute(
        "SELECT slug, json_extract(record_json, '$.title') FROM topics")}
    for slug, status in db.execute("SELECT slug, status FROM missing_topics"):
        if slug not in found and slug not in topics:
            topics[slug] = f"(missing: HTTP {status} when last asked)"
    return topics
