"""Choosing, for each URL, the capture that becomes its record: newest first, the first whole
page wins, every other capture skipped with its reason, a bounded number of fetches per URL.

A choice is a generator: it yields the captures it needs fetched and is sent what the source
answered, so the same rules run over a web archive (a replay per capture) and over WARC files
(a record read per capture), whoever fetches them. What was tried is kept in the run's ledger
(`harvester.state.captures.CaptureLedger`), known here only by what the rules ask of it
(`Ledger`). The walk that runs the choices phase by phase is the spiders'
(`harvester.spiders.walk`).
"""

from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from harvester.capture import outcomes
from harvester.capture.outcomes import DIGEST_MISMATCHES
from harvester.capture.rows import Answer, Capture, answered_payload, payload_identity
from harvester.sources import selection, trust


class Ledger(Protocol):
    """What the rules ask of the run's ledger of captures (harvester.state.captures)."""

    def untried(self, key: str) -> list[Capture]: ...
    def all_captures(self, key: str) -> list[Capture]: ...
    def skips(self, key: str) -> dict[str, int]: ...
    def fetches(self, key: str) -> int: ...
    def shared_unfetched(self, key: str) -> list[Capture]: ...
    def note(self, capture: Capture, outcome: str, fetched: bool,
             record_id: str | None = None, payload: str | None = None,
             why: tuple[str | None, str | None] = (None, None)) -> None: ...
    def newest_skip(self, key: str) -> tuple[str, str | None, str | None] | None: ...
    def digest_outcome(self, digest: str | None,
                       other_than: str = "") -> tuple[str, str | None] | None: ...
    def count(self, kind: str, counts: dict[str, int]) -> None: ...

# What a fetched capture may come to and end its URL's choice.
CHOSEN = (outcomes.USED, outcomes.MOVED, outcomes.SAME_PAYLOAD)


@dataclass
class Choice:
    """What a URL came to: a verdict that is USED (with its capture) or MOVED, or nothing
    usable (the reasons counted)."""

    verdict: selection.Verdict | None = None
    capture: Capture | None = None
    page: Any = None                 # what the kind's reader made of the page (a Document, ...)
    skipped: Counter = field(default_factory=Counter)
    captures: int = 0                # how many captures the URL had left to choose from
    gave_up: bool = False
    newest_skip: selection.Verdict | None = None   # why the newest capture fetched was skipped


# Reads a judged page (as captured) for one kind of URL: the parsed page, or the verdict that
# skips it.
Reader = Callable[[Capture, selection.CapturedPage], tuple[Any, selection.Verdict | None]]
# One URL's choice under way: yields the captures to fetch, is sent their answers.
Chooser = Generator[Capture, Answer, Choice]


def choose(ledger: Ledger, key: str, kind: str, read: Reader, judge: Callable,
           unfetched_skip: Callable[[Capture], str | None], max_fetches: int) -> Chooser:
    """Try the URL's captures newest first until one reads as a valid page of its kind. A
    capture skipped unfetched on the index's word alone (its digest names a payload already
    judged) is fetched after all when nothing else of the URL could be used: a lying index may
    cost a fetch, never a record."""
    documents = kind == "document"
    # A document's judged captures are never fetched again, even after a kill, and still count
    # among the reasons; other pages are few and are read again (what they give is needed by
    # later phases).
    captures = ledger.untried(key) if documents else ledger.all_captures(key)
    choice = Choice(captures=len(captures),
                    skipped=Counter(ledger.skips(key) if documents else {}),
                    newest_skip=taken_up(ledger, key) if documents else None)
    fetches = Fetches(ledger.fetches(key) if documents else 0, max_fetches, choice)
    shared = ledger.shared_unfetched(key) if documents else []
    for capture in captures:
        reason = unfetched_skip(capture)
        if reason is not None:
            ledger.note(capture, reason, fetched=False)
            choice.skipped[reason] += 1
        elif (verdict := shared_verdict(ledger, capture)) is not None:
            choice.skipped[verdict.outcome] += 1
            shared.append(capture)
        elif not fetches.allowed():
            return choice
        elif chosen := (yield from tried(ledger, capture, judge, read, documents, choice)):
            return chosen
    for capture in shared:   # newest first, as they came
        if not fetches.allowed():
            break
        choice.skipped -= Counter({outcomes.REPEATED: 1})   # judged again, below
        if chosen := (yield from tried(ledger, capture, judge, read, documents, choice)):
            return chosen
    return choice


def taken_up(ledger: Ledger, key: str) -> selection.Verdict | None:
    """The newest skip of a choice taken up again (after a kill, or a failed replay)."""
    skipped = ledger.newest_skip(key)
    return selection.Verdict(skipped[0], detail=skipped[1] or "", field=skipped[2]) if skipped \
        else None


@dataclass
class Fetches:
    """Fetches of one URL's captures, bounded."""

    done: int
    most: int
    choice: Choice

    def allowed(self) -> bool:
        """Whether one more may be made (and count it); when not, the choice gave up."""
        if self.done >= self.most:
            self.choice.gave_up = True
            return False
        self.done += 1
        return True


def tried(ledger: Ledger, capture: Capture, judge: Callable, read: Reader,
          documents: bool, choice: Choice) -> Generator[Capture, Answer, Choice | None]:
    """Fetch one capture and judge it: the Choice it makes, or None (its skip counted). A
    page used carries the digest its bytes were seen to have, or none: never an index's
    digest they contradict."""
    answer = yield capture
    verdict, page, payload = judged(ledger, capture, answer, judge, read, documents)
    if verdict.outcome == outcomes.USED and payload != capture.digest:
        capture = replace(capture, digest=payload)
    if verdict.outcome in CHOSEN:
        return Choice(verdict, capture, page, choice.skipped, choice.captures)
    choice.skipped[verdict.outcome] += 1
    choice.newest_skip = choice.newest_skip or verdict
    return None


def shared_verdict(ledger: Ledger, capture: Capture) -> selection.Verdict | None:
    """The skip a capture shares, unfetched, with an earlier fetched capture of the same
    payload (a revisit of a challenge, an identical error page), or None. Only a payload is
    told apart by its digest (`payload_identity`): never a redirect. A payload that became a
    record is shared by no unfetched capture: only a capture whose own bytes were seen to
    have that digest may become another address of the record (see `judged`)."""
    identity = payload_identity(capture)
    seen = ledger.digest_outcome(identity, capture.location) if identity else None
    if seen is None or seen[0] == outcomes.USED:
        return None
    ledger.note(capture, outcomes.REPEATED, fetched=False)
    return selection.Verdict(outcomes.REPEATED)


def verified_payload(ledger: Ledger, capture: Capture, answer: Answer) -> str | None:
    """The digest a fetched answer's payload is known by: the index's, once the payload's own
    bytes were seen to have it (a mismatch is counted, and the digest then names nothing)."""
    identity = payload_identity(capture) if answered_payload(answer) else None
    if identity is None:
        return None
    if answer.digest_checked or identity == answer.sent_digest or \
            trust.digest_matches(identity, (answer.body,)):
        return identity
    ledger.count(DIGEST_MISMATCHES, {trust.DIGEST_MISMATCH: 1})
    return None


def same_payload(ledger: Ledger, capture: Capture,
                 payload: str) -> selection.Verdict | None:
    """SAME_PAYLOAD when another URL's record came from these very bytes: this URL is
    another address of that record."""
    seen = ledger.digest_outcome(payload, capture.location)
    if seen is None or seen[0] != outcomes.USED or not seen[1]:
        return None
    ledger.note(capture, outcomes.SAME_PAYLOAD, fetched=True, record_id=seen[1],
                payload=payload)
    return selection.Verdict(outcomes.SAME_PAYLOAD, detail=seen[1])


def judged(ledger: Ledger, capture: Capture, answer: Answer, judge: Callable,
           read: Reader, documents: bool = False,
           ) -> tuple[selection.Verdict, Any, str | None]:
    """A fetched capture's verdict, what its reader made of it when it is a valid page, and the
    digest its payload was seen to have; noted with that digest only, so that a redirect's
    verdict is never shared by digest, nor a lying index's."""
    payload = verified_payload(ledger, capture, answer)
    if documents and payload and (same := same_payload(ledger, capture, payload)):
        return same, None, payload
    verdict, page, record_id = judge(capture, answer), None, None
    if verdict.outcome == outcomes.USED:
        page, skip = answer.parsed or read(capture, verdict.page)
        if skip is not None:
            verdict, page = skip, None
        else:
            record_id = getattr(page, "record_id", None)
    ledger.note(capture, verdict.outcome, fetched=True, record_id=record_id, payload=payload,
                why=(verdict.detail, verdict.field))
    return verdict, page, payload


def summary(choice: Choice) -> str:
    """Why no capture of a URL could be used, for its reject."""
    if not choice.captures and not choice.skipped:
        return "no capture of this page in the source"
    reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(choice.skipped.items()))
    newest = choice.newest_skip
    said = f"; the newest fetched: {newest.detail}" if newest is not None and newest.detail else ""
    given_up = "; gave up after the maximum number of fetches" if choice.gave_up else ""
    return f"no usable capture ({reasons or 'none judged'}){said}{given_up}"
