"""The `warc` spider: the archive's records from WARC and WACZ files (a researcher's own crawl,
or a run of this harvester kept with `--warc`).

Two passes, both streamed: an index of every response and revisit record (URL, date, status,
type, digest, offset), kept in the state; then, URL by URL, records read back newest first by
WARC-Date under the same rules as web-archive captures (see `spiders.captures`). Nothing is
fetched over the network.
"""

from collections.abc import AsyncIterator
from urllib.parse import urljoin, urlsplit

from scrapy.utils.asyncio import sleep

from harvester.sources import selection
from harvester.sources.captures import EMPTY_DIGEST, Answer, Capture, in_window
from harvester.sources.replay import original_of
from harvester.sources.urls import canonical_url, page_kind
from harvester.sources.warcfiles import WarcReader, WarcReadError, WarcSource, index_records
from harvester.sources.warcfind import find_warcs
from harvester.spiders.captures import CaptureSpider

BATCH = 500


class WarcSpider(CaptureSpider):
    name = "warc"
    source = "warc"
    reads_every_document = True

    def __init__(self, paths: str | list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        given = paths.split(",") if isinstance(paths, str) else list(paths or [])
        if not given:
            raise ValueError("the warc source needs WARC, ARC or WACZ files or folders")
        found = find_warcs([p.strip() for p in given if p.strip()])
        self.sources = found.sources
        self.by_name = {source.name: source for source in self.sources}
        self.total_bytes = sum(source.size for source in self.sources)
        self.done_bytes = 0
        self.indexing = True
        # Files that could not be read at all (left out), then files whose end could not be
        # read (their records before the damage are used); each with where and why.
        self.damaged: list[str] = list(found.unreadable)
        # Crawl base → public base, from the warcinfo of WARCs this harvester wrote (a mirror
        # crawled on loopback stands for the archive).
        self.crawl_bases: dict[str, str] = {}

    def configure(self, crawler) -> None:
        super().configure(crawler)
        self.base_url = self.site
        self.reader = WarcReader()
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE") or 1 << 30

    def arguments(self) -> dict:
        return {**super().arguments(),
                "paths": [f"{s.path.resolve()}{'!' + s.member if s.member else ''}"
                          for s in self.sources]}

    def closed(self, reason: str) -> None:
        self.reader.close()

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
                self.remember(note)
                self.done_bytes += source.size
                continue
            await self.index(source)
        self.indexing = False
        self.adopt_public_base()
        for step in self.advance():
            yield step

    async def index(self, source: WarcSource) -> None:
        start, batch, damage = self.done_bytes, [], None

        def progress(read: int) -> None:
            self.done_bytes = start + read

        try:
            for record in index_records(source, progress):
                capture = self.capture_of(source, record)
                if capture is not None:
                    batch.append(capture)
                if len(batch) >= BATCH:
                    self.ledger.record_page(source.name, batch, None, False)
                    batch = []
                    await sleep(0)  # let the progress line and signals run
        except WarcReadError as damaged:
            self.logger.warning("%s; the records before it are used", damaged)
            damage = str(damaged)
            self.damaged.append(damage)
        self.done_bytes = start + source.size
        self.ledger.record_page(source.name, batch, self.note(damage), True)

    def adopt_public_base(self) -> None:
        """A crawl kept as WARC wrote its records against the public base its warcinfo names
        (a mirror crawled without `--public-base-url` keeps its own address). When no capture
        is under this run's public base and exactly one of those bases holds them, the run
        takes it, so that the pages it builds URLs for (topics) are where the crawl found
        them."""
        if self.ledger.has_keys_under(self.public):
            return
        holding = {public for public in set(self.crawl_bases.values())
                   if self.ledger.has_keys_under(public)}
        if len(holding) == 1:
            self.public = holding.pop()

    def note(self, damage: str | None) -> str:
        """What the index learnt about a file, kept with its census for a resumed run: the
        crawl bases its warcinfo names, and where it is damaged."""
        lines = [f"base {crawl} {public}" for crawl, public in sorted(self.crawl_bases.items())]
        return "\n".join(lines + ([f"damaged {damage}"] if damage else []))

    def remember(self, note: str | None) -> None:
        for line in (note or "").splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "base":
                crawl, _, public = rest.partition(" ")
                self.crawl_bases[crawl] = public
            elif kind == "damaged":
                self.damaged.append(rest)

    def capture_of(self, source: WarcSource, record) -> Capture | None:
        info = record.warcinfo
        crawl, public = info.get("base-url"), info.get("public-base-url")
        if crawl and crawl not in self.crawl_bases:
            self.crawl_bases[crawl] = public or crawl
        original, timestamp = record.target_uri, record.date
        if (inner := original_of(original)) is not None:  # a replay kept by a wayback run
            original, timestamp = inner, _replay_timestamp(record.target_uri) or timestamp
        key = self.canonical(original)
        if key is None or not in_window(timestamp, self.captured_from, self.captured_to):
            return None
        revisit = record.rec_type == "revisit"
        return Capture(location=f"{source.name}#{record.offset}", key=key, kind=page_kind(key),
                       timestamp=timestamp, original=original,
                       status=None if revisit and record.status is None else record.status,
                       mimetype="warc/revisit" if revisit else record.mimetype,
                       digest=record.digest, revisit=revisit)

    def canonical(self, url: str | None) -> str | None:
        found = super().canonical(url)
        if found is None and url:
            for crawl, public in self.crawl_bases.items():
                if found := canonical_url(url, crawl, public):
                    break
        return found

    # -- reading records -----------------------------------------------------------------------
    def unfetched_skip(self, capture: Capture) -> str | None:
        reason = super().unfetched_skip(capture)
        if reason is None and capture.revisit and not _self_contained(capture) and \
                self.ledger.payload_of(capture.digest, capture.key) is None:
            return selection.REVISIT_UNKNOWN
        return reason

    def fetch_now(self, capture: Capture) -> Answer:
        revisited = self.ledger.payload_of(capture.digest, capture.key) \
            if capture.revisit else None
        try:
            own = self.read(capture)
            payload = self.read(revisited) if revisited is not None else own
        except WarcReadError as damaged:
            return Answer(status=0, captured=True, failure=str(damaged))
        headers = own if own.status is not None else payload
        return Answer(status=headers.status or 0, headers=_headers(headers.headers),
                      body=payload.body, complete=payload.complete,
                      moved_to=_location(capture.original, headers.headers))

    def read(self, capture: Capture):
        name, _, offset = capture.location.rpartition("#")
        return self.reader.read(self.by_name[name], int(offset), self.max_size)

    def capture_url(self, capture: Capture) -> str:
        return capture.location

    def source_report(self) -> dict:
        return {**super().source_report(), "files": [s.name for s in self.sources],
                "damaged_files": self.damaged}


def _self_contained(capture: Capture) -> bool:
    """A revisit of an empty body (a redirect, mostly) with its own status line and headers
    holds all there is: it needs no record of the payload it repeats."""
    return capture.digest == EMPTY_DIGEST and capture.status is not None


def _headers(pairs) -> dict[str, str]:
    return {name.lower(): value for name, value in pairs}


def _location(original: str, pairs) -> str | None:
    location = _headers(pairs).get("location")
    if not location:
        return None
    return original_of(location) or urljoin(original, location)


def _replay_timestamp(url: str) -> str | None:
    segment = urlsplit(url).path.split("/")
    if len(segment) > 2 and segment[1] == "web":
        digits = "".join(ch for ch in segment[2] if ch.isdigit())
        return digits if len(digits) == 14 else None
    return None


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"
