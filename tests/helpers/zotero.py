"""Our citation exports read as Zotero's import translators read them, into the shape of the
items in the test cases of Zotero's translator for the archive's old site (fixtures/citations/
README.md says which mapping each field follows)."""

import re
from typing import Any

PDF = {"title": "Full Text PDF", "mimeType": "application/pdf"}


def item(creators: list[dict], fields: dict[str, Any], tags: list[str], pdf: bool) -> dict:
    """A Zotero item of type manuscript, empty fields left out, tags sorted as Zotero's tests
    list them."""
    return {"itemType": "manuscript", "creators": creators,
            **{name: value for name, value in fields.items() if value},
            "attachments": [PDF] if pdf else [],
            "tags": [{"tag": tag} for tag in sorted(tags)]}


def creator(last: str, first: str | None) -> dict:
    if first:
        return {"lastName": last, "firstName": first, "creatorType": "author"}
    return {"lastName": last, "creatorType": "author", "fieldMode": 1}


def csl_date(issued: dict | None) -> str | None:
    if not issued:
        return None
    if "date-parts" in issued:
        return "-".join(f"{p:04d}" if n == 0 else f"{p:02d}"
                        for n, p in enumerate(issued["date-parts"][0]))
    return issued.get("literal")


def from_csl(entry: dict) -> dict:
    creators = [creator(a["literal"], None) if "literal" in a else creator(a["family"], a["given"])
                for a in entry.get("author", [])]
    return item(creators, {
        "title": entry["title"], "date": csl_date(entry.get("issued")),
        "abstractNote": entry.get("abstract"), "archive": entry.get("archive"),
        "archiveLocation": entry.get("archive_location"), "language": entry.get("language"),
        "libraryCatalog": entry.get("source"), "manuscriptType": entry.get("genre"),
        "url": entry.get("URL")}, [t for t in entry.get("keyword", "").split("; ") if t],
        pdf=False)


def ris_date(value: str | None) -> str | None:
    """RIS.js: `1950/04//` is `1950-04`."""
    if not value:
        return None
    return "-".join(part for part in value.split("/") if part)


def from_ris(entry: dict) -> dict:
    assert entry["type_of_reference"] == "MANSCPT"
    creators = [creator(*(re.split(r"\s*,\s*", name, maxsplit=1) + [None])[:2])
                for name in entry.get("authors", [])]
    return item(creators, {
        "title": entry["title"], "date": ris_date(entry.get("date")),
        "abstractNote": entry.get("abstract"), "archive": entry.get("name_of_database"),
        "archiveLocation": entry.get("accession_number"), "language": entry.get("language"),
        "libraryCatalog": entry.get("database_provider"),
        "manuscriptType": entry.get("type_of_work"), "url": entry["urls"][0]},
        entry.get("keywords", []), pdf="file_attachments1" in entry)


def bibtex_name(name) -> dict:
    """A name as bibtexparser's SplitNameParts gives it: one braced last name is one literal
    name (an organisation), as Zotero reads it."""
    last = " ".join(name.last)
    if not name.first and last.startswith("{") and last.endswith("}"):
        return creator(last[1:-1], None)
    return creator(last, " ".join(name.first))


def from_bibtex(entry_type: str, fields: dict) -> dict:
    assert entry_type == "unpublished"
    creators = [bibtex_name(n) for n in fields.get("author", [])]
    keywords = [k for k in fields.get("keywords", "").split(", ") if k]
    return item(creators, {
        "title": fields["title"].removeprefix("{").removesuffix("}"),
        "date": fields.get("date"), "abstractNote": fields.get("abstract"),
        "archive": fields.get("archive"), "archiveLocation": fields.get("location"),
        "language": fields.get("language"), "libraryCatalog": None,
        "manuscriptType": fields.get("type"), "url": fields.get("url")},
        keywords, pdf=fields.get("file", "").endswith(":application/pdf"))
