"""Feed exporters for Scrapy's FEEDS and `-o/-O`: each record exactly as a run's files write it
(declared fields in order, the crawl's internal fields left out).

Documents, Topics and Rejects are the only items a crawl yields; a FEEDS entry's `item_classes`
sends each type to its own feed (see README, "Scrapy users").
"""

from typing import Any

from scrapy.exporters import (
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
    XmlItemExporter,
)

from harvester.items import RECORD_TYPES, to_record


def as_written(item: Any) -> Any:
    return to_record(item) if type(item) in RECORD_TYPES else item


class RecordJsonLinesExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(as_written(item))


class RecordJsonExporter(JsonItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(as_written(item))


class RecordCsvExporter(CsvItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(as_written(item))


class RecordXmlExporter(XmlItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(as_written(item))
