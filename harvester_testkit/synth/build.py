"""A whole synthetic archive from a seed: topics, documents with upload times, ids, topic
memberships, cross-references, and the rare pages (broken, reached by old URLs, same title)."""

import calendar
from datetime import UTC, datetime
from random import Random

from slugify import slugify

from harvester_testkit.synth.content import content
from harvester_testkit.synth.model import DAY, DocumentModel, SiteModel, TopicModel
from harvester_testkit.synth.people import ORGANIZATIONS, PARTICIPANTS, UNINVERTED
from harvester_testkit.synth.variants import assign_looks
from harvester_testkit.synth.vocabulary import PLACES, SUBJECTS, TOPIC_DESCRIPTION, TOPICS

FIRST_UPLOAD = calendar.timegm((2011, 1, 1, 0, 0, 0))
LAST_UPLOAD = calendar.timegm((2025, 9, 30, 0, 0, 0))
NEW_SITE = calendar.timegm((2023, 3, 1, 0, 0, 0))  # uploads from here get ids from 300000
OLD_IDS, NEW_IDS = 100000, 300000
# Drupal pathauto's default stop words; aliases are cut near 90 characters.
STOP_WORDS = ("a", "an", "as", "at", "before", "but", "by", "for", "from", "is", "in", "into",
              "like", "of", "off", "on", "onto", "per", "since", "than", "the", "this", "that",
              "to", "up", "via", "with")
QUOTES = [["’", ""], ["'", ""], ["‘", ""]]
TOPICS_PER_DOCUMENT = {1: 50, 2: 35, 3: 15}


def document_rng(seed: int, record_id: str) -> Random:
    """Each document's content has its own stream, so adding one never reshuffles the rest."""
    return Random(f"harvester-synth/{seed}/document/{record_id}")


def build_site(documents: int, topics: int, seed: int) -> SiteModel:
    if documents < 1 or topics < 1:
        raise ValueError("--documents and --topics must be at least 1")
    if topics > documents:
        raise ValueError("--topics cannot exceed --documents: every topic needs a document")
    rng = Random(f"harvester-synth/{seed}/{documents}/{topics}")
    site_topics = make_topics(rng, topics)
    uploads = sorted(rng.sample(range(FIRST_UPLOAD, LAST_UPLOAD), documents))
    roles = pick_roles(rng, uploads)
    looks = assign_looks(rng, documents, avoid=set(roles))
    for index, (key, value) in roles.items():
        looks[index][key] = value
    site = SiteModel(seed=seed, day=(uploads[-1] // DAY + 1) * DAY, next_record_id=NEW_IDS,
                     next_node_id=19000, topics=site_topics, documents=[])
    old_id = OLD_IDS
    for created, look in zip(uploads, looks, strict=True):
        if created < NEW_SITE:  # migrated from the old site: kept its numeric id
            old_id += rng.randint(1, 3)
            record_id, node = str(old_id), site.next_node_id
            site.next_node_id += rng.randint(1, 2)
        else:
            record_id, node = take_new_ids(site, rng)
        site.documents.append(new_document(site, record_id, node, created, look, []))
    assign_topics(rng, site)
    name_everyone(rng, site.documents)
    members = members_by_topic(site)
    for document in site.documents:
        link_documents(rng, members, document)
    copy_titles(rng, site.documents)
    assign_slugs(site.documents)
    return site


def take_new_ids(site: SiteModel, rng: Random) -> tuple[str, int]:
    """Record and node ids for an upload on the new site: above every id given so far."""
    record_id, node = site.next_record_id, site.next_node_id
    site.next_record_id += rng.randint(1, 4)
    site.next_node_id += rng.randint(1, 3)
    return str(record_id), node


def new_document(site: SiteModel, record_id: str, node_id: int, created: int, look: dict,
                 topics: list[str]) -> DocumentModel:
    fields = content(document_rng(site.seed, record_id), look)
    return DocumentModel(record_id=record_id, node_id=node_id, slug="", created=created,
                         modified=created, topics=topics, look=look, **fields)


def make_topics(rng: Random, count: int) -> list[TopicModel]:
    topics = []
    for slug, title, tid, description in TOPICS[:count]:
        topics.append(TopicModel(slug, title, tid, description or topic_description(rng, title),
                                 "Portrait of North Korean leader Kim Il Sung" if tid == 86466
                                 else f"Illustration for the collection {title}"))
    taken = {t.slug for t in topics}
    next_tid = 87000
    while len(topics) < count:
        place = rng.choice(PLACES)[0]
        subject = rng.choice(SUBJECTS)
        title = f"{place} and {subject.split('--')[0]}"
        slug = alias(title)
        if slug in taken:
            title, slug = f"{title} ({len(topics)})", f"{slug}-{len(topics)}"
        taken.add(slug)
        topics.append(TopicModel(slug, title, next_tid, topic_description(rng, title),
                                 f"Illustration for the collection {title}"))
        next_tid += rng.randint(1, 5)
    return topics


def topic_description(rng: Random, title: str) -> str:
    places = [p for p, _ in rng.sample(PLACES, 2)]
    return TOPIC_DESCRIPTION.format(subject=title, places=" and ".join(places))


def pick_roles(rng: Random, uploads: list[int]) -> dict[int, tuple[str, str]]:
    """The rare pages, by upload index: no title and no Record ID (rejects), rows that link
    the old numeric URL, titles shared with an earlier document (slug `-0`)."""
    count = len(uploads)
    roles = []
    if count >= 20:
        roles += [("reject", "title")] * max(1, count // 500)
        roles += [("reject", "record_id")] * max(1, count // 1000)
    if count >= 10:
        roles += [("listed-as", "old-url")] * max(1, count // 100)
        roles += [("same-title", "earlier")] * max(1, count // 200)
    pools = {"reject": range(count), "same-title": range(1, count),
             "listed-as": [i for i, created in enumerate(uploads) if created < NEW_SITE]}
    chosen: dict[int, tuple[str, str]] = {}
    for key, value in roles:
        free = [i for i in pools[key] if i not in chosen]
        if free:
            chosen[rng.choice(free)] = (key, value)
    return chosen


def name_everyone(rng: Random, documents: list[DocumentModel]) -> None:
    """Name each person and organisation of the pool on some valid page, so the ground-truth
    check covers every hand-written Person object (when there are enough documents)."""
    valid = [d for d in documents if "reject" not in d.look]
    named = {key for d in valid for key, _ in d.people}
    for person in (*PARTICIPANTS, *ORGANIZATIONS, *UNINVERTED):
        hosts = [d for d in valid if len(d.people) < 6]
        if person.key not in named and hosts:
            host = rng.choice(hosts)
            position = max((i + 1 for i, (_, role) in enumerate(host.people)
                            if role != "contributor"), default=0)
            host.people.insert(position, [person.key, "associated"])


def assign_topics(rng: Random, site: SiteModel) -> None:
    """1-3 topics per document, popular topics more often; every topic gets a document, and the
    first topic (the fixtures') gets one of each rare page."""
    slugs = [t.slug for t in site.topics]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(slugs))]
    documents = site.documents
    for document in documents:
        wanted = min(len(slugs), rng.choices(list(TOPICS_PER_DOCUMENT),
                                             list(TOPICS_PER_DOCUMENT.values()))[0])
        document.topics = sample_weighted(rng, slugs, weights, wanted)
    seeded = rng.sample(range(len(documents)), len(slugs))
    for slug, index in zip(slugs, seeded, strict=True):
        ensure_member(documents[index], slug)
    for document in documents:
        if set(document.look) & {"reject", "listed-as", "same-title"}:
            ensure_member(document, slugs[0])


def ensure_member(document: DocumentModel, slug: str) -> None:
    if slug not in document.topics:
        document.topics = [slug, *document.topics[:2]]


def sample_weighted(rng: Random, items: list[str], weights: list[float], count: int) -> list:
    chosen: list[str] = []
    while len(chosen) < count:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def can_be_linked(document: DocumentModel) -> bool:
    """Other pages link this document by its slug (not a broken page, not an old-URL one)."""
    return "reject" not in document.look and "listed-as" not in document.look


def members_by_topic(site: SiteModel) -> dict[str, list[DocumentModel]]:
    """Each topic's documents that others may link to, newest first."""
    linkable = [d for d in site.newest_first() if can_be_linked(d)]
    return {t.slug: [d for d in linkable if t.slug in d.topics] for t in site.topics}


def link_documents(rng: Random, members: dict[str, list[DocumentModel]],
                   document: DocumentModel) -> None:
    """Related documents and the neighbour teaser above the header, from its first topic."""
    peers = members[document.topics[0]]
    if not peers:
        document.look["related"] = document.look["neighbour"] = "none"
        return
    if document.look["related"] == "some":
        wanted = rng.randint(1, 3)
        chosen: dict[str, None] = {}
        for _ in range(wanted * 4):  # a few draws, never a scan of a large topic
            peer = rng.choice(peers)
            if peer is not document and len(chosen) < wanted:
                chosen.setdefault(peer.record_id, None)
        document.related = list(chosen)
        if not chosen:
            document.look["related"] = "none"
    if document.look["neighbour"] != "none":
        earlier = next((d for d in peers if d.created < document.created), None)
        if earlier is None:
            document.look["neighbour"] = "none"
        else:
            document.neighbour = earlier.record_id


def copy_titles(rng: Random, documents: list[DocumentModel]) -> None:
    """Give each `same-title` document the title of an earlier one (pathauto adds `-0`)."""
    for index, document in enumerate(documents):
        if document.look.get("same-title"):
            earlier = [d for d in documents[:index] if "reject" not in d.look]
            if earlier:
                document.title = rng.choice(earlier).title


def assign_slugs(documents: list[DocumentModel], taken: set[str] | None = None) -> None:
    """Pathauto-style aliases in upload order; a clash gets `-0`, then `-1`, ..."""
    taken = set() if taken is None else taken
    for document in sorted(documents, key=lambda d: (d.created, int(d.record_id))):
        if document.slug:
            taken.add(document.slug)
            continue
        base = alias(document.title)
        slug, suffix = base, 0
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(slug)
        document.slug = slug


def alias(title: str, limit: int = 90) -> str:
    """Lower case, transliterated, stop words dropped, cut at the last word that fits."""
    slug = slugify(title, stopwords=STOP_WORDS, replacements=QUOTES)
    return slug if len(slug) <= limit else slug[:limit + 1].rsplit("-", 1)[0]


def upload_day(created: int) -> str:
    return datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%d")
