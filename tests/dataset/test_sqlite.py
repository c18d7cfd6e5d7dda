"""`harvester export sqlite` on a run of the bundled mirror: linked tables, foreign keys that
hold, and queries whose answers were read off the hand-checked documents."""

import sqlite3

import pytest

from harvester.cli import main
from harvester.dataset.files import read_jsonl


@pytest.fixture(scope="module")
def db(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("sqlite") / "run.sqlite"
    assert main(["export", "sqlite", str(run_dir), str(out)]) == 0
    connection = sqlite3.connect(out)
    yield connection
    connection.close()


def column(db, sql: str, *args) -> list:
    return [row[0] for row in db.execute(sql, args)]


def test_tables(db):
    tables = column(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'documents_fts_%' "
                        "AND name NOT LIKE 'document_texts_fts_%' ORDER BY name")
    assert tables == [
        "archives", "document_archives", "document_donors", "document_languages",
        "document_people", "document_places", "document_subjects", "document_texts",
        "document_texts_fts", "document_topics", "documents", "documents_fts", "donors",
        "languages", "package", "people", "places", "rejects", "subjects", "topics"]


def test_row_counts_match_the_run(db, run_dir):
    documents = read_jsonl(run_dir / "documents.jsonl")
    assert column(db, "SELECT count(*) FROM documents") == [19]
    assert column(db, "SELECT count(*) FROM people") == [29]
    assert column(db, "SELECT count(*) FROM rejects") == [1]
    assert column(db, "SELECT count(*) FROM document_people") == [
        sum(len(d["people"]) for d in documents)] == [60]


def test_foreign_keys_are_declared_and_hold(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    links = sorted((row[2], row[3], row[4])
                   for row in db.execute("PRAGMA foreign_key_list(document_people)"))
    assert links == [("documents", "record_id", "record_id"), ("people", "person_key", "key")]
    links = sorted((row[2], row[3], row[4])
                   for row in db.execute("PRAGMA foreign_key_list(document_places)"))
    assert links == [("documents", "record_id", "record_id"), ("places", "place_key", "key")]
    links = sorted((row[2], row[3], row[4])
                   for row in db.execute("PRAGMA foreign_key_list(document_subjects)"))
    assert links == [("documents", "record_id", "record_id"), ("subjects", "subject_key", "key")]


def test_every_text_of_every_document_is_a_row_in_page_order(db):
    """31 panes with text on the 19 pages: a translation on each (English but on Zhivkov's
    lone pane, which names no language), 11 originals and Hu Yaobang's Chinese transcript."""
    assert db.execute("SELECT kind, language, count(*) FROM document_texts "
                      "GROUP BY kind, language ORDER BY kind, language").fetchall() == [
        ("original", "Chinese", 1), ("original", "German", 1), ("original", "Japanese", 1),
        ("original", "Polish", 3), ("original", "Romanian", 1), ("original", "Russian", 4),
        ("transcript", "Chinese", 1), ("translation", None, 1), ("translation", "English", 18)]
    assert db.execute("SELECT position, kind, language, text FROM document_texts "
                      "WHERE record_id = '111861' ORDER BY position").fetchall() == [
        (1, "original", "Russian", "ЗАПИСЬ БЕСЕДЫ Н.С. ХРУЩЁВА С КИМ ИР СЕНОМ\n\nТоварищ "
                                   "Хрущёв приветствует товарища Ким Ир Сена и всю корейскую "
                                   "делегацию."),
        (2, "translation", "English", "RECORD OF CONVERSATION OF N.S. KHRUSHCHEV WITH KIM IL "
                                      "SUNG\n\nComrade Khrushchev greets Comrade Kim Il Sung and "
                                      "the entire Korean delegation and says that the Soviet side"
                                      " has studied the draft treaty and agrees with it.\n\nKim "
                                      "Il Sung thanks Comrade Khrushchev and says that the treaty"
                                      " will strengthen the security of the DPRK in the face of "
                                      "the military coup in South Korea.")]
    links = [(row[2], row[3], row[4])
             for row in db.execute("PRAGMA foreign_key_list(document_texts)")]
    assert links == [("documents", "record_id", "record_id")]
    assert "texts" not in column(db, "SELECT name FROM pragma_table_info('documents')")


def test_full_text_search_over_every_text_finds_the_originals(db):
    """The originals spell Kim Il Sung "Kim Ir Sen" (Polish, Romanian): only their texts do."""
    query = '"Kim Ir Sen"'
    assert db.execute("""
        SELECT t.record_id, t.kind, t.language FROM document_texts_fts
        JOIN document_texts t ON t.rowid = document_texts_fts.rowid
        WHERE document_texts_fts MATCH ? ORDER BY CAST(t.record_id AS INTEGER)""",
                      (query,)).fetchall() == [
        ("114078", "original", "Polish"), ("119271", "original", "Romanian"),
        ("121543", "original", "Polish")]
    assert column(db, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?",
                  query) == [0]


def test_documents_where_a_person_is_associated_between_1950_and_1953(db):
    found = column(db, """
        SELECT d.record_id FROM documents d
        JOIN document_people dp ON dp.record_id = d.record_id
        JOIN people p ON p.key = dp.person_key
        WHERE p.display = ? AND dp.role = 'associated'
          AND d.date_earliest >= '1950-01-01' AND d.date_latest <= '1953-12-31'
        ORDER BY CAST(d.record_id AS INTEGER)""", "Joseph Stalin")
    assert found == ["110360", "114902", "116978", "300188"]


def test_documents_by_author_under_a_term_id_and_under_a_slug(db):
    def authored(key: str) -> list:
        return column(db, """
            SELECT dp.record_id FROM document_people dp
            WHERE dp.person_key = ? AND dp.role = 'author' ORDER BY dp.record_id""", key)

    # Shtykov's term 40211 (110360) and his page's slug (114902, 300188) are one person.
    assert authored("id:40211") == []
    assert authored("slug:shtykov-terentii-fomich") == ["110360", "114902", "300188"]
    assert db.execute("SELECT key, ids, slug FROM people WHERE slug = 'shtykov-terentii-fomich'"
                      ).fetchall() == [("slug:shtykov-terentii-fomich", "[40211]",
                                        "shtykov-terentii-fomich")]
    indexes = column(db, "SELECT name FROM pragma_index_list('people')")
    assert {"idx_people_display", "idx_people_slug"} <= set(indexes)


def test_kim_il_sung_is_one_row_and_every_form_of_his_name_an_alias(db):
    assert db.execute("SELECT key, ids, name, aliases, document_count FROM people "
                      "WHERE display = 'Kim Il Sung'").fetchall() == [
        ("slug:kim-il-sung", "[40011, 87212]", "Kim, Il Sung", '["Kim Il Sung"]', 19)]
    assert column(db, "SELECT DISTINCT person_key FROM document_people "
                      "WHERE name IN ('Kim, Il Sung', 'Kim Il Sung')") == ["slug:kim-il-sung"]


def test_a_place_linked_by_its_page_and_by_its_term_is_one_row(db):
    assert db.execute("SELECT key, slug, ids, name, aliases, document_count FROM places "
                      "WHERE name = 'Korea (North)'").fetchall() == [
        ("slug:korea-north", "korea-north", "[1001]", "Korea (North)", "[]", 18)]
    assert column(db, "SELECT count(*) FROM places") == [17]  # as many as distinct names
    assert column(db, "SELECT key FROM places WHERE name = 'Mongolia'") == ["id:1044"]
    assert column(db, "SELECT key FROM subjects WHERE name = 'Korean War, 1950-1953'") == [
        "name:korean war 1950 1953"]


def test_documents_have_a_year_and_the_names_a_browser_facets_on(db):
    assert db.execute("SELECT year, people, places, subjects, topics, languages FROM documents "
                      "WHERE record_id = '116978'").fetchall() == [(
        1950, '["Kim Il Sung", "Joseph Stalin"]', '["Soviet Union", "Korea (North)", "China"]',
        '["Korean War, 1950-1953--Causes", "Korea--History--Partition, 1945-"]',
        '["Korean War Origins, 1945-1950", "Conversations with Kim Il Sung"]', '["Russian"]')]
    assert db.execute("SELECT * FROM documents_per_year").fetchall() == [
        (1949, 1), (1950, 4), (1956, 2), (1958, 1), (1960, 1), (1961, 1), (1970, 1), (1971, 1),
        (1975, 1), (1984, 2), (1985, 1), (1986, 1)]
    assert column(db, "SELECT count(*) FROM documents WHERE year IS NULL") == [2]


def test_documents_keep_the_preview_column(db):
    assert "preview" in column(db, "SELECT name FROM pragma_table_info('documents')")
    assert column(db, "SELECT count(*) FROM documents WHERE preview IS NOT NULL") == [0]


@pytest.mark.parametrize(("query", "record_ids"), [
    ('"Pak Heon-yeong"', ["110360", "112127", "114902", "116978"]),
    ('"38th parallel"', ["114902", "300188"]),
    ("Wuchang", ["121205"]),
    ("nuclear*", ["300975"]),
])
def test_full_text_search_over_title_summary_and_text(db, query, record_ids):
    found = column(db, """
        SELECT d.record_id FROM documents_fts
        JOIN documents d ON d.rowid = documents_fts.rowid
        WHERE documents_fts MATCH ? ORDER BY CAST(d.record_id AS INTEGER)""", query)
    assert found == record_ids


def test_full_text_index_covers_title_summary_and_text(db):
    assert column(db, "SELECT name FROM pragma_table_info('documents_fts')") == [
        "title", "summary", "text"]


def test_vocabularies_keep_page_order_per_document(db):
    assert column(db, """
        SELECT p.name FROM document_places dp JOIN places p ON p.key = dp.place_key
        WHERE dp.record_id = '110360' ORDER BY dp.position""") == [
        "Korea (North)", "Soviet Union", "Korea (South)"]
    assert db.execute("""
        SELECT l.name, count(*) FROM document_languages dl
        JOIN languages l ON l.id = dl.language_id
        GROUP BY l.name ORDER BY count(*) DESC, l.name LIMIT 3""").fetchall() == [
        ("Russian", 7), ("Polish", 3), ("Chinese", 2)]


def test_topics_named_on_documents_link_even_without_a_slug(db):
    assert column(db, """
        SELECT topic_key FROM document_topics WHERE record_id = '116978'
        ORDER BY position""") == [
        "title:Korean War Origins, 1945-1950", "conversations-kim-il-sung"]
    assert db.execute("SELECT key, topic_id, document_count, harvested FROM topics "
                      "WHERE harvested = 1").fetchall() == [
        ("conversations-kim-il-sung", 86466, 21, 1)]
    assert column(db, "SELECT count(*) FROM topics") == [7]


def test_dates_and_lists_without_a_table_are_columns(db):
    assert db.execute("""
        SELECT date_original, date_edtf, date_earliest, date_latest, date_precision
        FROM documents WHERE record_id = '116978'""").fetchone() == (
        "April, 1950", "1950-04", "1950-04-01", "1950-04-30", "month")
    assert column(db, "SELECT json_array_length(related) FROM documents "
                      "WHERE record_id = '110360'") == [2]


def test_package_facts_travel_with_the_database(db, run_dir):
    facts = dict(db.execute("SELECT key, value FROM package"))
    assert facts["run_id"] == run_dir.name
    assert facts["name"] == "wilson-center-digital-archive-metadata"


def test_exporting_again_replaces_the_file_whole(run_dir, tmp_path):
    out = tmp_path / "again.sqlite"
    out.write_bytes(b"not a database")
    assert main(["export", "sqlite", str(run_dir), str(out)]) == 0
    with sqlite3.connect(out) as connection:
        assert column(connection, "SELECT count(*) FROM documents") == [19]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.sqlite"]
