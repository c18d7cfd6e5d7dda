"""Schema validation: a record that breaks the contract becomes a reject with the reason."""

from functools import cache

from jsonschema import Draft202012Validator

from harvester.items import RECORD_TYPES, Document, Reject, to_record


@cache
def validator(kind: str) -> Draft202012Validator:
    from harvester.items import schema_for

    return Draft202012Validator(schema_for(kind))


def problems(record: dict, kind: str) -> list[tuple[str | None, str]]:
    """(field, message) for each way the record breaks its schema, most basic first."""
    errors = sorted(validator(kind).iter_errors(record), key=lambda e: list(e.path))
    return [(str(e.path[0]) if e.path else None, e.message) for e in errors]


class ValidatePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.stats = crawler.stats
        return pipeline

    def process_item(self, item):
        if not isinstance(item, Document):
            return item
        record = to_record(item)
        for name, value in record.items():
            if value in (None, []):
                self.stats.inc_value(f"harvester/field/{name}/missing")
        if item.date and item.date.get("edtf") is None:
            self.stats.inc_value("harvester/date/unparsed")
        found = problems(record, RECORD_TYPES[Document])
        if not found:
            return item
        field, message = found[0]
        return Reject(url=item.url, reason=f"schema: {message}", field=field)
