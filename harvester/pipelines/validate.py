"""Schema validation in the crawl: a Document that breaks the contract becomes a reject with the
reason (the check itself is `harvester.items.validation.problems`)."""

from harvester.items import RECORD_TYPES, Document, Reject, to_record
from harvester.items.envelope import envelope_of, has_envelope
from harvester.items.validation import problems


class ValidatePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.stats = crawler.stats
        return pipeline

    def process_item(self, item):
        if not isinstance(item, Document) or envelope_of(item).unchanged:
            return item  # a stored record was checked when it was harvested
        record = to_record(item)
        for name, value in record.items():
            if value in (None, []):
                self.stats.inc_value(f"harvester/field/{name}/missing")
        if item.date and item.date.get("edtf") is None:
            self.stats.inc_value("harvester/date/unparsed")
        found = problems(record, RECORD_TYPES[Document])
        if not found:
            if has_envelope(item):   # one without is the run's to refuse (Run.unsealed)
                envelope_of(item).checked = True
            return item
        field, message = found[0]
        return Reject(url=item.url, reason=f"schema: {message}", field=field)
