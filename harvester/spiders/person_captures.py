"""People's own pages from WARC files (`--people-pages` with `--source warc`).

A last phase, once every document is settled: for each person the run's documents link by
slug, the captures of `/people/<slug>` the files hold are chosen as any page's are (newest
first, the first whole page wins: harvester.sources.choosing) and read by the person page
object (`sources.selection.read_person`). Every linked person is read on every run: files
cost no one a request. A person with captures none of which could be read is a warning in the
manifest, as on the live site; one without captures is not (files rarely hold them all).
"""

from collections.abc import Iterator

from harvester.capture import outcomes
from harvester.site_urls import person_path
from harvester.sources.choosing import Choice, summary
from harvester.spiders.hosts import CaptureHost
from harvester.spiders.people_pages import READ_STAT, not_read
from harvester.spiders.walk import Phase

KIND = "person"


class PersonCaptures(CaptureHost):
    """Mixin for a CaptureSpider (before it in the bases), which provides the run, the
    ledger and the public base."""

    people_summary_line = 0  # harvester.spiders.people_pages.not_read's
    people_not_read = 0

    def phases(self) -> list[Phase]:
        return [*super().phases(), self.person_keys]

    def person_keys(self) -> Iterator[tuple]:
        if not self.config.people_pages:
            return
        for slug in self.run.people_to_read():
            key = self.public + person_path(slug)
            if self.ledger.has_captures(key):
                yield key, KIND, slug

    def finish(self, key: str, kind: str, context: str | None, choice: Choice) -> Iterator:
        if kind != KIND:
            yield from super().finish(key, kind, context, choice)
        elif choice.verdict is not None and choice.verdict.outcome == outcomes.USED:
            assert context is not None, f"{key} chosen without its person"  # `person_keys`
            self.crawler.stats.inc_value(READ_STAT)
            self.run.person_page(context, {**choice.page.details(), "url": key})
        else:
            not_read(self, key, summary(choice))
