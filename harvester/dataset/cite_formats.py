"""`harvester export csl|ris|bibtex`: one citation per document (citations.py) in the format a
reference manager imports.

- CSL-JSON: a JSON array of CSL items (Zotero, Pandoc, citeproc).
- RIS, written by rispy, with the tags Zotero's RIS translator reads back into the same fields:
  `TY MANSCPT` (manuscript), `DB` archive, `AN` archive location, `DP` library catalogue, `M3`
  manuscript type, `KW` tags, `L1` the PDF.
- BibTeX, written by bibtexparser: `@unpublished` (Zotero's type for a manuscript), with
  `location` (archive location), `type`, `archive`, `keywords` and `file` for the PDF; text is
  UTF-8 with TeX's special characters escaped, addresses as they are.
"""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harvester.dataset.atomic import atomic_file
from harvester.dataset.citations import Citation, citation, csl_item, zotero_date

RIS_TYPE = "MANSCPT"
BIBTEX_TYPE = "unpublished"
_TEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_TEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}


class CitationsUnavailable(RuntimeError):
    """The `cite` extra (rispy, bibtexparser) is not installed: `module` is the one missing."""

    def __init__(self, module: str) -> None:
        super().__init__(f"{module} is not installed")
        self.module = module


def one_line(text: str | None) -> str | None:
    """RIS holds one line per tag: paragraphs are joined with a space."""
    return " ".join(text.split()) if text else None


def ris_entry(cited: Citation) -> dict[str, Any]:
    """rispy's field names for the RIS tags Zotero maps to the translator's fields."""
    date = cited.date or {}
    names = [f"{c.family}, {c.given}" if c.family else c.literal or "" for c in cited.creators]
    entry = {"type_of_reference": RIS_TYPE, "id": cited.key, "title": cited.title,
             "authors": names, "year": (date.get("earliest") or "")[:4] or None,
             "date": ris_date(date), "abstract": one_line(cited.abstract),
             "name_of_database": cited.archive,
             "accession_number": one_line(cited.archive_location),
             "database_provider": cited.library_catalog, "language": cited.language,
             "type_of_work": cited.manuscript_type, "urls": [cited.url],
             "keywords": cited.tags, "file_attachments1": cited.pdf,
             "access_date": cited.accessed}
    return {name: value for name, value in entry.items() if value}


def ris_date(date: dict[str, Any]) -> str | None:
    """RIS's `YYYY/MM/DD/`, as far as the date is known (`1950/04//`, `1971///`)."""
    shown = zotero_date(date)
    if not shown or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", shown):
        return None
    parts = shown.split("-") + ["", ""]
    return "/".join(parts[:3]) + "/"


def tex(text: str) -> str:
    """Text as TeX reads it back: special characters escaped, and `--` kept two hyphens (TeX
    would print an en dash), as in the subject headings `Korea--History`."""
    escaped = _TEX_SPECIAL.sub(lambda m: _TEX_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)
    return escaped.replace("--", "-{}-")


def bibtex_fields(cited: Citation) -> dict[str, str]:
    """The fields of one BibTeX entry (escaped), in a fixed order."""
    authors = " and ".join(f"{tex(c.family)}, {tex(c.given or '')}" if c.family
                           else "{" + tex(c.literal or "") + "}" for c in cited.creators)
    date = cited.date or {}
    text = {"title": "{" + tex(cited.title) + "}", "author": authors,
            "year": (date.get("earliest") or "")[:4] if zotero_date(date) else "",
            "date": tex(zotero_date(date) or ""), "abstract": tex(cited.abstract or ""),
            "note": tex(cited.archive), "archive": tex(cited.archive),
            "location": tex(cited.archive_location or ""),
            "type": tex(cited.manuscript_type or ""), "language": tex(cited.language or ""),
            "keywords": tex(", ".join(cited.tags))}
    verbatim = {"url": cited.url, "urldate": cited.accessed or "",
                "file": f"Full Text PDF:{cited.pdf}:application/pdf" if cited.pdf else ""}
    return {name: value for name, value in (text | verbatim).items() if value}


def write_csl(documents: list[dict[str, Any]], out: Path) -> None:
    items = [csl_item(citation(d)) for d in documents]
    with atomic_file(out) as building:
        building.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", "utf-8")


def write_ris(documents: list[dict[str, Any]], out: Path) -> None:
    try:
        import rispy
    except ImportError:
        raise CitationsUnavailable("rispy") from None
    class PlainRisWriter(rispy.RisWriter):
        """RIS as reference managers write it: no numbered line before each reference."""

        def set_header(self, count: int) -> str:
            return ""

    text = rispy.dumps([ris_entry(citation(d)) for d in documents],
                       implementation=PlainRisWriter)
    with atomic_file(out) as building:
        building.write_text(text, "utf-8")


def write_bibtex(documents: list[dict[str, Any]], out: Path) -> None:
    try:
        import bibtexparser
        from bibtexparser.model import Entry, Field
    except ImportError:
        raise CitationsUnavailable("bibtexparser") from None
    library = bibtexparser.Library()
    for document in documents:
        cited = citation(document)
        library.add(Entry(BIBTEX_TYPE, cited.key,
                          [Field(name, value) for name, value in bibtex_fields(cited).items()]))
    with atomic_file(out) as building:
        building.write_text(bibtexparser.write_string(library), "utf-8")


WRITERS: dict[str, Callable[[list[dict[str, Any]], Path], None]] = {
    "csl": write_csl, "ris": write_ris, "bibtex": write_bibtex}
