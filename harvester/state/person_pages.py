"""What people's own pages (`/people/<slug>`) said when last read: kept by slug across runs,
so a run that does not read a page again (it was read within the re-check period, or the
option is off) still publishes its life dates and description in people.jsonl. A page that
answered 404 or 410 is kept as checked, without details, so that it is not asked for again
until the period has passed.

Saved only when a run is published, as topics are: a refused run leaves the state as the last
published run left it, and the next run reads those pages again."""

import sqlite3
from collections.abc import Callable
from typing import Any

# The people index's fields a page fills (harvester.dataset.people.PAGE_FIELDS).
DETAIL_COLUMNS = ("life_dates", "description")
_SLUG = "json_extract(p.value, '$.slug')"


class PersonPages:
    """Mixin for StateStore, which provides these:"""

    db: sqlite3.Connection
    write: Callable[[str, tuple], None]
    flush: Callable[[], None]

    def save_person_pages(self, pages: dict[str, dict[str, Any]], now: str) -> None:
        """Each page read by the run, as the page object gave it (`PersonPage.details`). A
        page the site no longer has (`{"url", "missing": status}`) counts as checked, so it is
        not asked for again within the period; what it said before is kept."""
        for slug, page in sorted(pages.items()):
            if page.get("missing"):
                self.write("INSERT INTO person_pages (slug, url, checked_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (slug) DO UPDATE SET checked_at = excluded.checked_at",
                           (slug, page["url"], now))
                continue
            self.write("INSERT OR REPLACE INTO person_pages (slug, url, name, life_dates, "
                       "description, checked_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (slug, page["url"], page["name"], page["life_dates"],
                        page["description"], now))

    def person_details(self) -> dict[str, dict[str, str | None]]:
        """slug -> {life_dates, description} of every page read, for the people index."""
        self.flush()
        rows = self.db.execute("SELECT slug, life_dates, description FROM person_pages "
                               "ORDER BY slug")
        return {slug: dict(zip(DETAIL_COLUMNS, values, strict=True))
                for slug, *values in rows}

    def people_to_read(self, run_id: str, checked_since: str | None = None) -> list[str]:
        """Slugs of the people the documents this run fetched or found unchanged link, in
        order; with `checked_since`, only those whose page was not read since then."""
        self.flush()
        fresh = "" if checked_since is None else \
            f"AND {_SLUG} NOT IN (SELECT slug FROM person_pages WHERE checked_at >= ?) "
        rows = self.db.execute(
            f"SELECT DISTINCT {_SLUG} FROM run_documents r "
            "LEFT JOIN documents d ON d.record_id = r.record_id, "
            "json_each(coalesce(r.record_json, d.record_json), '$.people') p "
            f"WHERE r.run_id = ? AND {_SLUG} IS NOT NULL {fresh}ORDER BY {_SLUG}",
            (run_id,) if checked_since is None else (run_id, checked_since))
        return [slug for (slug,) in rows]
