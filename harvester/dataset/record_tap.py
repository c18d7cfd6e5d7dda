"""What a run's package needs from its records, gathered as the records are written: each
record checked against its schema once, the card's facts and the people index counted from the
documents, the topics kept. So publishing writes each record once and never reads it back.

A record the crawl checked against the same schema, published exactly as the crawl staged it,
is not checked again (`each_checked`): each record is checked once."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from harvester.dataset.card import CardFacts
from harvester.dataset.files import DATA_FILES, iter_jsonl
from harvester.dataset.people import PeopleIndex
from harvester.dataset.schemacheck import RecordSchema
from harvester.items import schema_for


class RecordTap:
    """`passed` stays true while every record seen passes its schema (the compiled check, so
    that it costs little). Documents must come in Record ID order, as a snapshot gives them."""

    def __init__(self) -> None:
        self.passed = True
        self.schemas = {kind: RecordSchema(kind, schema_for(kind)) for kind in DATA_FILES.values()}
        self.facts = CardFacts()
        self.people = PeopleIndex()
        self.topics: list[dict[str, Any]] = []
        self.checked = 0   # records checked here
        self.trusted = 0   # records the crawl had checked as they are, not checked again

    def each(self, kind: str, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The records, unchanged, seen on their way to their file."""
        return self.each_checked(kind, ((record, False) for record in records))

    def each_checked(self, kind: str, rows: Iterable[tuple[dict[str, Any], bool]]
                     ) -> Iterator[dict[str, Any]]:
        """`each`, of (record, whether this process checked it already, as it is)."""
        for line, (record, checked) in enumerate(rows, start=1):
            if checked:
                self.trusted += 1
            else:
                self.check(kind, line, record)
            if kind == "document":
                self.facts.add(record)
                self.people.add(record)
            elif kind == "topic":
                self.topics.append(record)
            yield record

    def check(self, kind: str, line: int, record: dict[str, Any]) -> None:
        self.checked += 1
        if self.passed and self.schemas[kind].problems(kind, line, record):
            self.passed = False

    @classmethod
    def of_files(cls, partial: Path) -> "RecordTap":
        """The tap of a folder whose record files were written without one: read back once."""
        tap = cls()
        for name, kind in DATA_FILES.items():
            if kind != "people":
                for _ in tap.each(kind, (record for _, record in iter_jsonl(partial / name))):
                    pass
        return tap
