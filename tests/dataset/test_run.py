"""A run of the bundled mirror for the dataset tests (the session's shared crawl), and what must
hold of any such run: identical data files from identical input."""




def test_two_runs_give_byte_identical_people_and_schemas(run_dir, bundled_topic_rerun):
    second = bundled_topic_rerun.run
    assert second != run_dir
    for name in ("people.jsonl", "schema/document.schema.json", "schema/topic.schema.json",
                 "schema/people.schema.json", "schema/reject.schema.json"):
        assert (second / name).read_bytes() == (run_dir / name).read_bytes(), name


def test_a_published_run_holds_exactly_the_package_files(run_dir):
    names = sorted(str(p.relative_to(run_dir)) for p in run_dir.rglob("*") if p.is_file())
    assert names == ["README.md", "changes.jsonl", "datapackage.json", "documents-per-year.svg",
                     "documents.jsonl", "manifest.json",
                     "people.jsonl", "rejects.jsonl", "schema/document.schema.json",
                     "schema/people.schema.json", "schema/reject.schema.json",
                     "schema/topic.schema.json", "topics.jsonl"]
