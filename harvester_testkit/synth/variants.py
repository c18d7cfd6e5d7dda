"""How each document page is marked up: every variation the bundled fixtures exercise, as
independent dimensions. Every value of every dimension is given to at least one document
(when there are enough documents), the rest are drawn by weight."""

from random import Random

from harvester_testkit.synth.dates import FORMS

# dimension -> {value: weight}; the first value is the plain case.
DIMENSIONS: dict[str, dict[str, int]] = {
    "date": FORMS,
    "heading": {"h3": 85, "h4": 15},  # pill-block headings
    # "languages": the site's current tabs, a pane per kind (`#translation`, `#original`) with
    # a language level inside each (`#translation-english`, `#original-german`)
    "tabs": {"active-first": 60, "active-second": 8, "single": 12, "single-inactive": 10,
             "languages": 10},
    "text": {"plain": 70, "lines": 10, "list": 8, "footnote": 6, "spaces": 6},
    "authors": {"none": 60, "person": 25, "organization": 8, "same-as-associated": 7},
    "contributors": {"none": 92, "one": 8},
    # person pills link `/people/<slug>` (the site's own pages), else a faceted `people:<id>`
    # search, percent-encoded or (on the first pill) not
    "people-link": {"slug": 60, "encoded": 32, "unencoded": 8},
    "pill-extra": {"none": 80, "repeated": 5, "details": 5, "nfd": 5, "spaced": 5},
    "uninverted-name": {"none": 92, "shown": 8},  # `Kim Il Sung`: kind "unknown"
    "unlinked-pill": {"none": 94, "shown": 6},  # a person pill without a link: id null
    "places": {"pills": 92, "none": 8},
    "subjects": {"names": 75, "spans": 12, "none": 13},
    "languages": {"names": 80, "spans": 10, "two": 10},
    "archives": {"pills": 82, "text": 9, "none": 9},
    "classification": {"none": 60, "shown": 40},
    "donors": {"none": 82, "pills": 6, "semicolons": 6, "lines": 6},
    "credit": {"none": 80, "line": 12, "wrapped": 5, "linked": 3},  # linked: each donor a link
    "rights": {"plain": 85, "email": 10, "none": 5},
    "type": {"shown": 95, "none": 5},
    "uploaded": {"shown": 97, "none": 3},
    "summary": {"one": 75, "two": 17, "none": 8},
    "record-id": {"plain": 95, "padded": 5},
    "downloads": {"relative": 85, "absolute": 5, "twice": 5, "none": 5},
    # where the node id is: settings JSON, else the shortlink, else the download link (if any)
    "node-id": {"settings": 92, "shortlink": 5, "download": 3},
    "title": {"plain": 86, "spaced": 5, "entities": 5, "gloss": 4},
    "related": {"none": 80, "some": 20},
    # a PDF-only document: no text, the scan shown as `object.pdf-preview` in the tab
    "scan": {"text": 95, "pdf-only": 5},
    "neighbour": {"none": 94, "h2": 3, "h3": 3},
}


def draw(rng: Random, dimension: str) -> str:
    weights = DIMENSIONS[dimension]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def random_look(rng: Random) -> dict[str, str]:
    look = {name: draw(rng, name) for name in DIMENSIONS}
    look["info-order"] = rng.sample(range(len(INFO_BLOCKS)), len(INFO_BLOCKS))
    return look


def assign_looks(rng: Random, count: int, avoid: set[int]) -> list[dict]:
    """Looks for `count` documents; each value of each dimension goes to at least one document
    not in `avoid` (the rare pages) when there are enough documents."""
    looks = [random_look(rng) for _ in range(count)]
    for name, weights in DIMENSIONS.items():
        order = [i for i in rng.sample(range(count), count) if i not in avoid]
        for index, value in zip(order, weights, strict=False):
            looks[index][name] = value
    return looks


# Labels of the Document Information blocks; a look's "info-order" permutes them.
INFO_BLOCKS = ("Source", "Original Archive", "Rights", "Original Uploaded Date", "Type",
               "Language", "Record ID", "Original Classification", "Donors")
