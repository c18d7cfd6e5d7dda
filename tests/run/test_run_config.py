"""The run reads the crawl's settings once, each by its kind, into RunConfig."""

from pathlib import Path

from harvester.crawl import project_settings
from harvester.run.config import RunConfig
from harvester.settings import base


def test_the_projects_defaults_as_the_run_reads_them():
    config = RunConfig.of(project_settings({}))
    assert config == RunConfig(out_dir=Path(base.HARVESTER_OUTPUT_DIR), public_base_url="",
                               state_batch_writes=200, limit=0, full_sweep_every=0,
                               min_coverage={"record_id": 1.0, "title": 1.0, "date": 0.5,
                                             "summary": 0.5},
                               coverage_sample=20, keep_runs=0)


def test_settings_given_as_text_are_read_as_their_kind(tmp_path):
    config = RunConfig.of(project_settings({
        "HARVESTER_OUTPUT_DIR": str(tmp_path), "HARVESTER_LIMIT": "5",
        "HARVESTER_PUBLIC_BASE_URL": "https://digitalarchive.wilsoncenter.org",
        "HARVESTER_MIN_COVERAGE": '{"title": 0.9}', "HARVESTER_KEEP_RUNS": "3",
        "HARVESTER_FULL_SWEEP_EVERY": "7"}))
    assert (config.out_dir, config.limit, config.public_base_url) == (
        tmp_path, 5, "https://digitalarchive.wilsoncenter.org")
    assert (config.min_coverage, config.keep_runs, config.full_sweep_every) == (
        {"title": 0.9}, 3, 7)
