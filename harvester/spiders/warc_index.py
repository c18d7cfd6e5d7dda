"""The `warc` spider's index pass: every response, revisit and resource record of each file,
streamed, becomes a capture in the state, under the trust rules (`sources/trust.py`).

- A record is a capture of the archive when its target is on the site, or a replay on a web
  archive the run was told about (`--wayback-url`, or the web archive a proven harvester WARC
  of a wayback run replayed from). A file's warcinfo maps its crawl's base onto the archive
  only when the file is proven to be the harvester's own (`sources/provenance.py`), and only
  for that file's records.
- A capture time is a real date, not before 1996 nor after the run's start, and a replay's
  agrees with its `Memento-Datetime`; a record's digest that its bytes contradict is not kept.
Records refused by these rules are counted by reason (`source.refused_records`); what the pass
learnt of a file is kept with its census, so a resumed run knows it without reading again.
"""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice

from harvester import interrupt
from harvester.capture import outcomes
from harvester.capture.rows import Capture, in_window, timestamp_from
from harvester.middlewares.parse_workers import pages_foreseen
from harvester.sources import trust
from harvester.sources.provenance import HarvesterWarc, proven_harvester_warc
from harvester.sources.urls import canonical_url, page_kind, same_site
from harvester.sources.warcfiles import IndexedRecord, WarcReadError, WarcSource, index_walk
from harvester.spiders.hosts import CaptureHost
from harvester.spiders.off_reactor import off_reactor

BATCH = 500


@dataclass
class FileTrust:
    """What one file's records may be read as."""

    archives: trust.WebArchives
    bases: dict[str, str] = field(default_factory=dict)   # crawl base → public base
    proven: HarvesterWarc | None = None
    decided: bool = False    # whether its warcinfo has been looked at


@dataclass
class IndexedBatch:
    """What one stretch of a file's index pass found."""

    captures: list[Capture] = field(default_factory=list)
    ended: bool = False
    damage: WarcReadError | None = None


class WarcIndex(CaptureHost):
    """Mixin for WarcSpider (which provides the ledger, the run, the sources and `site`)."""

    done_bytes: int  # of the files' bytes, those indexed (the progress line's)
    damaged: list[str]  # files left out or cut short, and why

    def start_index(self, archives: trust.WebArchives) -> None:
        self.told_archives = archives
        self.file_trust: dict[str, FileTrust] = {}
        self.refused: Counter = Counter()
        # Crawl base → public base over every proven file (the links of their pages).
        self.crawl_bases: dict[str, str] = {}
        self.documents_indexed = 0

    async def index(self, source: WarcSource) -> None:
        """The file's records are read BATCH at a time on a thread of their own (reading,
        digests, a proven file's hash: the reactor goes on meanwhile); each batch is kept in
        the state here, on the reactor's thread, which alone writes to the state."""
        start, damage = self.done_bytes, None
        file_trust = self.file_trust.setdefault(source.name, FileTrust(self.told_archives))
        refused_before = Counter(self.refused)

        def progress(read: int) -> None:
            self.done_bytes = start + read

        walk = index_walk(source, progress)
        try:
            while not (read := await off_reactor(self.next_captures, walk, source,
                                                 file_trust)).ended:
                self.ledger.record_page(source.name, read.captures, None, False)
                self.foresee(read.captures)
        except interrupt.Interrupted as stopped:
            # The file is indexed again when the run resumes.
            self.logger.warning("%s: indexing stopped by a signal at byte %d of %d",
                                source.name, stopped.at, source.size)
            return
        if read.damage is not None:
            self.logger.warning("%s; the records before it are used", read.damage)
            damage = str(read.damage)
            self.damaged.append(damage)
        self.done_bytes = start + source.size
        note = self.note(file_trust, damage, self.refused - refused_before)
        self.ledger.record_page(source.name, read.captures, note, True)
        self.foresee(read.captures)

    def next_captures(self, walk: Iterator[IndexedRecord | None], source: WarcSource,
                      file_trust: FileTrust) -> "IndexedBatch":
        """The captures among the walk's next BATCH records; the walk has ended once it
        gives fewer, or at damage (the records before it are used)."""
        read, seen = IndexedBatch(), 0
        try:
            for record in islice(walk, BATCH):
                seen += 1
                capture = self.capture_of(source, record, file_trust) if record else None
                if capture is not None:
                    read.captures.append(capture)
        except WarcReadError as damaged:
            read.damage = damaged
        read.ended = read.damage is not None or seen < BATCH
        return read

    def foresee(self, indexed: list[Capture]) -> None:
        """Tells how many document captures are indexed so far (of all files), so that the
        parse workers start beside the index pass once there are enough to be worth it."""
        self.documents_indexed += sum(capture.kind == "document" for capture in indexed)
        self.crawler.signals.send_catch_log(pages_foreseen, pages=self.documents_indexed)

    # -- what a file's records may be read as ----------------------------------------------------
    def trust_for(self, source: WarcSource, record: IndexedRecord, file_trust: FileTrust) -> None:
        """Decide once, at the first record a warcinfo governs, whether the file is proven."""
        if file_trust.decided or not record.warcinfo:
            return
        file_trust.decided = True
        if source.member or source.sequential:   # never how the harvester writes its files
            return
        proven = proven_harvester_warc(source.path, record.warcinfo, interrupt.check)
        if proven is not None:
            self.adopt(file_trust, proven)

    def adopt(self, file_trust: FileTrust, proven: HarvesterWarc) -> None:
        file_trust.proven = proven
        file_trust.bases = proven.crawl_bases()
        self.crawl_bases.update(file_trust.bases)
        if proven.from_web_archive and proven.base_url:
            file_trust.archives = file_trust.archives.with_archive(proven.base_url)

    def capture_of(self, source: WarcSource, record: IndexedRecord,
                   file_trust: FileTrust) -> Capture | None:
        self.trust_for(source, record, file_trust)
        original, timestamp = record.target_uri, record.date
        if (replay := file_trust.archives.replay_of(original)) is not None:
            if record.memento is None:   # the web archive answering for itself
                self.refused[outcomes.NOT_REPLAYED] += 1
                return None
            original, timestamp = replay
        elif self.untold_replay(original):
            self.refused[trust.UNTOLD_ARCHIVE] += 1
            return None
        key = self.canonical_in(file_trust, original)
        if key is None or not in_window(timestamp, self.captured_from, self.captured_to):
            return None
        problem = self.time_problem(timestamp, record.memento if replay else None)
        if problem is not None:
            self.refused[problem] += 1
            return None
        return self.indexed_capture(source, record, key, original, timestamp)

    def time_problem(self, timestamp: str, memento: str | None) -> str | None:
        """Why a capture time cannot be believed: not a possible time, or not the time its
        replay's Memento-Datetime says."""
        problem = trust.capture_time_problem(timestamp, self.run_start)
        if problem is None and memento is not None and \
                trust.memento_problem(timestamp, {"memento-datetime": memento}):
            problem = outcomes.TIME_DISAGREES
        return problem

    def indexed_capture(self, source: WarcSource, record: IndexedRecord, key: str,
                        original: str, timestamp: str) -> Capture:
        revisit = record.rec_type == "revisit"
        digest = record.digest
        if record.digest_verified is False:
            self.refused[trust.DIGEST_MISMATCH] += 1
            digest = None   # it stands for no payload, and so merges nothing
        return Capture(location=f"{source.name}#{record.offset}", key=key, kind=page_kind(key),
                       timestamp=timestamp, original=original,
                       status=None if revisit and record.status is None else record.status,
                       mimetype="warc/revisit" if revisit else record.mimetype,
                       digest=digest, revisit=revisit)

    def untold_replay(self, url: str) -> bool:
        """A replay path whose URL is the site's, on a host that is not a web archive the run
        was told about: another site's page, counted so the user can say which archive."""
        parts = trust.replay_parts(url)
        return parts is not None and not same_site(url, self.site) and \
            self.canonical(parts[0]) is not None

    def canonical_in(self, file_trust: FileTrust, url: str) -> str | None:
        """The archive's URL for a record's target: on the site, or under a crawl base of the
        file's own proven warcinfo."""
        found = self.on_site(url)
        for crawl, public in file_trust.bases.items():
            if found is None:
                found = canonical_url(url, crawl, public)
        return found

    @property
    def run_start(self) -> str:
        return timestamp_from(self.run.context.started)

    # -- kept with each file's census, for a resumed run -----------------------------------------
    def note(self, file_trust: FileTrust, damage: str | None, refused: Counter) -> str:
        proven = file_trust.proven
        return json.dumps({"proven": asdict(proven) if proven else None, "damaged": damage,
                           "refused": dict(refused)}, sort_keys=True)

    def remember(self, source: WarcSource, note: str | None) -> None:
        try:
            known = json.loads(note or "{}")
        except ValueError:
            known = {}
        file_trust = self.file_trust.setdefault(source.name, FileTrust(self.told_archives,
                                                                       decided=True))
        if known.get("proven"):
            self.adopt(file_trust, HarvesterWarc(**known["proven"]))
        if known.get("damaged"):
            self.damaged.append(known["damaged"])
        self.refused.update(known.get("refused") or {})
