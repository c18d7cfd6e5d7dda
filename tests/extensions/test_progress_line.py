"""The progress line: documents of their total when the listing's counter tells it, and the time
left at the pace so far."""

import re
import subprocess

import pytest
from scrapy import Request
from scrapy.http import Response

from harvester.extensions.progress import Progress, duration, progress_line
from harvester.fetch.choices import CHOICE, FETCHED, Fetched
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.serving import served_here


@pytest.mark.parametrize(("seconds", "shown"), [
    (0.4, "0s"), (42, "42s"), (725, "12m05s"), (17410, "4h50m"), (3600, "1h00m")])
def test_durations(seconds, shown):
    assert duration(seconds) == shown


@pytest.mark.parametrize(("args", "line"), [
    # The whole archive at a second a request: 120 of 16,153 in 2 minutes.
    ((130, 118, 2, 16153, 130.0), "pages 130 · documents 118 of 16153 · rejects 2 · 2m10s · "
                                  "ETA 4h49m"),
    ((5, 3, 0, None, 3.0), "pages 5 · documents 3 · rejects 0 · 3s"),
    ((27, 19, 1, 20, 9.0), "pages 27 · documents 19 of 20 · rejects 1 · 9s"),
    ((2, 0, 0, 21, 1.0), "pages 2 · documents 0 of 21 · rejects 0 · 1s"),
    ((9, 4, 0, None, 4.0, "captures 9"), "pages 9 · documents 4 · rejects 0 · captures 9 · 4s"),
])
def test_the_line(args, line):
    assert progress_line(*args) == line


def test_a_topic_crawl_shows_the_documents_its_list_counter_claims(tmp_path):
    with served_here() as url:
        done = subprocess.run(bundled_crawl_command(url, tmp_path / "out"),
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [x for x in done.stderr.splitlines() if x.startswith("pages ")]
    assert re.fullmatch(r"pages 26 · documents 19 of 21 · rejects 1 · \d+s( · ETA \d+s)?",
                        lines[-1]), lines[-1]


def test_a_page_the_fetcher_chose_is_not_counted_again_after_its_captures():
    progress = Progress(crawler=None, interval=1.0)
    page = "https://digitalarchive.wilsoncenter.org/document/x"
    replay = Request(f"https://web.archive.org/web/20240115093000id_/{page}")
    chosen = Request(page, meta={CHOICE: (page, "document", None), FETCHED: Fetched(None)})

    for request in (replay, chosen):
        progress.response(Response(request.url, request=request), request, spider=None)

    assert progress.pages == 1
