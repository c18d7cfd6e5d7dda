"""Two captured pages claiming one Record ID: a counted conflict, never a silent winner.

Pages of one Record ID with the very same bytes are one page under two addresses (decided by
their payload digests before this). Pages with different bytes are a conflict, decided once
every page has been read, whatever order they came in:

- the Record ID's own address (`/document/<id>`), where the source captured the site's
  redirect from it, confirms one page: that page gives the record. A claimant captured
  before it is an earlier address of the record (the site gave the page another slug since);
  one captured as late or later is refused: no page outdates the one the record's own address
  leads to.
- with nothing to confirm one, every claimant is refused and no page gives the record in this
  run (a record a published run kept stays as it was).

Each refused claimant is a reject saying so (field `record_id`), and the manifest lists every
conflict and what became of each page (`source.record_id_conflicts`).
"""

import json
from collections.abc import Iterator

from harvester.items import Document, Reject, to_record
from harvester.items.envelope import Envelope, envelope_of, sealed
from harvester.spiders.hosts import CaptureHost

CLAIM = "claim"
_HOPS = 5   # redirects followed from the Record ID's own address


class RecordConflicts(CaptureHost):
    """Mixin for CaptureSpider (which provides the ledger, the run and `canonical`)."""

    def start_conflicts(self, staged: dict[str, str]) -> None:
        self.claimants = dict(staged)      # Record ID → the URL whose page gave it in this run
        self.conflicts: list[dict] = []
        self.kept_claims: dict[str, str] = {}   # URL → the Record ID its page gives, decided

    def claims_first(self, key: str, document: Document) -> bool:
        """Whether this URL's page is the first to give its Record ID in this run; if another
        URL's page gave it, the claim is kept to be decided at the end."""
        record_id = document.record_id
        assert record_id is not None, f"{key}: read without its Record ID"  # DocumentPage.record
        first = self.claimants.setdefault(record_id, key)
        if first == key:
            return True
        claim = {"record": to_record(document),
                 "reached_from": envelope_of(document).reached_from}
        self.ledger.settle(key, CLAIM, json.dumps(claim, ensure_ascii=False))
        return False

    def own_address(self, record_id: str) -> str | None:
        return self.canonical(f"{self.public}/document/{record_id}")

    def confirmation_keys(self) -> Iterator[tuple]:
        """A phase: the own address of each Record ID in conflict, when the source holds
        captures of it that were not read yet."""
        for record_id in sorted(self.claimed_records()):
            key = self.own_address(record_id)
            if key and self.ledger.settlement(key) is None and self.ledger.has_captures(key):
                yield key, "document", None

    def claimed_records(self) -> dict[str, list[tuple[str, dict]]]:
        found: dict[str, list[tuple[str, dict]]] = {}
        for key, detail in self.ledger.settled(CLAIM):
            claim = json.loads(detail or "{}")
            found.setdefault(str(claim["record"]["record_id"]), []).append((key, claim))
        return found

    def confirmed(self, record_id: str) -> str | None:
        """The URL the site's own redirect from `/document/<id>` leads to, if captured."""
        key = self.own_address(record_id)
        target = self.moved_to(key) if key else None
        if target is None:
            return None
        for _ in range(_HOPS):
            hop = self.moved_to(target)
            if hop is None:
                break
            target = hop
        return target

    def moved_to(self, key: str) -> str | None:
        """Where a URL settled as a captured redirect leads, or None."""
        settled = self.ledger.settlement(key)
        if settled is None or settled[0] != "moved":
            return None
        assert settled[1] is not None, f"{key}: settled as moved without its target"
        return settled[1]

    # -- deciding ----------------------------------------------------------------------------------
    def decide_conflicts(self) -> Iterator:
        """Each conflict decided: the confirmed page's record (given again when it was not the
        first claimant's), earlier addresses, and rejects for the refused claimants."""
        self.conflicts = []
        for record_id, claims in sorted(self.claimed_records().items()):
            pages = {key: claim for key, claim in claims}
            staged = self.ledger.staged_record(record_id)
            if staged is not None and staged["url"] not in pages:
                # Kept as a claim too, so that a resumed run decides alike.
                pages[staged["url"]] = {"record": staged, "reached_from": [staged["url"]]}
                self.ledger.settle(staged["url"], CLAIM,
                                   json.dumps(pages[staged["url"]], ensure_ascii=False))
            yield from self.decide(record_id, pages, staged["url"] if staged else None)

    def decide(self, record_id: str, pages: dict[str, dict], staged: str | None) -> Iterator:
        kept = self.confirmed(record_id)
        kept = kept if kept in pages else None
        kept_time = pages[kept]["record"]["capture"]["timestamp"] if kept else ""
        outcome = {}
        for url, claim in sorted(pages.items()):
            if url == kept:
                outcome[url] = "kept"
            elif kept and claim["record"]["capture"]["timestamp"] < kept_time:
                outcome[url] = "an earlier address"
                self.run.alias(record_id, [url])
            else:
                outcome[url] = "refused"
                self.ledger.forget_address(url, record_id)
                yield Reject(url=url, reason=self.refusal(record_id, len(pages), kept),
                             field="record_id")
        if kept is None:
            self.ledger.unstage(record_id)
        else:
            self.kept_claims[kept] = record_id
        if kept is not None and staged != kept:
            yield sealed(Document(**pages[kept]["record"]),
                         Envelope(reached_from=pages[kept]["reached_from"], supersedes=True))
        self.conflicts.append({"record_id": record_id, "pages": outcome,
                               "confirmed_by": self.own_address(record_id) if kept else None})

    def refusal(self, record_id: str, claimants: int, kept: str | None) -> str:
        others = f"as {claimants - 1} other page{'s' if claimants > 2 else ''} of the source do"
        if kept:
            return (f"claims Record ID {record_id}, {others}; the Record ID's own address "
                    f"{self.own_address(record_id)} leads to {kept}, captured no earlier")
        return (f"claims Record ID {record_id}, {others}; nothing confirms which is the "
                f"record's (no capture of {self.own_address(record_id)} leads to one)")
