"""What the spiders read of the settings while they crawl: read once by each setting's kind,
after the source's add-on has applied its own (harvester/spiders/config.py)."""

import pytest

from harvester.mirror.wayback.store import PlannedCapture
from harvester.settings.checks import NotAccepted
from harvester.spiders.archive import ArchiveSpider
from harvester.spiders.config import SpiderConfig
from harvester.spiders.warc import WarcSpider
from tests.helpers.captures import T1, document, page, write_warc
from tests.helpers.spider_fakes import fake_run, harvester_settings

TELEGRAM = "telegram-shtykov-gromyko-and-stalin"


def test_a_warc_spider_reads_its_add_ons_settings_once(tmp_path):
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM))])
    fake = fake_run(WarcSpider, tmp_path / "out", {"HARVESTER_CAPTURE_FETCHES": "2"},
                    paths=str(warc))
    try:
        config = fake.spider.config
        fake.crawler.settings.frozen = False
        fake.crawler.settings.set("HARVESTER_CAPTURE_FETCHES", 9, priority="cmdline")
        again = fake.spider.config
    finally:
        fake.close()
    # 16 records asked for at once is the WARC add-on's; 2 fetches a URL the command line's,
    # read as a whole number; read once, a later change is not seen.
    assert (config.concurrent_requests, config.capture_fetches) == (16, 2)
    assert again is config


def test_no_size_limit_reads_a_warc_records_payload_up_to_a_gigabyte(tmp_path):
    fake = fake_run(ArchiveSpider, tmp_path / "out", {"DOWNLOAD_MAXSIZE": 0,
                                                      "HARVESTER_LIST_WINDOW": "7"})
    try:
        config = fake.spider.config
    finally:
        fake.close()
    assert (config.download_maxsize, config.list_window) == (1 << 30, 7)


def test_a_value_its_kind_cannot_read_is_refused(tmp_path):
    settings = harvester_settings(tmp_path, CONCURRENT_REQUESTS="many")
    with pytest.raises(NotAccepted):
        SpiderConfig.of(settings)
