"""The people index: one entry per distinct person or organisation named on the documents.

An entry is keyed by the slug of the person's page when the pill links to `/people/<slug>`
(`slug:kim-il-sung`), else by the archive's term id when it links a faceted search
(`id:40011`), else by the name as shown (`name:Romanian Communist Party. Central Committee`).
Nothing is merged on a guess: the same name under a slug, under a term id and unlinked gives three
entries, since no page says they are one.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from harvester.assemble import record_order

ROLES = ("author", "associated", "contributor")


def person_key(person: dict[str, Any]) -> str:
    """The people index key a person object on a document refers to."""
    if person.get("slug"):
        return f"slug:{person['slug']}"
    if person.get("id") is not None:
        return f"id:{person['id']}"
    return f"name:{person['name']}"


@dataclass
class PersonEntry:
    """One line of people.jsonl; field order here is the key order written."""

    key: str
    id: int | None
    slug: str | None
    name: str
    display: str
    family: str | None
    given: str | None
    kind: str
    names: list[str]
    roles: dict[str, int]
    document_count: int
    record_ids: list[str]
    first_date: str | None
    last_date: str | None


@dataclass
class _Tally:
    """What the documents say about one key, gathered in Record ID order."""

    forms: Counter = field(default_factory=Counter)
    first_form: dict[str, dict[str, Any]] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=lambda: {role: set() for role in ROLES})
    record_ids: set[str] = field(default_factory=set)
    earliest: list[str] = field(default_factory=list)
    latest: list[str] = field(default_factory=list)

    def add(self, person: dict[str, Any], document: dict[str, Any]) -> None:
        record_id = document["record_id"]
        name = person["name"]
        self.forms[name] += 1
        self.first_form.setdefault(name, person)
        self.roles[person["role"]].add(record_id)
        if record_id in self.record_ids:
            return
        self.record_ids.add(record_id)
        date = document.get("date") or {}
        if date.get("earliest"):
            self.earliest.append(date["earliest"])
        if date.get("latest"):
            self.latest.append(date["latest"])

    def entry(self, key: str) -> PersonEntry:
        # The most often shown form names the entry; a tie goes to the form met first.
        order = list(self.first_form)
        names = sorted(self.forms, key=lambda n: (-self.forms[n], order.index(n)))
        shown = self.first_form[names[0]]
        return PersonEntry(
            key=key, id=shown.get("id"), slug=shown.get("slug"), name=shown["name"],
            display=shown["display"],
            family=shown["family"], given=shown["given"], kind=shown["kind"], names=names,
            roles={role: len(self.roles[role]) for role in ROLES},
            document_count=len(self.record_ids),
            record_ids=sorted(self.record_ids, key=record_order),
            first_date=min(self.earliest, default=None),
            last_date=max(self.latest, default=None),
        )


def entry_order(entry: PersonEntry) -> tuple:
    """By display name (case-folded, then exact), then term id (entries without one last), then
    key."""
    return (entry.display.casefold(), entry.display, entry.id is None, entry.id or 0, entry.key)


class PeopleIndex:
    """The people index built one document at a time, documents in Record ID order."""

    def __init__(self) -> None:
        self.tallies: dict[str, _Tally] = {}

    def add(self, document: dict[str, Any]) -> None:
        for person in document.get("people") or []:
            self.tallies.setdefault(person_key(person), _Tally()).add(person, document)

    def entries(self) -> list[dict[str, Any]]:
        entries = sorted((tally.entry(key) for key, tally in self.tallies.items()),
                         key=entry_order)
        return [asdict(entry) for entry in entries]


def people_index(documents: Iterable[dict[str, Any]],
                 ordered: bool = False) -> list[dict[str, Any]]:
    """people.jsonl records for these documents, in a stable order. `ordered` says they come
    in Record ID order already (a published documents.jsonl), so they are read as a stream
    instead of being held to sort them."""
    index = PeopleIndex()
    if not ordered:
        documents = sorted(documents, key=lambda d: record_order(d["record_id"]))
    for document in documents:
        index.add(document)
    return index.entries()
