import hashlib
import json
import os

import pytest

from harvester.dataset.folder import (
    RUN_ID,
    RunWriter,
    file_facts,
    latest_run,
    new_run_id,
    point_latest,
    recover_output,
)


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


def test_a_files_size_and_sha256_are_counted_as_it_is_written(tmp_path):
    """Many lines (past any buffer), text in several scripts, a line or paragraph separator
    inside a string: the bytes are each record's JSON and a newline, and the facts are those
    of the bytes, without the file being read again."""
    records = [{"record_id": str(n), "title": f"Ō 金日成 \u2028 line\u2029 {n}\r"}
               for n in range(3000)]
    writer = RunWriter(tmp_path, "20261126T120000Z")
    writer.write_jsonl("documents.jsonl", records)
    expected = b"".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                        + b"\n" for r in records)
    path = writer.partial / "documents.jsonl"
    assert path.read_bytes() == expected
    assert writer.files["documents.jsonl"] == {
        "records": 3000, "bytes": len(expected), "sha256": hashlib.sha256(expected).hexdigest()}


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


def test_a_folder_named_latest_is_moved_aside_not_deleted(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "documents.jsonl").write_text("{}\n")
    point_latest(tmp_path, "a")
    assert os.readlink(tmp_path / "latest") == "a"
    [kept] = tmp_path.glob("latest.kept-*")
    assert (kept / "documents.jsonl").read_text() == "{}\n"
    assert not RUN_ID.match(kept.name)


def test_recovery_drops_a_temporary_link_and_a_superseded_copy_of_a_published_run(tmp_path):
    published = RunWriter(tmp_path, "20261126T120000Z")
    published.write_jsonl("documents.jsonl", [{"a": 1}])
    published.publish({})
    (tmp_path / ".latest.4242").symlink_to("20261126T120000Z")
    (tmp_path / ".20261126T120000Z.superseded").mkdir()
    done = recover_output(tmp_path)
    assert len(done) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20261126T120000Z", "latest"]
    assert recover_output(tmp_path) == []


def test_recovery_puts_back_a_run_whose_republication_was_cut_short(tmp_path):
    # Cut between renaming the run away and renaming its new attempt into place: `latest`
    # names a folder that is not there until the old one is put back.
    first = RunWriter(tmp_path, "20261126T120000Z")
    first.write_jsonl("documents.jsonl", [{"a": 1}])
    first.publish({})
    os.rename(tmp_path / "20261126T120000Z", tmp_path / ".20261126T120000Z.superseded")
    assert latest_run(tmp_path) is None
    [done] = recover_output(tmp_path)
    assert "put .20261126T120000Z.superseded back" in done
    assert latest_run(tmp_path) == tmp_path / "20261126T120000Z"
    again = RunWriter(tmp_path, "20261126T120000Z")  # the resumed run publishes again
    again.write_jsonl("documents.jsonl", [{"a": 2}])
    again.publish({})
    assert (latest_run(tmp_path) / "documents.jsonl").read_text() == '{"a":2}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20261126T120000Z", "latest"]
