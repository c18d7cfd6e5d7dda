import json

import pytest

from harvester.runs import RunWriter, file_facts, latest_run, new_run_id, point_latest


def test_run_is_invisible_until_published(tmp_path):
    writer = RunWriter(tmp_path, "20261126T120000Z")
    writer.write_jsonl("documents.jsonl", [{"record_id": "1", "title": "Ō"}])
    assert not (tmp_path / "20261126T120000Z").exists()
    assert latest_run(tmp_path) is None
    run_dir = writer.publish({"run_id": "20261126T120000Z"})
    assert latest_run(tmp_path) == run_dir
    assert (run_dir / "documents.jsonl").read_text("utf-8") == '{"record_id":"1","title":"Ō"}\n'
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    assert manifest["files"]["documents.jsonl"] == {
        "records": 1, **file_facts(run_dir / "documents.jsonl")}


def test_latest_moves_only_to_a_newer_published_run(tmp_path):
    first = RunWriter(tmp_path, "20261126T120000Z")
    first.write_jsonl("documents.jsonl", [])
    first.publish({})
    second = RunWriter(tmp_path, "20261126T130000Z")
    second.write_jsonl("documents.jsonl", [{"a": 1}])
    second.discard()
    assert latest_run(tmp_path).name == "20261126T120000Z"
    assert not second.partial.exists()


def test_run_ids_never_collide(tmp_path):
    (tmp_path / "20261126T120000Z").mkdir()
    from datetime import UTC, datetime

    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
    assert new_run_id(tmp_path, now) == "20261126T120000Z-2"


@pytest.mark.parametrize("bad", ["../evil", "latest", "", "20261126T120000Z/../x"])
def test_run_ids_from_elsewhere_cannot_escape_the_output_folder(tmp_path, bad):
    with pytest.raises(ValueError):
        RunWriter(tmp_path, bad)


def test_point_latest_replaces_the_link(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    point_latest(tmp_path, "a")
    point_latest(tmp_path, "b")
    assert (tmp_path / "latest").resolve() == (tmp_path / "b").resolve()
