"""Spiders whose callbacks the tests call one at a time (tests/helpers/spider_fakes.py): each
with its run open over a fresh output folder, or over a copy of a run published before; the
clock a live page's capture time is read from, stopped; a small synthetic mirror for the pages
the bundled one lacks (the topic index)."""

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from harvester.spiders import base
from harvester.spiders.archive import ArchiveSpider
from harvester.spiders.topic import TopicSpider
from harvester.spiders.wayback import WaybackSpider
from harvester_testkit.synth import synthesize
from tests.helpers.offline_runs import crawl_saved, publish
from tests.helpers.pages import BASE
from tests.helpers.spider_fakes import NOW, Fake, fake_run, started


@pytest.fixture
def topic(tmp_path) -> Iterator[Fake]:
    """The topic spider on the archive's own address, its run the first in its folder."""
    fake = fake_run(TopicSpider, tmp_path / "out", base_url=BASE)
    yield fake
    fake.close()


@pytest.fixture
def archive(tmp_path) -> Iterator[Fake]:
    fake = fake_run(ArchiveSpider, tmp_path / "out", base_url=BASE)
    yield fake
    fake.close()


@pytest.fixture
def wayback(tmp_path) -> Iterator[Fake]:
    """The wayback spider of the whole archive, on the Wayback Machine's own address."""
    fake = fake_run(WaybackSpider, tmp_path / "out")
    yield fake
    fake.close()


@pytest.fixture
def clock(monkeypatch) -> datetime:
    """The moment a live page is read at (its capture's time), stopped at NOW."""

    class Stopped(datetime):
        @classmethod
        def now(cls, tz=None):
            return NOW.astimezone(tz)

    monkeypatch.setattr(base, "datetime", Stopped)
    return NOW


@pytest.fixture(scope="session")
def published_topic(tmp_path_factory) -> Path:
    """An output folder holding a topic run of the bundled mirror, crawled offline and
    published (read only: a test that runs again over it copies it)."""
    out = tmp_path_factory.mktemp("published-topic") / "out"
    fake = fake_run(TopicSpider, out, base_url=BASE)
    crawl_saved(fake, started(fake.spider))
    publish(fake)
    return out


@pytest.fixture(scope="session")
def synth_archive(tmp_path_factory) -> Path:
    """A synthetic mirror of 60 documents over 6 listing pages and 4 topics, for whole
    archive runs (read only: a test that changes it works on a copy)."""
    out = tmp_path_factory.mktemp("synth-archive") / "site"
    synthesize(out, documents=60, topics=4, seed=3)
    return out


@pytest.fixture(scope="session")
def synth_site(tmp_path_factory) -> Path:
    """A small synthetic mirror (harvester_testkit.synth): 12 documents, 3 topics, the
    archive's own listing and the topic index the bundled mirror does not have; same
    arguments, same bytes."""
    out = tmp_path_factory.mktemp("synth") / "site"
    synthesize(out, documents=12, topics=3, seed=1)
    return out


@pytest.fixture(scope="session")
def published_archive(tmp_path_factory, synth_site) -> Path:
    """An output folder holding an archive run of `synth_site`, crawled offline and published
    (read only)."""
    out = tmp_path_factory.mktemp("published-archive") / "out"
    fake = fake_run(ArchiveSpider, out, base_url=BASE)
    crawl_saved(fake, started(fake.spider), root=synth_site)
    publish(fake)
    return out


def next_run(spidercls: type, published: Path, tmp_path: Path):
    """Makes the spider's next run over a copy of `published`, with `settings` and
    `arguments`; closes them all at the end."""
    made: list[Fake] = []

    def make(settings: dict | None = None, **arguments) -> Fake:
        out = tmp_path / f"again-{len(made)}"
        shutil.copytree(published, out, symlinks=True)
        made.append(fake_run(spidercls, out, settings, base_url=BASE, **arguments))
        return made[-1]

    yield make
    for fake in made:
        fake.close()


@pytest.fixture
def next_topic_run(published_topic, tmp_path):
    """The topic spider's next run over a copy of `published_topic`."""
    yield from next_run(TopicSpider, published_topic, tmp_path)


@pytest.fixture
def next_archive_run(published_archive, tmp_path):
    """The archive spider's next run over a copy of `published_archive`."""
    yield from next_run(ArchiveSpider, published_archive, tmp_path)
