"""Hostile input and local attack surface: no control channel starts, no local file or inline
data can be fetched, nothing leaves the archive's host, and no name taken from input can put
an output file outside the output folder."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.core.downloader.handlers import DownloadHandlers
from scrapy.exceptions import NotConfigured, NotSupported, UsageError
from scrapy.extensions.remote_control import RemoteControl
from scrapy.extensions.telnet import TelnetConsole
from scrapy.signalmanager import SignalManager
from scrapy.utils.conf import build_component_list

from harvester.crawl import project_settings
from harvester.dataset.folder import RUN_ID, RunWriter, new_run_id
from harvester.middlewares.control import Refused
from harvester.middlewares.hosts import SameHostMiddleware
from harvester.run.context import state_path
from harvester.spiders.topic import parse_slugs


@pytest.fixture(scope="module")
def crawler():
    return SimpleNamespace(settings=project_settings({}), signals=SignalManager(), spider=None)


def test_the_telnet_console_does_not_start(crawler):
    with pytest.raises(NotConfigured):
        TelnetConsole.from_crawler(crawler)


def test_the_remote_control_server_does_not_start(crawler):
    with pytest.raises(NotConfigured):
        RemoteControl.from_crawler(crawler)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/plain,secret",
                                 "s3://bucket/key", "ftp://example.org/file"])
def test_local_files_inline_data_and_other_schemes_cannot_be_fetched(crawler, url):
    handlers = DownloadHandlers(crawler)
    with pytest.raises(NotSupported):
        asyncio.run(handlers.download_request_async(Request(url)))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/plain,secret",
                                 "http://169.254.169.254/latest/meta-data/",
                                 "http://127.0.0.1:22/"])
def test_nothing_off_the_archive_host_is_requested(url):
    fake = SimpleNamespace(spider=SimpleNamespace(base_url="http://127.0.0.1:8123"),
                           stats=SimpleNamespace(inc_value=lambda *a: None))
    with pytest.raises(Refused):
        SameHostMiddleware.from_crawler(fake).process_request(Request(url))


def test_the_middlewares_sit_where_they_see_what_they_need(crawler):
    order = build_component_list(crawler.settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    names = [path.rsplit(".", 1)[1] for path in order]
    # Requests pass top to bottom, answers bottom to top: a body is decompressed, then
    # decoded, then checked for a challenge before a meta refresh or a retry could act on it.
    # A known document's request has its validators before anything else sees it, as when
    # the spider set them; its 304 is the last answer there, whatever was retried. A document
    # page is parsed by a worker only once every other middleware has judged its answer. A
    # web archive's replay of a capture is taken aside once decoded, before any guard. The
    # run counts what was sent and answered where Scrapy's downloader stats do.
    assert names == [
        "ConditionalRequestsMiddleware", "ParseWorkersMiddleware", "SameHostMiddleware",
        "OffsiteMiddleware",
        "StrictRobotsTxtMiddleware", "HttpAuthMiddleware", "DownloadTimeoutMiddleware",
        "DefaultHeadersMiddleware",
        "UserAgentMiddleware", "BackoffRetryMiddleware", "RateLimitMiddleware",
        "SizeLimitMiddleware", "MetaRefreshMiddleware", "CompletenessMiddleware",
        "ChallengeMiddleware", "CapturedAnswersMiddleware", "EncodingMiddleware",
        "HttpCompressionMiddleware",
        "RedirectMiddleware", "CookiesMiddleware", "HttpProxyMiddleware",
        "ExchangesMiddleware", "DownloaderStats", "HttpCacheMiddleware"]


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_a_run_id_can_only_name_a_folder_directly_in_the_output(name):
    out = Path("/srv/output")
    try:
        writer = RunWriter(out, name)
    except ValueError:
        assert not RUN_ID.match(name)
        return
    assert writer.partial.parent == writer.final.parent == out
    assert "/" not in name and ".." not in name


@given(st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(UTC)))
def test_new_run_ids_are_plain_names(moment):
    run_id = new_run_id(Path("/nonexistent/output"), moment)
    assert RUN_ID.match(run_id) and run_id == moment.strftime("%Y%m%dT%H%M%SZ")


@settings(max_examples=300)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_topic_slugs_cannot_reach_outside_the_state_folder(raw):
    try:
        slugs = parse_slugs(",".join(raw))
    except UsageError:
        return
    out = Path("/srv/output")
    path = state_path(out, "topic-" + "+".join(sorted(slugs)))
    assert path.parent == out / "state"
    assert all(".." not in s and "/" not in s for s in slugs)


def test_a_slug_that_climbs_is_refused():
    for slug in ("../etc", "a/../../b", "..", "%2e%2e"):
        with pytest.raises(UsageError):
            parse_slugs(slug)
