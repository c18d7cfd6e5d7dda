"""A document that reaches the run without what the crawl knows of it (harvester/items/
envelope.py): an item pipeline of a user's gave a copy in its place. Staged, how it was reached
(its topic memberships, its other addresses) would be lost silently; the run is refused, saying
so once, never published."""

from dataclasses import replace

from harvester.items import Document
from harvester.run.publish import close_run
from harvester.settings.base import ITEM_PIPELINES
from harvester.spiders.topic import TopicSpider
from tests.helpers.offline_runs import crawl_saved
from tests.helpers.pages import BASE
from tests.helpers.spider_fakes import fake_run, started


class CopyingPipeline:
    """Gives each document back as a copy, as a pipeline that rebuilds its items would."""

    def process_item(self, item):
        return replace(item) if isinstance(item, Document) else item


def test_documents_copied_by_a_pipeline_refuse_the_run_saying_so_once(tmp_path):
    pipelines = {**ITEM_PIPELINES, f"{__name__}.CopyingPipeline": 150}
    fake = fake_run(TopicSpider, tmp_path / "out", {"ITEM_PIPELINES": pipelines}, base_url=BASE)
    crawl_saved(fake, started(fake.spider))
    fake.closed = True
    close_run(fake.run, "finished")

    first = (f"{BASE}/document/untitled-report-polish-minister-foreign-affairs-stefan-olszowski-"
             "concerning-his-meeting")   # the first document the crawl gives
    assert fake.run.outcome.failure == (
        "document list incomplete: items replaced on the way: 19 document(s) without what "
        f"the crawl knew of them, the first {first} (an item pipeline gave a copy in its "
        "place?)")
    assert not (tmp_path / "out" / "latest").exists()
