"""The people index: one entry per person or organisation named on the documents.

Each pill is keyed by the slug of the person's page (`/people/<slug>`), else the archive's term
id, else its normalised name, and keys naming one person are merged (authority.py): "Kim, Il
Sung" under the slug `kim-il-sung`, under the term 40011 and "Kim Il Sung" under the term 87212
are one entry, `slug:kim-il-sung`, with "Kim Il Sung" among its `aliases` and both terms in
`ids`. Life dates and a description come from the person's own page when the run read it
(`details`, by slug).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from harvester.assemble import record_order
from harvester.dataset.authority import Resolver
from harvester.normalize.names import name_key

ROLES = ("author", "associated", "contributor")
# What a person's own page adds to an entry (not derived from the documents).
PAGE_FIELDS = ("life_dates", "description")


def person_name_key(name: str) -> str:
    return name_key(name, life_dates=True)


@dataclass
class PersonEntry:
    """One line of people.jsonl; field order here is the key order written."""

    key: str
    slug: str | None
    ids: list[int]
    name: str
    display: str
    family: str | None
    given: str | None
    kind: str
    aliases: list[str]
    roles: dict[str, int]
    document_count: int
    record_ids: list[str]
    first_date: str | None
    last_date: str | None
    life_dates: str | None = None
    description: str | None = None


@dataclass
class _Tally:
    """What the documents say about one key, gathered in Record ID order."""

    forms: Counter = field(default_factory=Counter)
    # name -> (Record ID order, position) where it was first shown, and the pill that showed it
    first_seen: dict[str, tuple[tuple, dict[str, Any]]] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=lambda: {role: set() for role in ROLES})
    record_ids: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)
    ids: set[int] = field(default_factory=set)
    earliest: list[str] = field(default_factory=list)
    latest: list[str] = field(default_factory=list)

    def add(self, person: dict[str, Any], document: dict[str, Any], position: int) -> None:
        record_id, name = document["record_id"], person["name"]
        self.forms[name] += 1
        if name not in self.first_seen:
            self.first_seen[name] = ((record_order(record_id), position), person)
        self.roles[person["role"]].add(record_id)
        if person.get("slug"):
            self.slugs.add(person["slug"])
        if person.get("id") is not None:
            self.ids.add(person["id"])
        if record_id in self.record_ids:
            return
        self.record_ids.add(record_id)
        date = document.get("date") or {}
        if date.get("earliest"):
            self.earliest.append(date["earliest"])
        if date.get("latest"):
            self.latest.append(date["latest"])

    def merge(self, other: "_Tally") -> None:
        self.forms.update(other.forms)
        for name, seen in other.first_seen.items():
            if name not in self.first_seen or seen[0] < self.first_seen[name][0]:
                self.first_seen[name] = seen
        for role in ROLES:
            self.roles[role] |= other.roles[role]
        self.record_ids |= other.record_ids
        self.slugs |= other.slugs
        self.ids |= other.ids
        self.earliest += other.earliest
        self.latest += other.latest

    def entry(self, key: str, details: dict[str, Any]) -> PersonEntry:
        # The most often shown form names the entry; a tie goes to the form shown first.
        names = sorted(self.forms, key=lambda n: (-self.forms[n], self.first_seen[n][0]))
        shown = self.first_seen[names[0]][1]
        slug = key.removeprefix("slug:") if key.startswith("slug:") else None
        return PersonEntry(
            key=key, slug=slug, ids=sorted(self.ids), name=shown["name"],
            display=shown["display"], family=shown["family"], given=shown["given"],
            kind=shown["kind"], aliases=names[1:],
            roles={role: len(self.roles[role]) for role in ROLES},
            document_count=len(self.record_ids),
            record_ids=sorted(self.record_ids, key=record_order),
            first_date=min(self.earliest, default=None),
            last_date=max(self.latest, default=None),
            **{name: details.get(name) for name in PAGE_FIELDS},
        )


def entry_order(entry: PersonEntry) -> tuple:
    """By display name (case-folded, then exact), then smallest term id (entries without one
    last), then key."""
    return (entry.display.casefold(), entry.display, not entry.ids, min(entry.ids, default=0),
            entry.key)


class PeopleIndex:
    """The people index built one document at a time, documents in Record ID order."""

    def __init__(self) -> None:
        self.tallies: dict[str, _Tally] = {}
        self.resolver = Resolver(person_name_key)

    def add(self, document: dict[str, Any]) -> None:
        for position, person in enumerate(document.get("people") or []):
            raw = self.resolver.add(person.get("slug"), person.get("id"), person["name"])
            self.tallies.setdefault(raw, _Tally()).add(person, document, position)

    def key_of(self, person: dict[str, Any]) -> str:
        """The key of the entry a person on a document (already added) belongs to."""
        return self.resolver.key_of(person.get("slug"), person.get("id"), person["name"])

    def entries(self, details: dict[str, dict[str, Any]] | None = None
                ) -> list[dict[str, Any]]:
        """The entries; `details` maps a slug to what its page says (PAGE_FIELDS)."""
        merged: dict[str, _Tally] = {}
        for raw, key in sorted(self.resolver.resolved().items()):
            merged.setdefault(key, _Tally()).merge(self.tallies[raw])
        details = details or {}
        entries = sorted((tally.entry(key, details.get(key.removeprefix("slug:"), {}))
                          for key, tally in merged.items()), key=entry_order)
        return [asdict(entry) for entry in entries]


def build_people_index(documents: Iterable[dict[str, Any]], ordered: bool = False
                       ) -> PeopleIndex:
    """The index of these documents; `ordered` says they come in Record ID order already (a
    published documents.jsonl), so they are read as a stream instead of being held to sort."""
    index = PeopleIndex()
    if not ordered:
        documents = sorted(documents, key=lambda d: record_order(d["record_id"]))
    for document in documents:
        index.add(document)
    return index


def people_index(documents: Iterable[dict[str, Any]], ordered: bool = False,
                 details: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """people.jsonl records for these documents, in a stable order."""
    return build_people_index(documents, ordered).entries(details)
