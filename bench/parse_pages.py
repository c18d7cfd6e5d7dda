"""Prints what reading a page costs next to a bare `lxml.html` parse of the same bytes.

For the mirror's pages, the real-shaped variants (fixtures/pages/: about 60 KB, most of it
header mega-menus and footer) and one older-shape page put inside chrome of the same size: the
bare parse, then the page object from a fresh response (as a crawl gets it: decoding, parse,
every field), the two in turns, best of several passes, and their ratio. Run by hand
(`python bench/parse_pages.py [ROUNDS]`); compare the ratios of one run, since the machines are
shared.
"""

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html
from scrapy.http import HtmlResponse

from harvester.mirror.bundled import BUNDLED_MIRROR
from harvester.pages.document import DocumentPage, MissingField
from harvester.pages.listing import ListingPage
from harvester.pages.topic import TopicPage
from harvester.site_urls import ARCHIVE_URL

ROOT = Path(__file__).resolve().parent.parent
SITE = BUNDLED_MIRROR
REAL = ROOT / "fixtures" / "pages"  # pages in the real site's shape, chrome and all
BASE = ARCHIVE_URL
PASSES = 15
# A page in the mirror's older shape whose Related Documents, footnote and tabs make its
# document area a full one: put inside chrome of the real site's size, it is a fourth shape.
REAL_SHAPED_FROM = "ciphered-telegram-no-405840-shtykov-feng-xi-stalin"

Page = tuple[bytes, str]


def url_of(path: Path, root: Path = SITE) -> str:
    relative = path.relative_to(root).as_posix().removesuffix(".html")
    page, _, query = relative.partition("@")
    return f"{BASE}/{page}" + (f"?{query}" if query else "")


# -- the real-shaped page ----------------------------------------------------------------------
_PEOPLE = ["Kim, Il Sung", "Mao, Zedong", "Stalin, Joseph", "Zhou, Enlai", "Castro, Fidel",
           "Tito, Josip Broz", "Khrushchev, Nikita Sergeevich", "Nehru, Jawaharlal"]
_PLACES = ["Korea (North)", "China", "Russia (Federation)", "Cuba", "Yugoslavia", "India",
           "Germany (East)", "Poland"]
_TOPICS = ["Korean War", "Cold War History", "Nuclear History", "Sino-Soviet Relations",
           "Cuban Missile Crisis", "Conversations with Kim Il Sung", "Vietnam War", "Détente"]


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _card(kind: str, name: str, number: int, extra: str) -> str:
    slug = f"{_slug(name)}-{number}"
    return (f'<div class="col-6 col-lg-3"><div class="card card--{kind}"><a class="card__image" '
            f'href="/{kind}/{slug}"><picture><source type="image/webp" srcset="/i/{slug}.webp">'
            f'<img loading="lazy" alt="{name}" src="/i/{slug}.jpg"></picture></a>'
            f'<div class="card-body"><h3 class="card-title"><a href="/{kind}/{slug}"><span>'
            f'{name}</span></a></h3><p class="card-text"><span class="card__meta">{extra}'
            f'</span></p></div><div class="card-footer"><a class="btn btn-sm" href="/{kind}/'
            f'{slug}"><span class="btn__label">View</span><i class="icon icon-arrow"></i></a>'
            f'</div></div></div>')


def _mega_menu(kind: str, label: str, names: list[str], count: int, extra) -> str:
    cards = "".join(_card(kind, names[i % len(names)], i, extra(i)) for i in range(count))
    links = "".join(f'<li class="mega-menu__item"><a href="/{kind}/{_slug(names[i % len(names)])}'
                    f'-{i}">{names[i % len(names)]}</a></li>' for i in range(count))
    return (f'<li class="nav-item dropdown mega-menu"><a class="nav-link dropdown-toggle" '
            f'href="/{kind}" role="button">{label}</a><div class="mega-menu__panel dropdown-menu">'
            f'<div class="container"><h2 class="mega-menu__heading">Featured {label}</h2>'
            f'<div class="row">{cards}</div><ul class="mega-menu__list">{links}</ul>'
            f'<a class="btn btn-primary" href="/{kind}">See All {label}</a></div></div></li>')


def chrome() -> tuple[str, str, str]:
    """(header, footer, scripts) as the notes describe the real pages' chrome."""
    menus = "".join((
        _mega_menu("people", "People", _PEOPLE, 22, lambda i: f"({1880 + i}-{1950 + i})"),
        _mega_menu("places", "Places", _PLACES, 22, lambda i: "East Asia"),
        _mega_menu("topics", "Topics", _TOPICS, 22, lambda i: f"({100 + 7 * i})"),
    ))
    header = (f'<header class="site-header"><nav class="navbar navbar-expand-lg">'
              f'<a class="navbar-brand" href="/">Wilson Center Digital Archive</a>'
              f'<ul class="navbar-nav">{menus}<li class="nav-item"><a class="nav-link" '
              f'href="/search">Search</a></li></ul></nav></header>')
    columns = "".join(
        f'<div class="footer__column"><h3 class="footer__heading">{title}</h3><ul>'
        + "".join(f'<li><a href="/{title.lower()}/{_slug(n)}">{n}</a></li>' for n in names)
        + "</ul></div>" for title, names in (("People", _PEOPLE), ("Places", _PLACES),
                                              ("Topics", _TOPICS)))
    footer = (f'<footer class="site-footer footer"><div class="container"><h2>About the '
              f'Digital Archive</h2><p>A project of the History and Public Policy Program.</p>'
              f'{columns}<nav class="footer__menu"><a href="/about">About</a> <a href="/terms">'
              f'Terms of Use</a></nav></div></footer>')
    scripts = ('<div id="cookie-banner" class="cookie-banner"><p>This site uses cookies.</p>'
               '<button class="btn">Accept</button></div>'
               + "".join(f'<script>window.dataLayer=window.dataLayer||[];dataLayer.push('
                         f'{{"event":"load{i}","page":"document"}});</script>' for i in range(6)))
    return header, footer, scripts


def real_shaped(document: Path) -> bytes:
    """A saved document page with its small header and footer swapped for real-sized ones."""
    tree = lxml_html.fromstring(document.read_bytes())
    header, footer, scripts = chrome()
    for tag, markup in (("header", header), ("footer", footer)):
        old = tree.find(f".//{tag}")
        old.addnext(lxml_html.fragment_fromstring(markup))
        old.getparent().remove(old)
    body = tree.find("body")
    for element in lxml_html.fragments_fromstring(scripts):
        body.append(element)
    return lxml_html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


# -- timing ------------------------------------------------------------------------------------
def best_of(functions: list[Callable[[bytes, str], object]], pages: list[Page],
            rounds: int) -> list[float]:
    """Milliseconds per page for each function: the best of PASSES passes of `rounds` rounds,
    the functions taking turns within each pass so that a busy spell hits them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(PASSES):
        for slot, function in enumerate(functions):
            start = time.perf_counter()
            for _ in range(rounds):
                for body, url in pages:
                    function(body, url)
            best[slot] = min(best[slot], (time.perf_counter() - start) / (rounds * len(pages)))
    return [b * 1000 for b in best]


def bare(body: bytes, url: str) -> None:
    lxml_html.fromstring(body)


def document_record(body: bytes, url: str) -> None:
    with contextlib.suppress(MissingField):
        DocumentPage.from_response(HtmlResponse(url=url, body=body)).record()


def topic_fields(body: bytes, url: str) -> None:
    page = TopicPage.from_response(HtmlResponse(url=url, body=body))
    (page.title(), page.description(), page.topic_id(), page.popular(), page.listing_urls(),
     page.document_urls())


def listing_fields(body: bytes, url: str) -> None:
    page = ListingPage.from_response(HtmlResponse(url=url, body=body))
    page.total(), page.document_urls(), page.entries(), page.pager_urls()


def report(name: str, reader, pages: list[Page], rounds: int) -> None:
    size = sum(len(body) for body, _ in pages) / len(pages) / 1024
    base, ours = best_of([bare, reader], pages, rounds)
    print(f"{name:<36} {len(pages):>3} {size:>6.1f} KB  bare {base:7.3f} ms  "
          f"page object {ours:7.3f} ms  = {ours / base:5.1f}x")


def saved(root: Path, pattern: str) -> list[Page]:
    return [(p.read_bytes(), url_of(p, root)) for p in sorted(root.glob(pattern))]


def main(rounds: int = 20) -> None:
    source = SITE / "document" / f"{REAL_SHAPED_FROM}.html"
    shaped = [(real_shaped(source), url_of(source))]
    print(f"best of {PASSES} passes of {rounds} rounds; ratio = page object / bare lxml.html parse")
    for name, reader, pages, scale in (
        ("document pages (bundled mirror)", document_record, saved(SITE, "document/*.html"), 1),
        ("older-shape page in real-size chrome", document_record, shaped, 4),
        ("real-shaped document pages", document_record, saved(REAL, "document/*.html"), 2),
        ("topic page (bundled mirror)", topic_fields, saved(SITE, "topics/*.html"), 4),
        ("real-shaped topic pages", topic_fields, saved(REAL, "topics/*.html"), 2),
        ("listing pages (bundled mirror)", listing_fields, saved(SITE, "search@*.html"), 1),
        ("real-shaped listing pages", listing_fields, saved(REAL, "search@*.html"), 2),
    ):
        if pages:
            report(name, reader, pages, rounds * scale)
    plain = DocumentPage.from_html(source.read_bytes(), url_of(source)).record()
    wrapped = DocumentPage.from_html(shaped[0][0], url_of(source)).record()
    print("the page in real-size chrome gives the same record as without:", plain == wrapped)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
