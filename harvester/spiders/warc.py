"""The `warc` spider: the archive's records from WARC and WACZ files (a researcher's own crawl,
or a run of this harvester kept with `--warc`).

Two passes, both streamed: an index of every response and revisit record (URL, date, status,
type, digest, offset), kept in the state, under the trust rules (`spiders.warc_index`); then,
URL by URL, records read back newest first by WARC-Date under the same rules as web-archive
captures (see `spiders.captures`), and with `--people-pages` the captured pages of the people
the documents link (`spiders.person_captures`). Nothing is fetched over the network: a record
is read by the WARC handler, most of them ahead of the choices (`fetch.records`).
"""

from collections.abc import AsyncIterator
from urllib.parse import urljoin

from harvester.capture.rows import Capture
from harvester.fetch.choices import ChoiceRules
from harvester.fetch.records import RecordFetch
from harvester.settings.profiles import WARC_ADDON
from harvester.sources.trust import WebArchives
from harvester.sources.urls import canonical_url
from harvester.sources.warcfind import MemberLimits, find_warcs
from harvester.sources.warcstream import WarcSource
from harvester.spiders.base import check_base_url
from harvester.spiders.captures import CaptureSpider
from harvester.spiders.census_bounds import number_setting, whole_setting
from harvester.spiders.person_captures import PersonCaptures
from harvester.spiders.warc_index import WarcIndex

INCREMENTAL_REFUSED = ("--incremental does not go with --source warc: files are read whole, "
                       "and a run over the same files again finds nothing new")


class WarcSpider(WarcIndex, PersonCaptures, CaptureSpider):
    name = "warc"
    source = "warc"
    reads_every_document = True
    custom_settings = {"ADDONS": WARC_ADDON}

    def __init__(self, paths: str | list[str] | None = None, wayback_url: str | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if self.incremental:
            raise ValueError(INCREMENTAL_REFUSED)
        self.given = paths.split(",") if isinstance(paths, str) else list(paths or [])
        self.given = [path.strip() for path in self.given if path.strip()]
        if not self.given:
            raise ValueError("the warc source needs WARC, ARC or WACZ files or folders")
        self.start_index(WebArchives.of([check_base_url(wayback_url)] if wayback_url else []))
        self.done_bytes = 0
        self.indexing = True

    def configure(self, crawler) -> None:
        super().configure(crawler)
        settings = crawler.settings
        found = find_warcs(self.given, member_limits(settings))
        self.sources = found.sources
        self.by_name = {source.name: source for source in self.sources}
        self.total_bytes = sum(source.size for source in self.sources)
        # Files that could not be read at all or were refused (left out), then files whose
        # end could not be read (their records before the damage are used).
        self.damaged: list[str] = list(found.unreadable)
        self.base_url = self.site

    def arguments(self) -> dict:
        """The files by path and identity: a file changed since an interrupted run is read
        afresh by a new run, never through the stale offsets of the old one."""
        return {**super().arguments(),
                "paths": [f"{s.path}{'!' + s.member if s.member else ''}" for s in self.sources],
                "files": {s.name: s.identity for s in self.sources},
                "web_archives": sorted(self.told_archives.bases)}

    def progress_note(self) -> str:
        if self.indexing:
            return f"indexed {_size(self.done_bytes)} of {_size(self.total_bytes)}"
        return f"{len(self.sources)} WARC/ARC file(s) indexed"

    # -- the index -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator:
        for unreadable in self.damaged:
            self.logger.warning("%s; the file is left out", unreadable)
        for source in self.sources:
            note, done = self.ledger.enumeration(source.name)
            if done:
                self.remember(source, note)
                self.done_bytes += source.size
                continue
            await self.index(source)
            if self.stopping():
                return
        self.indexing = False
        self.adopt_public_base()
        for step in self.advance():
            yield step

    def adopt_public_base(self) -> None:
        """A crawl kept as WARC wrote its records against the public base its warcinfo names
        (a mirror crawled without `--public-base-url` keeps its own address). When no capture
        is under this run's public base and exactly one of the bases of proven harvester
        files holds them, the run takes it, so that the pages it builds URLs for (topics) are
        where the crawl found them."""
        if self.ledger.has_keys_under(self.public):
            return
        holding = {public for public in set(self.crawl_bases.values())
                   if self.ledger.has_keys_under(public)}
        if len(holding) == 1:
            self.public = holding.pop()

    def canonical(self, url: str | None) -> str | None:
        """On the site, or under a proven harvester crawl's base (links and redirects of its
        pages)."""
        found = super().canonical(url)
        if found is None and url:
            for crawl, public in self.crawl_bases.items():
                if found := canonical_url(url, crawl, public):
                    break
        return found

    # -- reading records -----------------------------------------------------------------------
    @property
    def parallel(self) -> int:
        """One choice at a time: the reads go ahead of it (`fetch.read_ahead`), not the
        choices."""
        return 1

    def fetch_for(self, rules: ChoiceRules) -> RecordFetch:
        return RecordFetch(self.crawler, self.ledger, rules, self, self.config.download_maxsize)

    def location(self, capture: Capture, headers: dict[str, str]) -> str | None:
        """Where a captured redirect leads: inside a replay, the URL it replays, when the
        file's records may be read as a web archive's replays."""
        location = headers.get("location")
        if not location:
            return None
        file_trust = self.file_trust.get(capture.location.rpartition("#")[0])
        archives = file_trust.archives if file_trust else self.told_archives
        replay = archives.replay_of(location)
        return replay[0] if replay else urljoin(capture.original, location)

    def file_record(self, capture: Capture) -> tuple[WarcSource, int]:
        name, _, offset = capture.location.rpartition("#")
        return self.by_name[name], int(offset)

    def source_report(self) -> dict:
        return {**super().source_report(), "files": [s.name for s in self.sources],
                "damaged_files": self.damaged, "refused_records": dict(sorted(
                    self.refused.items()))}


def member_limits(settings) -> MemberLimits:
    """A WACZ member's bounds from the settings, each checked where it is read."""
    return MemberLimits(whole_setting(settings, "HARVESTER_WACZ_MAX_MEMBER_BYTES"),
                        number_setting(settings, "HARVESTER_WACZ_MAX_RATIO", 1))


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"
