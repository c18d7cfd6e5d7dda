"""The copy of the bundled mirror the `--people-pages` tests crawl: people's pages added under
`people/` (the fixture pages, and one without a name), who its documents link, and what
people.jsonl must then hold."""

import shutil
from pathlib import Path

from tests.helpers.pages import SITE, expected_for, load_json, read_jsonl, variant_pages

# The four fixture pages (fixtures/pages/people/), by slug: their hand-checked values.
READ = {page.stem: load_json(expected_for(page)) for page in variant_pages("people")}
# A page the copy serves without an h1: nothing to read.
NAMELESS = "honecker-erich"
# The other people the mirror's documents link by slug: no page, so 404.
MISSING = ["aksenov-aleksandr-nikiforovich", "bialek-mieczyslaw", "jaruzelski-wojciech",
           "korea-north-embassy-soviet-union", "novotny-antonin", "olszowski-stefan",
           "poland-ministry-foreign-affairs", "puzanov-aleksandr-mikhailovich",
           "shtykov-terentii-fomich", "zakharov-matvei-vasilevich"]
LINKED = sorted([*READ, NAMELESS, *MISSING])


def people_site(folder: Path) -> Path:
    """A copy of the bundled mirror with the fixture people pages and one nameless page, in
    `folder/site`."""
    root = Path(shutil.copytree(SITE, folder / "site"))
    (root / "people").mkdir()
    for page in variant_pages("people"):
        shutil.copy(page, root / "people" / page.name)
    (root / "people" / f"{NAMELESS}.html").write_text(
        "<html><body><main><p>Honecker, Erich</p></main></body></html>", "utf-8")
    return root


def page_fields(run: Path) -> dict[str, tuple]:
    """key -> (life_dates, description) of every people entry."""
    return {e["key"]: (e["life_dates"], e["description"])
            for e in read_jsonl(run / "people.jsonl")}


def filled(slugs=READ) -> dict[str, tuple]:
    """What the entries of the people whose page was read must hold: the pages' own values."""
    return {f"slug:{slug}": (READ[slug]["life_dates"], READ[slug]["description"])
            for slug in slugs}
