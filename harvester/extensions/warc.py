"""`--warc`: every response a crawl fetched, with its request, kept as WARC/1.1 in the run
folder (`<run>/warc/`), so the run can be harvested again offline with `--source warc`.

Responses are taken as they arrive, before any decompression or decoding, so the files hold what
the server sent. The warcinfo record of each file names the harvester's version, the job, the
crawl's base URL and the public base its records are written against: a WARC of a mirror crawled
on loopback is read back as the archive's own pages.
"""

import json
from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from harvester import harvester_version
from harvester.dataset.folder import file_facts
from harvester.sources.warcwrite import WarcRecorder

WARC_FOLDER = "warc"
# Settings worth knowing when reading a WARC later: how the pages were asked for.
RECORDED_SETTINGS = ("USER_AGENT", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS", "ROBOTSTXT_OBEY",
                     "HARVESTER_BASE_URL", "HARVESTER_PUBLIC_BASE_URL", "HARVESTER_WAYBACK_URL")


def warc_folder(out_dir: Path, run_id: str) -> Path:
    """Inside the run's partial folder, so it is published with the run, atomically."""
    return out_dir / f".{run_id}.partial" / WARC_FOLDER


def warc_files(run_dir: Path) -> dict[str, dict]:
    """`warc/<file>` → bytes and sha256, for the manifest."""
    folder = run_dir / WARC_FOLDER
    if not folder.is_dir():
        return {}
    return {f"{WARC_FOLDER}/{path.name}": file_facts(path)
            for path in sorted(folder.glob("*.warc.gz"))}


class WarcKeeper:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.recorder: WarcRecorder | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("HARVESTER_WARC"):
            raise NotConfigured
        keeper = cls(crawler)
        crawler.signals.connect(keeper.opened, signal=signals.spider_opened)
        crawler.signals.connect(keeper.downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(keeper.closed, signal=signals.spider_closed)
        return keeper

    def opened(self, spider) -> None:
        context = spider.run.context
        settings = self.crawler.settings
        info = {
            "software": f"harvester/{harvester_version()}",
            "harvester-version": harvester_version(),
            "job": context.job, "run-id": context.run_id,
            "base-url": spider.base_url or "",
            "public-base-url": settings.get("HARVESTER_PUBLIC_BASE_URL") or "",
            "settings": json.dumps({name: settings.get(name) for name in RECORDED_SETTINGS},
                                   sort_keys=True),
        }
        self.recorder = WarcRecorder(
            warc_folder(context.out_dir, context.run_id), f"harvester-{context.run_id}", info,
            settings.getint("HARVESTER_WARC_MAX_BYTES"))
        if self.recorder.cut is not None:
            path, lost = self.recorder.cut
            spider.logger.warning("%s: cut back %d bytes of a record a kill left half written",
                                  path.name, lost)

    def downloaded(self, response, request, spider) -> None:
        if self.recorder is None:
            return
        self.recorder.write(
            response.url, request.method, _pairs(request.headers), response.status,
            _reason(response.status), _pairs(response.headers), response.body,
            protocol=response.protocol or "HTTP/1.1")
        self.crawler.stats.inc_value("harvester/warc/records")

    def closed(self, spider) -> None:
        if self.recorder is not None:
            self.recorder.close()


def _pairs(headers) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() for value in values]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
