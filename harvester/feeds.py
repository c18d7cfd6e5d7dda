"""Feed exporters for Scrapy's FEEDS and `-o/-O`: each record exactly as a run's files write it
(declared fields in order, the crawl's internal fields left out), and the storage of local feed
files: written aside, put in place only when the run is published.

Documents, Topics and Rejects are the only items a crawl yields; a FEEDS entry's `item_classes`
sends each type to its own feed (see README, "Scrapy users").
"""

import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy import signals
from scrapy.exporters import (
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
    XmlItemExporter,
)
from scrapy.extensions.feedexport import FileFeedStorage

from harvester.items import RECORD_TYPES, to_record
from harvester.run.extension import outcome_of


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


logger = logging.getLogger(__name__)


class AtomicFileFeedStorage(FileFeedStorage):
    """A local feed file (`-o`, `-O`, FEEDS) that is never half written and never emptied by a
    run that fails: records go to a hidden file beside it, which replaces the feed only when
    the run is published (`-o` appends: the hidden file starts as a copy of the feed). A run
    refused, stopped or killed leaves the feed as it was."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler=None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        target = Path(self.path)
        self.aside = target.with_name(f".{target.name}.{os.getpid()}.partial")

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict[str, Any] | None = None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and target.is_file():
            shutil.copyfile(target, self.aside)
        return self.aside.open(self.write_mode)

    def store(self, file: IO[bytes]) -> None:
        """The feed is complete; whether it replaces the old one waits for the run's verdict,
        given once the spider has closed."""
        file.close()
        if self.crawler is None:
            self.finish()
        else:
            self.crawler.signals.connect(self.finish, signal=signals.engine_stopped)

    def finish(self) -> None:
        outcome = outcome_of(self.crawler) if self.crawler is not None else None
        published = self.crawler is None or (outcome is not None and outcome.published)
        if published:
            os.replace(self.aside, self.path)
            return
        self.aside.unlink(missing_ok=True)
        logger.warning("feed %s left as it was: the run was not published", self.path)
