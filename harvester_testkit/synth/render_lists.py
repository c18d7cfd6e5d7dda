"""Listing pages (`/search`, each topic's faceted `/search?f[0]=topics:<tid>`), topic pages and
the topic index: newest upload first, 10 a page, a Drupal pager with relative links."""

from collections import Counter
from collections.abc import Iterator
from urllib.parse import quote, urlencode

from markupsafe import Markup

from harvester_testkit.synth import dates
from harvester_testkit.synth.expected import PUBLIC_BASE, listed_url, popular
from harvester_testkit.synth.markup import facet_href, settings_json
from harvester_testkit.synth.model import DocumentModel, SiteModel, TopicModel
from harvester_testkit.synth.people import PEOPLE
from harvester_testkit.synth.render_document import PLACE_IDS
from harvester_testkit.synth.templates import render

PAGE_SIZE = 10
PAGER_WINDOW = 4  # pages either side of the current one


def query(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, quote_via=quote, safe="")


def page_target(base: list[tuple[str, str]], page: int) -> str:
    """`/search?<base>&page=N`; the first page has no `page` parameter."""
    pairs = base + ([("page", str(page))] if page else [])
    return "/search" + (f"?{query(pairs)}" if pairs else "")


def pager(base: list[tuple[str, str]], page: int, pages: int) -> list[dict]:
    """Drupal's pager links: relative `?...` hrefs; first-page links drop `page` (and, having
    nothing left, are `/search` on the unfiltered list); on some faceted pages "previous" is a
    bare `?page=N`, which keeps the list's facets."""
    if pages <= 1:
        return []

    def href(number: int) -> str:
        target = page_target(base, number)
        return target.removeprefix("/search") if "?" in target else target

    def link(kind: str, number: int, label: str, title: str, rel: str | None = None) -> dict:
        return {"kind": kind, "href": href(number), "label": Markup(label), "title": title,
                "rel": rel, "current": False}

    def arrow(kind: str, number: int, words: str, sign: str, rel: str | None = None) -> dict:
        label = (f'<span class="visually-hidden">{words} page</span>'
                 f'<span aria-hidden="true">{sign}</span>')
        return link(kind, number, label, f"Go to {words.lower()} page", rel)

    links = []
    if page > 0:
        links.append(arrow("first", 0, "First", "« First"))
        previous = arrow("previous", page - 1, "Previous", "‹ Previous", "prev")
        if base and page >= 2 and page % 2 == 0:
            previous["href"] = f"?page={page - 1}"
        links.append(previous)
    for number in range(max(0, page - PAGER_WINDOW), min(pages, page + PAGER_WINDOW + 1)):
        current = number == page
        words = "Current page" if current else "Page"
        item = link("", number, f'<span class="visually-hidden">{words}</span>{number + 1}',
                    "Current page" if current else f"Go to page {number + 1}")
        item["current"] = current
        links.append(item)
    if page < pages - 1:
        links.append(arrow("next", page + 1, "Next", "Next ›", "next"))
        links.append(arrow("last", pages - 1, "Last", "Last »"))
    return links


def row(document: DocumentModel) -> dict:
    return {"date": dates.shown(document.date) or "",
            "href": listed_url(document).removeprefix(PUBLIC_BASE), "title": document.title,
            "summary": document.summary[0] if document.summary else None}


def facet_items(counts: Counter, names: dict, href, shown: int = 2) -> list[dict]:
    return [{"href": href(value), "active": False, "value": value, "count": count,
             "name": names[value]} for value, count in counts.most_common(shown)]


def sidebar(site: SiteModel, documents: list[DocumentModel], topic: TopicModel | None) -> list:
    """Facet blocks: links a topic crawler must not take for the topic's document list."""
    people = Counter(PEOPLE[k].id for d in documents for k, r in d.people
                     if r == "associated" and PEOPLE[k].id is not None)
    places = Counter(PLACE_IDS[p] for d in documents for p in d.places)
    person_names = {p.id: p.name for p in PEOPLE.values()}
    place_names = {v: k for k, v in PLACE_IDS.items()}

    def within(facet: str):
        if topic is None:
            return lambda value: facet_href(facet, value)
        return lambda value: (f"/search?f%5B0%5D=topics%3A{topic.tid}&f%5B1%5D={facet}%3A"
                              f"{value}&fo%5B0%5D={topic.tid}")

    if topic is None:
        sizes = Counter({t.tid: sum(t.slug in d.topics for d in documents) for t in site.topics})
        topics = facet_items(sizes, {t.tid: t.title for t in site.topics}, within("topics"), 3)
    else:
        topics = [{"href": "/search", "active": True, "value": topic.tid,
                   "count": len(documents), "name": topic.title}]
    return [
        {"css": "topics", "id": "topics", "title": "Topics", "active": topic is not None,
         "items": topics},
        {"css": "people", "id": "people", "title": "People & Organizations", "active": False,
         "items": facet_items(people, person_names, within("people"))},
        {"css": "places", "id": "places", "title": "Places", "active": False,
         "items": facet_items(places, place_names, within("places"))},
    ]


def listing_pages(site: SiteModel, documents: list[DocumentModel],
                  topic: TopicModel | None) -> Iterator[tuple[str, bytes]]:
    """(request target, page) for every page of one list; `documents` newest first."""
    base = [] if topic is None else [("f[0]", f"topics:{topic.tid}"), ("fo[0]", str(topic.tid))]
    hidden = base
    facets = sidebar(site, documents, topic)
    pages = max(1, -(-len(documents) // PAGE_SIZE))
    for page in range(pages):
        target = page_target(base, page)
        shown = documents[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        yield target, render(
            "listing", canonical=PUBLIC_BASE + target, shortlink=None,
            settings=settings_json("search"), description=None, og_type="website",
            og_title="Search", head_title="Search", body_class="path-search page-view-search",
            facets=facets, hidden=hidden, first=page * PAGE_SIZE + 1,
            last=page * PAGE_SIZE + len(shown), total=len(documents),
            rows=[row(d) for d in shown], links=pager(base, page, pages))


def topic_page(topic: TopicModel, members: list[DocumentModel]) -> tuple[str, bytes]:
    entries = [{"date": dates.shown(d.date) or "", "href": f"/document/{d.slug}",
                "title": d.title, "summary": d.summary} for d in popular(topic, members)]
    target = f"/topics/{topic.slug}"
    return target, render(
        "topic", canonical=PUBLIC_BASE + target, shortlink=f"{PUBLIC_BASE}/taxonomy/term/"
        f"{topic.tid}", settings=settings_json(f"taxonomy/term/{topic.tid}"),
        description=topic.description, og_type="website", og_title=topic.title,
        head_title=topic.title, body_class="path-taxonomy page-taxonomy-term "
        "page-vocabulary-topics", slug=topic.slug, title=topic.title,
        image_alt=topic.image_alt, popular=entries,
        listing=facet_href("topics", topic.tid))


def topic_index(site: SiteModel) -> tuple[str, bytes]:
    topics = sorted(site.topics, key=lambda t: (t.title.casefold(), t.slug))
    return "/topics", render(
        "topic_index", canonical=f"{PUBLIC_BASE}/topics", shortlink=None,
        settings=settings_json("topics"), description=None, og_type="website",
        og_title="Topics", head_title="Topics", body_class="path-topics page-view-topics",
        topics=topics)
