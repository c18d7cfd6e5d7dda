"""A document page from its model: the look decides the markup, the model the values."""

import unicodedata
from urllib.parse import quote

from markupsafe import Markup, escape

from harvester_testkit.synth import dates
from harvester_testkit.synth.build import upload_day
from harvester_testkit.synth.expected import PUBLIC_BASE, credit_line, preview_path
from harvester_testkit.synth.markup import (
    facet_href,
    inner_link_pill,
    name_markup,
    outer_link_pill,
    pills_value,
    rights_value,
    settings_json,
    spaced,
    text_value,
)
from harvester_testkit.synth.model import DocumentModel
from harvester_testkit.synth.people import PEOPLE, Person
from harvester_testkit.synth.templates import render
from harvester_testkit.synth.variants import INFO_BLOCKS
from harvester_testkit.synth.vocabulary import (
    ARCHIVES,
    DONORS,
    LANGUAGES,
    PLACES,
)

PLACE_IDS = dict(PLACES)
ARCHIVE_IDS = {name: id for name, id, _ in ARCHIVES}
LANGUAGE_IDS = {name: id for name, id, _ in LANGUAGES}
FOOTNOTE = '<sup><a href="#fn1" id="ref1">[1]</a></sup>'
SECTION_LABELS = ("Associated People & Organizations", "Associated Places", "Associated Topics",
                  "Subjects Discussed", "Document Contributors")


class DocumentRenderer:
    """One document page; other documents are looked up for the teasers it shows."""

    def __init__(self, document: DocumentModel, by_id: dict[str, DocumentModel],
                 topic_titles: dict[str, str]) -> None:
        self.document = document
        self.look = document.look
        self.by_id = by_id
        self.topic_titles = topic_titles
        # The pill some pages spell `Family,&nbsp;Given  Names`: the first inverted name.
        inverted = [tuple(pair) for pair in document.people if ", " in PEOPLE[pair[0]].name]
        inverted.sort(key=lambda pair: " " not in PEOPLE[pair[0]].name.partition(", ")[2])
        spaced_look = document.look["pill-extra"] == "spaced"
        self.spaced_pill = inverted[0] if inverted and spaced_look else None

    def page(self) -> bytes:
        d, look = self.document, self.look
        title = None if d.reject == "title" else d.title
        download = self.download_href()
        return render(
            "document", nid=d.node_id, canonical=f"{PUBLIC_BASE}/document/{d.slug}",
            shortlink=f"{PUBLIC_BASE}/node/{d.node_id}"
            if look["node-id"] in ("settings", "shortlink") else None,
            settings=settings_json(f"node/{d.node_id}") if look["node-id"] == "settings"
            else None,
            description=d.summary[0] if d.summary and title else None,
            og_type="article", og_title=title, head_title=title or "",
            body_class="path-node page-node-type-document",
            neighbour=self.teaser(d.neighbour) if d.neighbour else None,
            date=self.date_markup(), title=self.title_markup(title), credit=self.credit(),
            download=download, second_download=download if look["downloads"] == "twice"
            else None,
            tabs=look["tabs"] != "single-inactive", nested=look["tabs"] == "languages",
            panes=self.panes(), summary=d.summary,
            authors=self.people_pills("author"), heading=look["heading"],
            sections=self.sections(),
            related=[self.teaser(r) for r in d.related], information=self.information())

    # -- header ------------------------------------------------------------------------------
    def date_markup(self) -> Markup | None:
        form, text = self.document.date["form"], dates.shown(self.document.date)
        if form == "absent":
            return None
        if text is None:
            return Markup("")
        if form == "day-nbsp":
            return Markup(str(escape(text)).replace(" ", "&nbsp;", 1))
        if form == "day-lines":
            return Markup(f"\n              {escape(text)}\n            ")
        return escape(text)

    def title_markup(self, title: str | None) -> Markup | None:
        if title is None:
            return None
        html = str(escape(title))
        if self.look["title"] == "entities":
            html = html.replace("&#39;", "&#039;")
        elif self.look["title"] == "spaced":
            head, _, tail = html.rpartition(" ")
            html = head.replace(" ", "&nbsp;", 1) + "  " + tail
        return Markup(html)

    def credit(self) -> Markup | None:
        if self.look["credit"] == "none":
            return None
        funders = self.document.funders
        # "John D. and Catherine T. MacArthur Foundation" reads as one donor only as a link
        linked = self.look["credit"] == "linked" or any(" and " in f or "," in f for f in funders)
        line = credit_line([f'<a href="{escape(facet_href("donors", DONORS.index(f) + 1))}">'
                            f"{escape(f)}</a>" if linked else str(escape(f)) for f in funders])
        if self.look["credit"] == "wrapped":
            head, _, tail = line.rpartition(" ")
            return Markup(f"\n              {head}&nbsp;{tail}\n            ")
        return Markup(line)

    def download_href(self) -> str | None:
        where = self.look["downloads"]
        if where == "none":
            return None
        path = f"/document/{self.document.node_id}/download"
        return PUBLIC_BASE + path if where == "absolute" else path

    def teaser(self, record_id: str) -> dict:
        other = self.by_id[record_id]
        return {"date": dates.shown(other.date) or "", "href": f"/document/{other.slug}",
                "title": other.title, "summary": other.summary[0] if other.summary else "",
                "tag": self.look["neighbour"]}

    # -- text --------------------------------------------------------------------------------
    def panes(self) -> list[dict]:
        d, tabs = self.document, self.look["tabs"]
        pdf = preview_path(d)
        blocks = [Markup(f'<object class="pdf-preview" data="{escape(pdf)}" '
                         'type="application/pdf"></object>')] if pdf else self.text_blocks()
        translation = {"kind": "translation", "label": "Original Scan" if pdf else
                       "English Translation", "language": "English",
                       "active": tabs != "single-inactive", "blocks": blocks}
        if d.original is None:
            return [translation]
        original = {"kind": "original", "label": f"{d.languages[0]} Original",
                    "language": d.languages[0], "active": False,
                    "blocks": [Markup(f"<p>{escape(d.original)}</p>")]}
        return [original, translation] if tabs == "active-second" else [translation, original]

    def text_blocks(self) -> list[Markup]:
        style = self.look["text"]
        blocks = []
        for block in self.document.text:
            kind, value = next(iter(block.items()))
            if kind == "lines":
                blocks.append(Markup("<p>" + "<br>".join(str(escape(v)) for v in value) + "</p>"))
            elif kind == "li":
                items = "".join(f"<li>{escape(v)}</li>" for v in value)
                blocks.append(Markup(f"<ul>{items}</ul>"))
            else:
                html = str(escape(value))
                if style == "footnote" and not value.startswith("[1]"):
                    html = html.replace("[1]", FOOTNOTE)
                blocks.append(Markup(f"<{kind}>{html}</{kind}>"))
        if style == "spaces":
            first = next(i for i, b in enumerate(blocks) if b.startswith("<p>"))
            blocks[first] = Markup(str(blocks[first]).replace(" ", "  &nbsp;", 1))
        return blocks

    # -- pills -------------------------------------------------------------------------------
    def people_pills(self, role: str) -> list[Markup]:
        keys = [key for key, r in self.document.people if r == role]
        pills = []
        for index, key in enumerate(keys):
            encoded = not (self.look["people-link"] == "unencoded" and index == 0)
            pills.append(self.person_pill(PEOPLE[key], encoded, self.spaced_pill == (key, role)))
        if self.look["pill-extra"] == "repeated" and role == "associated" and pills:
            pills.append(pills[0])
        return pills

    def person_href(self, person: Person, encoded: bool) -> str:
        if self.look["people-link"] == "slug":
            return f"/people/{person.slug}"
        return facet_href("people", person.id, encoded)

    def person_pill(self, person: Person, encoded: bool, spaced_name: bool) -> Markup:
        extra = self.look["pill-extra"]
        name = person.name
        if extra == "nfd":
            name = unicodedata.normalize("NFD", name)
        html = spaced(name) if spaced_name else escape(name)
        body = name_markup(html)
        if extra == "details" and person.details:
            life, region = person.details
            body += (f'<div class="pill__details"><span class="life-dates">{life}</span> '
                     f'<span class="region">{escape(region)}</span></div>')
        if person.id is None:
            return Markup(f'<div class="pill pill-person">{body}</div>')
        href = escape(self.person_href(person, encoded))
        return Markup(f'<div class="pill pill-person"><a href="{href}">{body}</a></div>')

    def sections(self) -> list[tuple[str, list[Markup]]]:
        d, look = self.document, self.look
        spans = look["subjects"] == "spans"
        pills = (
            self.people_pills("associated"),
            [inner_link_pill("pill-place", facet_href("places", PLACE_IDS[p]), p)
             for p in d.places],
            [inner_link_pill("pill-topic", f"/topics/{s}", self.topic_titles[s])
             for s in d.topics],
            [outer_link_pill(f"/search?search_api_fulltext={quote(s)}", s, spans,
                             "pill pill-subject") for s in d.subjects],
            self.people_pills("contributor"),
        )
        return [(label, found) for label, found in zip(SECTION_LABELS, pills, strict=True)
                if found]

    # -- Document Information ----------------------------------------------------------------
    def information(self) -> list[tuple[str, Markup]]:
        values = self.information_values()
        ordered = [INFO_BLOCKS[i] for i in self.look["info-order"]]
        return [(label, values[label]) for label in ordered if values.get(label) is not None]

    def information_values(self) -> dict[str, Markup | None]:
        d, look = self.document, self.look
        record_id = d.record_id
        if look["record-id"] == "padded":
            record_id = f"\n                  {record_id}\n                "
        return {
            "Source": text_value(d.source),
            "Original Archive": self.archives(),
            "Rights": rights_value(d.rights),
            "Original Uploaded Date": text_value(upload_day(d.created))
            if look["uploaded"] == "shown" else None,
            "Type": text_value(d.type),
            "Language": pills_value([
                outer_link_pill(facet_href("languages", LANGUAGE_IDS[name]), name,
                                look["languages"] == "spans") for name in d.languages]),
            "Record ID": None if d.reject == "record_id" else text_value(record_id),
            "Original Classification": text_value(d.classification),
            "Donors": self.donors(),
        }

    def archives(self) -> Markup | None:
        if not self.document.archives:
            return None
        if self.look["archives"] == "text":
            return text_value(self.document.archives[0])
        return pills_value([outer_link_pill(facet_href("original_repositories", ARCHIVE_IDS[a]),
                                            a, True) for a in self.document.archives])

    def donors(self) -> Markup | None:
        how, funders = self.look["donors"], self.document.funders
        if how == "none":
            return None
        if how == "semicolons":
            return text_value("; ".join(funders))
        if how == "lines":
            return Markup(f'<div class="text">{"<br>".join(str(escape(f)) for f in funders)}'
                          "</div>")
        return pills_value([outer_link_pill(facet_href("donors", DONORS.index(f) + 1), f, True)
                            for f in funders])
