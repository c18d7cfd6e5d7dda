"""One citation per document, field for field what Zotero's translator for the archive's old
site gave a historian (`Wilson Center Digital Archive.js`, 2022; fixtures/citations/README.md
compares three by hand): a manuscript with its title, date, summary, authors, the archive
("History and Public Policy Program Digital Archive") and the source line as its location, the
language, the document type, the address the site's own "Cite this document" gives
(`/document/<Record ID>`), the library catalogue, the subjects as tags and the scan as a PDF.

`Citation` holds those fields once; the CSL-JSON item (what Zotero, Pandoc and citeproc read)
is built here, RIS and BibTeX in cite_formats.py.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

ARCHIVE = "History and Public Policy Program Digital Archive"
LIBRARY_CATALOG = "Woodrow Wilson International Center for Scholars"
ITEM_TYPE = "manuscript"


@dataclass
class Creator:
    """An author as Zotero keeps one: family and given names, or one literal name for an
    organisation (or a name whose order the archive does not show)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @classmethod
    def of(cls, person: dict[str, Any]) -> "Creator":
        if person["kind"] == "person" and person["family"] and person["given"]:
            return cls(family=person["family"], given=person["given"])
        return cls(literal=person["name"])


@dataclass
class Citation:
    """What a reference manager stores for one document."""

    key: str
    title: str
    creators: list[Creator]
    date: dict[str, Any] | None
    abstract: str | None
    archive_location: str | None
    language: str | None
    manuscript_type: str | None
    url: str
    accessed: str | None
    tags: list[str] = field(default_factory=list)
    pdf: str | None = None
    archive: str = ARCHIVE
    library_catalog: str = LIBRARY_CATALOG


def citation_url(document: dict[str, Any]) -> str:
    """The address the site's citations give: `/document/<Record ID>` on the record's host."""
    parts = urlsplit(document["url"])
    return f"{parts.scheme}://{parts.netloc}/document/{document['record_id']}"


def citation(document: dict[str, Any]) -> Citation:
    return Citation(
        key=f"wcda{document['record_id']}",
        title=document["title"],
        creators=[Creator.of(p) for p in document["people"] if p["role"] == "author"],
        date=document["date"],
        abstract=document["summary"],
        archive_location=document["source"],
        language=", ".join(document["languages"]) or None,
        manuscript_type=document["type"],
        url=citation_url(document),
        accessed=(document.get("retrieved_at") or "")[:10] or None,
        tags=list(document["subjects"]),
        pdf=next(iter(document["downloads"]), None),
    )


def zotero_date(date: dict[str, Any] | None) -> str | None:
    """The date as Zotero writes it: `1944-05-19`, `1950-04`, `1958`; a range or a decade as
    shown on the page; null when undated."""
    if not date:
        return None
    if date["precision"] in ("day", "month", "year") and date["edtf"]:
        return date["edtf"].rstrip("~?%")
    return date["original"]


def date_parts(iso: str) -> list[int]:
    year, _, rest = iso.lstrip("-").partition("-")
    parts = [int(year) * (-1 if iso.startswith("-") else 1)]
    return parts + [int(p) for p in rest.split("-") if p]


def csl_date(date: dict[str, Any] | None) -> dict[str, Any] | None:
    """CSL's `issued`: date parts to the precision the page gives, a range as two, a decade or
    an unparsed date as its text."""
    if not date:
        return None
    edtf, precision = date["edtf"], date["precision"]
    if precision in ("day", "month", "year") and edtf:
        issued: dict[str, Any] = {"date-parts": [date_parts(edtf.rstrip("~?%"))]}
        if edtf.endswith("~"):
            issued["circa"] = True
        return issued
    if precision == "range" and edtf:
        return {"date-parts": [date_parts(part) for part in edtf.split("/")]}
    return {"literal": date["original"]}


def csl_name(creator: Creator) -> dict[str, str]:
    if creator.literal:
        return {"literal": creator.literal}
    return {"family": creator.family or "", "given": creator.given or ""}


def csl_item(cited: Citation) -> dict[str, Any]:
    """The CSL-JSON item, with Zotero's own mapping of its fields to CSL variables
    (archiveLocation -> archive_location, manuscriptType -> genre, libraryCatalog ->
    source); tags go to `keyword`, which CSL has, and the PDF, which it has not, is left out."""
    item: dict[str, Any] = {"id": cited.key, "type": ITEM_TYPE, "title": cited.title,
                            "author": [csl_name(c) for c in cited.creators]}
    issued = csl_date(cited.date)
    optional = {"issued": issued, "abstract": cited.abstract, "archive": cited.archive,
                "archive_location": cited.archive_location, "language": cited.language,
                "genre": cited.manuscript_type, "URL": cited.url,
                "source": cited.library_catalog,
                "accessed": {"date-parts": [date_parts(cited.accessed)]}
                if cited.accessed else None,
                "keyword": "; ".join(cited.tags) or None}
    item.update({name: value for name, value in optional.items() if value})
    if not item["author"]:
        del item["author"]
    return item
