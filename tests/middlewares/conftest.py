"""The fake crawler the middleware tests share."""

from types import SimpleNamespace

import pytest
from scrapy.core.downloader import Slot
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

import harvester.middlewares.backoff as backoff_module
from harvester.middlewares.backoff import Backoff
from harvester.settings import base
from tests.helpers.crawler_fakes import MIRROR_URL, NOW, Clock, FakeCrawler


@pytest.fixture
def crawler(monkeypatch):
    settings = Settings({name: getattr(base, name) for name in dir(base) if name.isupper()})
    settings.set("HARVESTER_BACKOFF_BASE", 2.0)
    settings.set("HARVESTER_BACKOFF_MAX", 120.0)
    slot = Slot(concurrency=8, delay=0.0, jitter=0.5)
    fake = FakeCrawler()
    fake.settings, fake.crawling = settings, True
    fake.signals = SimpleNamespace(connect=lambda *a, **k: None)
    fake.engine = SimpleNamespace(spider=None, downloader=SimpleNamespace(
        slots={"127.0.0.1": slot}, get_slot_key=lambda r: "127.0.0.1"))
    fake.stats = MemoryStatsCollector(fake)
    fake.spider = SimpleNamespace(crawler=fake, base_url=MIRROR_URL)
    fake.slot, fake.clock = slot, Clock()
    monkeypatch.setattr(backoff_module, "call_later", fake.clock)
    monkeypatch.setattr(backoff_module, "monotonic", lambda: NOW)
    monkeypatch.setattr(Backoff, "_watch", lambda self: None)
    return fake
