"""One entry per person, place or subject, however the documents name it.

A pill on a document names its person (or place, or subject) in one of three ways: a link to
the site's own page (`/people/<slug>`, `/places/<slug>`), a link to a faceted search on a term
id, or no link at all. Each way gives a raw key, `slug:<slug>`, `id:<term id>` or
`name:<normalised name>`; this module groups raw keys into entries:

- every slug is one entry (two slugs are two entries, even for one name: the site gives
  `kim-il-sung` and `kim-il-sung-0` to two people it keeps apart);
- a term id or an unlinked name joins the slug entry whose names it shares, when exactly one
  slug entry has that name (with two, nothing says which: it stays an entry of its own);
- term ids and unlinked names that share a name with no slug entry are one entry, keyed by the
  smallest term id, else by the name.

Names are compared by `name_key` (accents, case and punctuation folded), never by guessing
word order.
"""

from collections.abc import Callable, Iterable

RawKey = str


def raw_key(slug: str | None, term_id: int | None, normalised: str) -> RawKey:
    """How one pill identifies what it names: its slug, else its term id, else its name."""
    if slug:
        return f"slug:{slug}"
    if term_id is not None:
        return f"id:{term_id}"
    return f"name:{normalised}"


class Groups:
    """Union-find over raw keys, each group's key chosen by `entry_key`."""

    def __init__(self) -> None:
        self.parent: dict[RawKey, RawKey] = {}

    def find(self, key: RawKey) -> RawKey:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, first: RawKey, second: RawKey) -> None:
        self.parent[self.find(first)] = self.find(second)

    def members(self) -> dict[RawKey, list[RawKey]]:
        found: dict[RawKey, list[RawKey]] = {}
        for key in self.parent:
            found.setdefault(self.find(key), []).append(key)
        return found


def entry_key(members: Iterable[RawKey]) -> RawKey:
    """A group's key: its slug, else its smallest term id, else its name."""
    members = sorted(members)
    slugs = [key for key in members if key.startswith("slug:")]
    if slugs:
        return slugs[0]
    ids = sorted((key for key in members if key.startswith("id:")),
                 key=lambda key: int(key.removeprefix("id:")))
    return ids[0] if ids else members[0]


def resolve(names: dict[RawKey, set[str]]) -> dict[RawKey, RawKey]:
    """Raw key -> entry key, given the normalised names each raw key was shown with."""
    anchors: dict[str, set[RawKey]] = {}
    for key, keys_names in names.items():
        if key.startswith("slug:"):
            for name in keys_names:
                anchors.setdefault(name, set()).add(key)
    groups = Groups()
    by_name: dict[str, RawKey] = {}
    for key, keys_names in sorted(names.items()):
        groups.find(key)
        if key.startswith("slug:"):
            continue
        candidates = set().union(*(anchors.get(name, set()) for name in keys_names))
        if len(candidates) == 1:
            groups.join(key, candidates.pop())
        elif not candidates:
            for name in sorted(keys_names):
                groups.join(key, by_name.setdefault(name, key))
    resolved: dict[RawKey, RawKey] = {}
    for members in groups.members().values():
        chosen = entry_key(members)
        resolved.update(dict.fromkeys(members, chosen))
    return resolved


class Resolver:
    """Raw keys gathered from the documents, then resolved once into entry keys."""

    def __init__(self, normalise: Callable[[str], str]) -> None:
        self.normalise = normalise
        self.names: dict[RawKey, set[str]] = {}
        self._resolved: dict[RawKey, RawKey] | None = None

    def add(self, slug: str | None, term_id: int | None, name: str) -> RawKey:
        normalised = self.normalise(name)
        key = raw_key(slug, term_id, normalised)
        self.names.setdefault(key, set()).add(normalised)
        self._resolved = None
        return key

    def resolved(self) -> dict[RawKey, RawKey]:
        if self._resolved is None:
            self._resolved = resolve(self.names)
        return self._resolved

    def key_of(self, slug: str | None, term_id: int | None, name: str) -> RawKey:
        """The entry key of a pill already added."""
        return self.resolved()[raw_key(slug, term_id, self.normalise(name))]
