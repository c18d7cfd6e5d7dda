"""A day of changes to a synthetic archive: uploads (newest, at the top of every listing),
edits (some fields of a document, its page's mtime moves forward) and removals (page gone),
with the exact list of what changed.

Documents other pages link to (related documents, the teaser above a header) are never edited
or removed, so every page whose record does not change keeps its bytes and mtime.
"""

from random import Random

from harvester_testkit.synth import dates
from harvester_testkit.synth.build import (
    assign_slugs,
    link_documents,
    members_by_topic,
    new_document,
    sample_weighted,
    take_new_ids,
)
from harvester_testkit.synth.content import PARAGRAPHS, SUMMARIES, TITLES, words
from harvester_testkit.synth.expected import document_record
from harvester_testkit.synth.model import DAY, DocumentModel, SiteModel
from harvester_testkit.synth.people import PARTICIPANTS
from harvester_testkit.synth.variants import random_look
from harvester_testkit.synth.vocabulary import CLASSIFICATIONS, PLACES, SUBJECTS, TYPES


def mutate_site(site: SiteModel, add: int, change: int, remove: int,
                seed: int) -> list[dict]:
    """Apply the changes to `site` in place; return `{record_id, change, fields}` for each."""
    if min(add, change, remove) < 0:
        raise ValueError("--add, --change and --remove cannot be negative")
    rng = Random(f"harvester-synth/{site.seed}/mutate/{len(site.history)}/{seed}/{add}/"
                 f"{change}/{remove}")
    eligible = editable(site)
    if change + remove > len(eligible):
        raise ValueError(f"only {len(eligible)} documents can be changed or removed "
                         f"(--change {change} + --remove {remove} asked)")
    changes = [{"record_id": d.record_id, "change": "removed", "fields": []}
               for d in remove_documents(rng, site, eligible, remove)]
    for index, document in enumerate(rng.sample(eligible, change)):
        fields = edit_document(rng, site, document)
        document.modified = site.day + 12 * 3600 + index
        changes.append({"record_id": document.record_id, "change": "changed", "fields": fields})
    for document in add_documents(rng, site, add):
        changes.append({"record_id": document.record_id, "change": "added", "fields": []})
    site.day += DAY  # pages rebuilt now carry the end of this day
    site.history.append({"command": "mutate", "seed": seed, "add": add, "change": change,
                         "remove": remove})
    return sorted(changes, key=lambda c: int(c["record_id"]))


def editable(site: SiteModel) -> list[DocumentModel]:
    """Valid documents no other page links to, in a stable order."""
    linked = {r for d in site.documents for r in d.related} | {
        d.neighbour for d in site.documents if d.neighbour}
    return [d for d in sorted(site.documents, key=lambda d: int(d.record_id))
            if d.reject is None and d.record_id not in linked]


def remove_documents(rng: Random, site: SiteModel, eligible: list[DocumentModel],
                     count: int) -> list[DocumentModel]:
    """Remove `count` documents (taken out of `eligible`), never a topic's last one."""
    sizes = {t.slug: 0 for t in site.topics}
    for document in site.documents:
        for slug in document.topics:
            sizes[slug] += 1
    removed: list[DocumentModel] = []
    for document in rng.sample(eligible, len(eligible)):
        if len(removed) == count:
            break
        if all(sizes[slug] > 1 for slug in document.topics):
            for slug in document.topics:
                sizes[slug] -= 1
            removed.append(document)
    if len(removed) < count:
        raise ValueError(f"only {len(removed)} documents can be removed without emptying a topic")
    for document in removed:
        eligible.remove(document)
    gone = {id(d) for d in removed}
    site.documents = [d for d in site.documents if id(d) not in gone]
    return removed


def edit_document(rng: Random, site: SiteModel, document: DocumentModel) -> list[str]:
    """Change one or two fields; return the names of the record fields that changed."""
    topics = {t.slug: t for t in site.topics}
    by_id = site.by_id()
    before = document_record(document, by_id, topics)
    editors = [e for e in EDITORS if e is not edit_topics or len(document.topics) < min(
        3, len(site.topics))]
    if document.look.get("scan") == "pdf-only":  # its text is not on the page to change
        editors.remove(edit_text)
    for editor in rng.sample(editors, rng.choice((1, 1, 2))):
        editor(rng, document, site)
    after = document_record(document, by_id, topics)
    fields = [name for name in after if after[name] != before[name]]
    if not fields:
        raise AssertionError(f"editing {document.record_id} changed nothing")
    return fields


def _fill(rng: Random, document: DocumentModel) -> dict:
    a, b = rng.sample(PARTICIPANTS, 2)
    fill = words(rng, a, b)
    fill["day"] = dates.long_day(document.date)
    return fill


def edit_title(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    old = document.title
    while document.title == old:
        document.title = rng.choice(TITLES).format(**_fill(rng, document))
    document.look["title"] = "plain"


def edit_summary(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    old = list(document.summary)
    while document.summary == old:
        document.summary = [*old[:1], rng.choice(SUMMARIES).format(**_fill(rng, document))]
    document.look["summary"] = "two" if len(document.summary) == 2 else "one"


def edit_date(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    old = dates.expected(document.date)
    form = document.date["form"] if old is not None else "day"
    while dates.expected(document.date) == old:
        document.date = dates.random_date(rng, form)
    document.look["date"] = form


def edit_people(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    present = {key for key, _ in document.people}
    key = rng.choice([p.key for p in PARTICIPANTS if p.key not in present])
    document.people.append([key, "associated"])
    document.people.sort(key=lambda pair: ("author", "associated", "contributor").index(pair[1]))


def edit_places(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    document.places.append(rng.choice([p for p, _ in PLACES if p not in document.places]))
    document.look["places"] = "pills"


def edit_subjects(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    document.subjects.append(rng.choice([s for s in SUBJECTS if s not in document.subjects]))
    if document.look["subjects"] == "none":
        document.look["subjects"] = "names"


def edit_text(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    document.text.append({"p": rng.choice(PARAGRAPHS).format(**_fill(rng, document))})


def edit_type(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    document.type = rng.choice([t for t in TYPES if t != document.type])
    document.look["type"] = "shown"


def edit_classification(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    document.classification = rng.choice([c for c in CLASSIFICATIONS
                                          if c != document.classification])
    document.look["classification"] = "shown"


def edit_topics(rng: Random, document: DocumentModel, site: SiteModel) -> None:
    document.topics.append(rng.choice([t.slug for t in site.topics
                                       if t.slug not in document.topics]))


EDITORS = (edit_title, edit_summary, edit_date, edit_people, edit_places, edit_subjects,
           edit_text, edit_type, edit_classification, edit_topics)


def add_documents(rng: Random, site: SiteModel, count: int) -> list[DocumentModel]:
    """New uploads of the day, each with a new Record ID above every earlier one."""
    slugs = [t.slug for t in site.topics]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(slugs))]
    added = []
    for index in range(count):
        record_id, node_id = take_new_ids(site, rng)
        look = random_look(rng)  # never a rare page: those are made by `synth` only
        topics = sample_weighted(rng, slugs, weights, min(len(slugs), rng.randint(1, 3)))
        document = new_document(site, record_id, node_id, site.day + 9 * 3600 + index, look,
                                topics)
        added.append(document)
    members = members_by_topic(site)
    for document in added:
        link_documents(rng, members, document)
    site.documents.extend(added)
    assign_slugs(added, {d.slug for d in site.documents})
    return added
