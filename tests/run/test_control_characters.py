"""Text without control characters, however they arrive (a character reference `&#1;` or
`&#x7f;`, a raw C1 character, a right-to-left override): in every field of the records of a
topic run (crawled offline, tests/helpers/offline_runs.py), in the exports, and `validate`
naming any it finds."""

import json
import re
import shutil

import pytest

from harvester.cli import main
from harvester.spiders.topic import TopicSpider
from tests.helpers.offline_runs import crawl_saved, publish
from tests.helpers.pages import BASE, SITE, read_jsonl
from tests.helpers.records import edit_records, reseal
from tests.helpers.spider_fakes import fake_run, started

PAGE = "document/telegram-shtykov-gromyko-and-stalin.html"
RECORD_ID = "114902"
# Every control character CONTROLS names, as a raw character in a file's text.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                         "\u202a-\u202e\u2066-\u2069]")
# In JSON, one under U+0020 is escaped.
ESCAPED_CONTROL = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bf]")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A crawl of the bundled mirror whose one document page smuggles controls into its title,
    a person's name and its summary."""
    root = tmp_path_factory.mktemp("controls")
    shutil.copytree(SITE, root / "site")
    page = root / "site" / PAGE
    html = page.read_text("utf-8")
    html = html.replace("<span>Telegram from Shtykov to Gromyko and Stalin</span>",
                        "<span>Telegram&#1; from Shtykov&#x7f; to \u202eGromyko\u202c and "
                        "Stalin\u009b</span>")
    html = html.replace("<span>Stalin, Joseph, 1878-1953</span>",
                        "<span>Stalin,&#x2067; Joseph, 1878-1953</span>")
    html = html.replace("<p>Shtykov gives an insider’s report", "<p>Shtykov&#8;gives an "
                                                                "insider’s&#x200f; report")
    page.write_text(html, "utf-8")
    fake = fake_run(TopicSpider, root / "out", base_url=BASE)
    try:
        crawl_saved(fake, started(fake.spider), root=root / "site")
        return publish(fake)
    finally:
        fake.close()


def test_the_record_keeps_the_text_without_its_controls(run):
    [record] = [r for r in read_jsonl(run / "documents.jsonl") if r["record_id"] == RECORD_ID]
    assert record["title"] == "Telegram from Shtykov to Gromyko and Stalin"
    assert "Stalin, Joseph, 1878-1953" in [person["name"] for person in record["people"]]
    assert record["summary"].startswith("Shtykovgives an insider’s report of a meeting")


def test_no_file_of_the_run_holds_a_control_character(run):
    for path in sorted(run.rglob("*.json*")):
        text = path.read_text("utf-8")
        assert RAW_CONTROL.search(text) is None, path.name
        assert ESCAPED_CONTROL.search(text) is None, path.name


def test_no_export_holds_one(run, tmp_path):
    assert main(["export", "csv", str(run), str(tmp_path / "csv"), "--quiet"]) == 0
    for path in sorted((tmp_path / "csv").glob("*.csv")):
        text = path.read_text("utf-8-sig").replace("\r\n", "").replace("\n", "")
        assert RAW_CONTROL.search(text) is None, path.name


def test_validate_names_a_control_character_in_a_run(run, tmp_path, capsys):
    assert main(["validate", str(run)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    copy = tmp_path / "run"
    shutil.copytree(run, copy)

    def override(records):
        for record in records:
            if record["record_id"] == RECORD_ID:
                record["title"] = "Telegram \u202eniatS"
                record["people"][0]["name"] += "\x01"

    edit_records(copy / "documents.jsonl", override)
    reseal(copy)
    assert main(["validate", str(copy)]) == 1
    found = capsys.readouterr()
    line = next(number for number, record in enumerate(read_jsonl(copy / "documents.jsonl"),
                                                        start=1)
                if record["record_id"] == RECORD_ID)
    assert found.out.splitlines() == [
        f"documents.jsonl line {line} (record {RECORD_ID}): title holds a control character "
        "(U+202E)",
        f"documents.jsonl line {line} (record {RECORD_ID}): people[0].name holds a control "
        "character (U+0001)"]


def test_a_record_stored_with_controls_is_published_without_them(tmp_path):
    """A record an earlier version stored (a 304 gives it again for ever) comes out clean."""
    from harvester.state.store import StateStore
    from tests.helpers.records import BASES

    store = StateStore(tmp_path / "state.sqlite")
    try:
        for record_id, title in (("1", "A\u202eB\x7f"), ("2", "C\x01D"), ("3", "plain")):
            record = {**BASES[0], "record_id": record_id, "title": title}
            store.db.execute("INSERT INTO documents VALUES (?, ?, '', ?, '', '', '', '', NULL, "
                             "NULL, 0, NULL)", (record_id, record["url"], json.dumps(record)))
        assert [r["title"] for r in store.current_records()] == ["AB", "CD", "plain"]
    finally:
        store.close()
