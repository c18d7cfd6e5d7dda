"""What the crawl knows of a record in flight that the record does not say: how its page was
reached, the answer's validators, whether it replaces or repeats a record. It travels beside the
item, never inside it, so no feed, schema or record file can see it.

An envelope is kept by the item's identity (a record is an unhashable dataclass) and goes
when the item does: a finalizer removes it as the item is collected, before its identity can be
given to another object.
"""

import weakref
from dataclasses import dataclass, field
from typing import TypeVar

Item = TypeVar("Item")


@dataclass
class Envelope:
    # Every URL that led to this page (listing links, redirects), to resolve topic memberships.
    reached_from: list[str] = field(default_factory=list)
    # The response's (ETag, Last-Modified), kept in the state for conditional re-checks.
    validators: tuple[str | None, str | None] | None = None
    # A source says so when this page is a newer capture of a record already harvested in the
    # run: it replaces that one instead of becoming an alias of it.
    supersedes: bool = False
    # The stored record, given again because a conditional request found the page unchanged:
    # checked, not parsed (the state stages it as unchanged).
    unchanged: bool = False
    # The record passed its schema in this crawl (harvester.pipelines.validate): published as
    # it was staged, it is not checked again.
    checked: bool = False


_ENVELOPES: dict[int, Envelope] = {}


def sealed(item: Item, envelope: Envelope) -> Item:
    """The item, with its envelope beside it (replacing any it had)."""
    key = id(item)
    if key not in _ENVELOPES:
        weakref.finalize(item, _ENVELOPES.pop, key, None)
    _ENVELOPES[key] = envelope
    return item


def envelope_of(item: object) -> Envelope:
    """The item's envelope, sealed with it on the way in; an item sent without one (a topic, a
    reject) has an empty one, which nothing keeps."""
    return _ENVELOPES.get(id(item)) or Envelope()


def has_envelope(item: object) -> bool:
    """Whether the item was sealed: every document a spider gives is, so one without was put
    in its place on the way (a pipeline giving a copy), and what the crawl knew of it is lost."""
    return id(item) in _ENVELOPES


def in_flight() -> int:
    """How many envelopes are kept: items not yet collected that were sealed."""
    return len(_ENVELOPES)
