"""`harvester mirror mutate`: uploads, edits and removals announced exactly, unchanged files kept
as they were, the ground truth still matching the pages, the same seed giving the same bytes,
and an interrupted rewrite leaving the mirror as it was."""

import shutil

import pytest

from harvester_testkit.synth import mutate
from harvester_testkit.synth.expected import listed_url
from harvester_testkit.synth.model import load
from harvester_testkit.synth.site import SiteFile, site_files
from harvester_testkit.synth.writer import TreeWriter, staging_for
from tests.helpers.pages import BASE
from tests.helpers.synth_mirrors import (
    DOCUMENTS,
    assert_pages_give_the_expected_records,
    read_jsonl,
    tree,
    tree_hash,
    walk_list,
)


# -- mutate ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mutated(mirror, tmp_path_factory):
    """(tree before, tree after, changes, expected records before) of one mutation."""
    out = tmp_path_factory.mktemp("mutate") / "mirror"
    shutil.copytree(mirror, out)
    before_tree = tree(out)
    before = {d["record_id"]: d for d in read_jsonl(out / "_expected" / "documents.jsonl")}
    outcome = mutate(out, add=5, change=4, remove=3, seed=2)
    return out, before_tree, tree(out), outcome.changes, before


def test_mutate_announces_exactly_what_it_did(mutated):
    out, _, _, changes, before = mutated
    after = {d["record_id"]: d for d in read_jsonl(out / "_expected" / "documents.jsonl")}
    assert read_jsonl(out / "_expected" / "changes.jsonl") == changes
    kinds = {kind: [c["record_id"] for c in changes if c["change"] == kind]
             for kind in ("added", "changed", "removed")}
    assert [len(kinds[k]) for k in ("added", "changed", "removed")] == [5, 4, 3]
    assert min(map(int, kinds["added"])) > max(map(int, before))
    assert set(after) == (set(before) - set(kinds["removed"])) | set(kinds["added"])
    for change in changes:
        if change["change"] == "changed":
            old, new = before[change["record_id"]], after[change["record_id"]]
            assert change["fields"] and [k for k in new if new[k] != old[k]] == change["fields"]
        else:
            assert change["fields"] == []
    untouched = set(before) - set(kinds["removed"]) - set(kinds["changed"])
    assert all(after[i] == before[i] for i in untouched)


def test_mutate_keeps_unchanged_files_and_moves_changed_ones_forward(mutated):
    _, old, new, changes, before = mutated
    for name in set(old) & set(new):
        if old[name][0] == new[name][0]:
            assert old[name][1] == new[name][1], name
    edited = {f"document/{before[c['record_id']]['slug']}.html" for c in changes
              if c["change"] == "changed"}
    for name in edited:
        assert new[name][0] != old[name][0] and new[name][1] > old[name][1]
    documents = {n for n in set(old) & set(new) if n.startswith("document/")}
    assert {n for n in documents if old[n] != new[n]} == edited
    removed = {f"document/{before[c['record_id']]['slug']}.html" for c in changes
               if c["change"] == "removed"}
    assert removed == {n for n in old if n not in new and n.startswith("document/")}


def test_mutated_mirror_still_matches_its_ground_truth(mutated):
    out, *_ = mutated
    assert_pages_give_the_expected_records(out)


def test_uploads_top_the_listings_and_removals_leave_them(mutated):
    out, _, _, changes, before = mutated
    model = load(out)
    added = [d for d in model.newest_first() if d.record_id in
             {c["record_id"] for c in changes if c["change"] == "added"}]
    totals, links = walk_list(out, f"{BASE}/search")
    assert links[:5] == [listed_url(d) for d in added]
    assert set(totals) == {DOCUMENTS + 5 - 3}
    gone = {f"{BASE}/document/{before[c['record_id']]['slug']}" for c in changes
            if c["change"] == "removed"}
    listings = [p for p in out.glob("search*.html")]
    assert listings and not any(url.removeprefix(BASE) in p.read_text("utf-8")
                                for p in listings for url in gone)


def test_mutate_is_deterministic(mirror, mutated, tmp_path):
    out, *_ = mutated
    again = tmp_path / "again"
    shutil.copytree(mirror, again)
    mutate(again, add=5, change=4, remove=3, seed=2)
    assert tree_hash(again) == tree_hash(out)


def test_an_interrupted_rewrite_leaves_the_mirror_as_it_was(mirror, tmp_path):
    out = tmp_path / "mirror"
    shutil.copytree(mirror, out)
    before = tree(out)
    with pytest.raises(KeyboardInterrupt), TreeWriter(out, previous=out) as writer:
        for count, file in enumerate(site_files(load(out))):
            if count == 10:
                raise KeyboardInterrupt
            writer.add(SiteFile(file.path, b"half-written", file.mtime))
    assert tree(out) == before and not staging_for(out).exists()
    staging_for(out).mkdir()  # as a killed run leaves it
    (staging_for(out) / "junk.html").write_text("junk")
    mutate(out, add=1, change=0, remove=0, seed=1)
    assert not staging_for(out).exists() and len(tree(out)) > len(before)
