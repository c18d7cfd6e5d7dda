"""What a chosen capture becomes: a Document (one page per Record ID: see
`spiders.record_conflicts`), a Topic, a list's counter and links, an alias of a record
(another address, an old numeric URL, a captured redirect), or a reject that says why no
capture could be used."""

import json
from collections.abc import Iterator

from harvester.capture import outcomes
from harvester.capture.rows import Capture, capture_field
from harvester.items import Document, Reject, Topic
from harvester.items.envelope import Envelope, sealed
from harvester.pages.topic import TopicPage
from harvester.sources.choosing import CHOSEN, Choice, summary
from harvester.sources.urls import numeric_record_id
from harvester.spiders.record_conflicts import RecordConflicts


class CaptureRecords(RecordConflicts):
    """Mixin for CaptureSpider (which provides the ledger, the run context and the scope)."""

    def finish(self, key: str, kind: str, context: str | None, choice: Choice) -> Iterator:
        if kind == "document":
            yield from self.finish_document(key, choice)
            return
        # Every other step names its topic (`topic_keys`, `list_keys`, `counter_keys`).
        assert context is not None, f"{kind} {key} chosen without its topic"
        if choice.verdict is None or choice.verdict.outcome != outcomes.USED:
            if kind == "topic":
                self.missing_topics.append(context)
        elif kind == "topic":
            yield self.topic_record(key, context, choice.page)
        else:
            page = choice.page
            self.run.counter(context, key, page.total(), page.topic_id())
            if kind == "listing":
                for url in page.document_urls():
                    if target := self.canonical(url):
                        self.ledger.link(context, target)

    def topic_record(self, key: str, slug: str, page: TopicPage) -> Topic:
        self.topic_pages[slug] = page
        return page.record(slug, key)

    def finish_document(self, key: str, choice: Choice) -> Iterator:
        verdict = choice.verdict
        if verdict is None or verdict.outcome not in CHOSEN:
            yield from self.not_chosen(key, choice)
        elif verdict.outcome == outcomes.USED:
            assert choice.capture is not None, f"{key}: used without its capture"  # `tried`
            yield from self.harvested(key, choice.page, choice.capture)
        elif verdict.outcome == outcomes.SAME_PAYLOAD:
            self.ledger.settle(key, "record", verdict.detail)
            self.run.alias(verdict.detail, [key])
        else:  # MOVED, to the target `selection.redirect_verdict` names
            assert verdict.target is not None, f"{key}: moved without its target"
            self.ledger.settle(key, "moved", verdict.target)
            self.targets.append(verdict.target)

    def not_chosen(self, key: str, choice: Choice) -> Iterator[Reject]:
        """A URL none of whose captures was chosen: left out, kept as stored, an old page of
        the site, or a reject saying why."""
        if self.slugs and key not in self.linked:
            self.ledger.settle(key, "outside")  # read only to see whether it names the topic
        elif self.run.published_record_for(key) is not None:
            self.ledger.settle(key, "kept", summary(choice))  # the stored record stands
        elif outcomes.OLD_LAYOUT in choice.skipped and \
                set(choice.skipped) <= {outcomes.OLD_LAYOUT, outcomes.REPEATED}:
            self.ledger.settle(key, "old layout", summary(choice))
        else:
            reason = summary(choice)
            newest = choice.newest_skip
            field = newest.field if newest is not None else None
            self.ledger.settle(key, "reject", json.dumps([reason, field]))
            yield Reject(url=key, reason=reason, field=field)

    def harvested(self, key: str, document: Document, capture: Capture) -> Iterator:
        record_id = document.record_id
        if self.slugs and not self.in_scope(key, document):
            self.ledger.note(capture, outcomes.OUT_OF_SCOPE, fetched=True, record_id=record_id)
            self.ledger.settle(key, "outside")
            return
        document.capture = capture_field(self.source, capture.timestamp,
                                         self.capture_url(capture), capture.digest)
        sealed(document, Envelope(reached_from=[key]))
        if self.claims_first(key, document):
            self.ledger.settle(key, "record", record_id)
            yield document

    def in_scope(self, key: str, document: Document) -> bool:
        return key in self.linked or any(t["slug"] in self.slugs for t in document.topics)

    # -- other addresses of records ------------------------------------------------------------
    def resolve(self) -> Iterator:
        """Record IDs in conflict decided; old numeric URLs and redirects point at records;
        memberships of a topic's list."""
        yield from self.decide_conflicts()
        for key, target in self.ledger.settled("moved"):
            assert target is not None, f"{key}: settled as moved without its target"
            record_id = self.record_of(target)
            if record_id is not None:
                self.run.alias(record_id, [key])
            else:
                yield Reject(url=key, reason=f"redirects to {target}, which has no usable "
                                             "capture", field=None)
        for key, detail in self.ledger.settled("old layout"):
            record_id = numeric_record_id(key)
            if record_id is not None and self.has_record(record_id):
                self.run.alias(record_id, [key])
            else:
                yield Reject(url=key, reason="only captures of the site before 2023, whose "
                                             f"layout is not read: {detail}", field=None)
        members: dict[str, list[str]] = {}
        for slug, key in self.ledger.links():
            members.setdefault(slug, []).append(key)
        for slug, keys in members.items():
            self.run.members(slug, keys)

    def record_of(self, key: str) -> str | None:
        """The record a URL came to in this run, else in an earlier one."""
        settled = self.ledger.settlement(key)
        if settled is not None and settled[0] == "record":
            return settled[1]
        return self.kept_claims.get(key) or self.run.published_record_for(key)

    def has_record(self, record_id: str) -> bool:
        return record_id in self.claimants or \
            self.run.stored_record(record_id) is not None
