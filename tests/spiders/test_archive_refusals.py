"""Archive runs of a synthetic mirror that must fail loudly, crawled offline
(tests/helpers/offline_runs.py): a listing page missing (and the mended run resuming without
fetching again what it had), a listing that shows fewer documents than its counter after its
re-walks, and field coverage below its threshold. The reason a refused run gives is the
command's last line after "run not published: ". Runs that need the engine or a process (304s,
a kill) are tests/end_to_end/test_archive.py."""

import json
import re
import shutil
from pathlib import Path

from harvester.spiders.archive import ArchiveSpider
from tests.helpers.mirror_runs import run_mirror
from tests.helpers.pages import read_jsonl, without_provenance

PUBLIC = "https://digitalarchive.wilsoncenter.org"


def crawl(site: Path, out: Path, settings: dict | None = None) -> str | None:
    """An archive crawl of `site` into `out`: why it was refused (None: published)."""
    return run_mirror(ArchiveSpider, site, out, settings, base_url=PUBLIC).failure


def manifest(out: Path) -> dict:
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


def test_a_missing_listing_page_fails_the_run_and_the_mended_run_resumes(synth_archive, tmp_path):
    broken = Path(shutil.copytree(synth_archive, tmp_path / "site"))
    (broken / "search@page=3.html").unlink()
    out = tmp_path / "out"
    failure = crawl(broken, out)
    assert failure == f"document list incomplete: {PUBLIC}/search?page=3: HTTP 404"
    assert not (out / "latest").exists()
    # Mended, the same command resumes the run: what it fetched is not fetched again.
    shutil.copy(synth_archive / "search@page=3.html", broken / "search@page=3.html")
    failure = crawl(broken, out)
    assert failure is None
    resumed = manifest(out)
    assert resumed["resumed"] is True
    page = (synth_archive / "search@page=3.html").read_text("utf-8")
    moved = {k: v["location"] for k, v in
             json.loads((synth_archive / "_redirects.json").read_text("utf-8")).items()}
    on_page = {PUBLIC + moved.get(link, link)
               for link in re.findall(r'href="(/document/[^"?#]+)"', page)}
    valid = {d["url"] for d in read_jsonl(synth_archive / "_expected" / "documents.jsonl")}
    assert resumed["counts"]["fetched"] == len(on_page & valid)
    assert [without_provenance(r) for r in read_jsonl(out / "latest" / "documents.jsonl")] == \
        read_jsonl(synth_archive / "_expected" / "documents.jsonl")


def test_field_coverage_below_threshold_fails_loudly(synth_archive, tmp_path):
    failure = crawl(synth_archive, tmp_path / "out", {"HARVESTER_MIN_COVERAGE": '{"date": 1.0}'})
    assert failure == ("field coverage below threshold (the site may have changed): date "
                       "50/58 (86%; at least 100%)")
    assert not (tmp_path / "out" / "latest").exists()


def test_a_listing_short_of_its_counter_is_walked_again_then_reported(synth_archive, tmp_path):
    shifted = Path(shutil.copytree(synth_archive, tmp_path / "site"))
    first = (shifted / "search.html").read_text("utf-8")
    second_page = shifted / "search@page=1.html"
    second = second_page.read_text("utf-8")
    links = re.compile(r'href="(/document/[^"?#]+)"')
    # Page 1 repeats a document of page 0 where another one should be, as a listing that
    # shifted between two requests would.
    hidden = links.findall(second)[0]
    second_page.write_text(second.replace(hidden, links.findall(first)[-1]), "utf-8")
    failure = crawl(shifted, tmp_path / "out")
    assert failure == "document list incomplete: listing shows 60 documents, 59 found after " \
                      "2 re-walks"
    assert not (tmp_path / "out" / "latest").exists()
