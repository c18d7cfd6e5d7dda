"""The order of work of a web-archive or WARC run, phase by phase.

A topic run reads its topic pages, then every captured page of their lists, then the documents
those link (a WARC run also every document naming the topic); an archive run reads every
document, then the topics they name and the first page of each topic's list. Last come the URLs
that are other addresses of a record (old numeric URLs, redirects). A phase begins once all the
one before it gave has reached the run (`choosing.Walk`).
"""

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from harvester.items import Reject
from harvester.site_urls import topic_url
from harvester.spiders.base import list_key
from harvester.spiders.hosts import CaptureHost
from harvester.spiders.walk import Phase


class WorkOrder(CaptureHost):
    """Mixin for CaptureSpider (which gives the ledger, the run, the scope)."""

    incremental: bool  # only what changed since the last published run
    if TYPE_CHECKING:  # what becomes of a choice (spiders.capture_records) gives these
        def confirmation_keys(self) -> Iterator[tuple]: ...
        def resolve(self) -> Iterator: ...

    def phases(self) -> list[Phase]:
        resume = [self.resumed_rejects]
        if self.slugs:
            return [*resume, self.topic_keys, self.list_keys, self.document_keys,
                    self.target_keys, self.confirmation_keys, self.resolve]
        return [*resume, self.document_keys, self.target_keys, self.topic_keys,
                self.counter_keys, self.confirmation_keys, self.resolve]

    def resumed_rejects(self) -> Iterator[Reject]:
        """A resumed run gives again the rejects its interrupted part settled."""
        for key, detail in self.ledger.settled("reject"):
            assert detail is not None, f"{key}: settled as a reject without its reason"
            reason, field = json.loads(detail)
            yield Reject(url=key, reason=reason, field=field)

    def topic_keys(self) -> Iterator[tuple]:
        slugs = self.slugs or self.run.staged_topics()
        known = self.run.known_topic_slugs() if self.incremental and not self.slugs else ()
        for slug in slugs:
            if slug not in known:
                yield topic_url(slug, self.public), "topic", slug

    def list_keys(self) -> Iterator[tuple]:
        """Every captured page of each topic's own list (a topic run)."""
        for slug, page in self.topic_pages.items():
            wanted = {list_key(self.canonical(url) or url) for url in page.listing_urls()}
            for url in page.document_urls():
                if key := self.canonical(url):
                    self.ledger.link(slug, key)
            for key in self.ledger.all_keys("listing"):
                if list_key(key) in wanted:
                    yield key, "listing", slug

    def counter_keys(self) -> Iterator[tuple]:
        """The first page of each topic's list, for its counter (an archive run)."""
        for slug, page in self.topic_pages.items():
            for url in page.listing_urls()[:1]:
                if key := self.canonical(url):
                    yield key, "counter", slug

    def document_keys(self) -> Iterator[tuple]:
        if self.slugs:
            self.linked = {key for _, key in self.ledger.links()}
            for key in sorted(self.linked):
                if self.ledger.settlement(key) is None:
                    yield key, "document", None
            if not self.reads_every_document:
                return
        after = ""
        while keys := self.ledger.keys("document", after):
            for key in keys:
                yield key, "document", None
            after = keys[-1]

    def target_keys(self) -> Iterator[tuple]:
        """Where captured redirects led, when that URL has captures of its own."""
        while self.targets:
            key = self.targets.popleft()
            if self.ledger.settlement(key) is None and self.ledger.has_captures(key):
                yield key, "document", None
        if self.targets:
            self.walk.phases.insert(0, self.target_keys)

    # Whether a topic run reads every document of the source to find those naming the topic
    # (cheap from files, not from a web archive).
    reads_every_document = False
