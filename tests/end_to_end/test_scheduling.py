"""The three documented ways to schedule runs: cron, systemd, and a real scrapyd."""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from harvester.cli import build_parser
from tests.helpers.pages import ROOT
from tests.helpers.serving import serve_here, stop

DEPLOY = ROOT / "deploy"


def harvester_arguments(command: str) -> list[str]:
    words = shlex.split(command)
    return words[words.index(next(w for w in words if w.endswith("bin/harvester"))) + 1:]


def test_cron_lines_are_valid_harvester_commands():
    daily, weekly = [x for x in (DEPLOY / "crontab").read_text().splitlines()
                     if x and not x.startswith("#")]
    assert daily.split()[:5] == ["15", "3", "*", "*", "*"]
    args = build_parser().parse_args(harvester_arguments(daily))
    assert (args.command, args.spider, args.incremental, args.source) == (
        "crawl", "archive", True, ["live"])
    assert weekly.split()[:5] == ["30", "4", "*", "*", "0"]
    args = build_parser().parse_args(harvester_arguments(weekly))
    assert (args.spider, args.incremental, args.source, args.out) == (
        "archive", True, ["wayback"], "/var/lib/harvester/wayback")


def test_systemd_service_runs_an_incremental_archive_crawl_and_timer_triggers_it():
    service = (DEPLOY / "harvester.service").read_text()
    exec_start = next(x for x in service.splitlines() if x.startswith("ExecStart="))
    args = build_parser().parse_args(harvester_arguments(exec_start.removeprefix("ExecStart=")))
    assert (args.spider, args.incremental) == ("archive", True)
    assert "Type=oneshot" in service and "KillSignal=SIGTERM" in service
    timer = (DEPLOY / "harvester.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, data: dict | None = None, files: dict | None = None) -> dict:
    if files:
        boundary = "harvester-test-boundary"
        body = b""
        for name, value in (data or {}).items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        for name, content in files.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                     f"filename=\"{name}.egg\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                     ).encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    elif data is not None:
        request = urllib.request.Request(url, urllib.parse.urlencode(data, doseq=True).encode())
    else:
        request = urllib.request.Request(url)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path):
    if shutil.which("scrapyd", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("scrapyd is not installed: `pip install -e .[test]` installs it")
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\nmax_proc = 1\npoll_interval = 0.1\n")
    process = subprocess.Popen([str(Path(sys.executable).parent / "scrapyd")], cwd=home,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # only so a scrapyd that never starts cannot hang the suite
    while time.monotonic() < deadline:
        try:
            call(f"{url}/daemonstatus.json")
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("scrapyd did not start")
    yield url, home
    process.terminate()
    process.wait(20)


def build_egg(tmp_path: Path) -> bytes:
    egg = tmp_path / "harvester.egg"
    subprocess.run([str(Path(sys.executable).parent / "scrapyd-deploy"), "--build-egg",
                    str(egg)], cwd=ROOT, check=True, capture_output=True)
    return egg.read_bytes()


def test_scrapyd_runs_the_archive_spider_against_a_served_mirror(scrapyd, tmp_path):
    url, home = scrapyd
    mirror = tmp_path / "mirror"
    subprocess.run([sys.executable, "-m", "harvester.cli", "mirror", "synth", str(mirror),
                    "--documents", "30", "--topics", "3", "--seed", "7"], check=True,
                   capture_output=True)
    from harvester.mirror.server import base_url

    server = serve_here(mirror)
    out = tmp_path / "out"
    try:
        deployed = call(f"{url}/addversion.json", {"project": "harvester", "version": "1"},
                        {"egg": build_egg(tmp_path)})
        assert deployed["status"] == "ok", deployed
        assert "archive" in call(
            f"{url}/listspiders.json?project=harvester")["spiders"]
        job = call(f"{url}/schedule.json", {
            "project": "harvester", "spider": "archive",
            "setting": [f"HARVESTER_BASE_URL={base_url(server)}",
                        f"HARVESTER_OUTPUT_DIR={out}",
                        "HARVESTER_PUBLIC_BASE_URL=https://digitalarchive.wilsoncenter.org"]})
        assert job["status"] == "ok"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            jobs = call(f"{url}/listjobs.json?project=harvester")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the scheduled job did not finish")
    finally:
        stop(server)
    log = next((home / "logs").rglob("*.log")).read_text("utf-8")
    assert (out / "latest").is_symlink(), log[-3000:]
    published = sorted(
        json.loads(line)["record_id"]
        for line in (out / "latest" / "documents.jsonl").read_text("utf-8").splitlines())
    expected = sorted(
        json.loads(line)["record_id"]
        for line in (mirror / "_expected" / "documents.jsonl").read_text("utf-8").splitlines())
    assert published == expected
    assert os.path.exists(out / "latest" / "manifest.json")


def test_user_agent_names_the_project_and_the_contact_url(tmp_path):
    from scrapy.crawler import Crawler

    from harvester.crawl import project_settings
    from harvester.spiders.topic import TopicSpider

    settings = project_settings({"HARVESTER_CONTACT_URL": "https://example.org/ops",
                                 "HARVESTER_OUTPUT_DIR": str(tmp_path)})
    crawler = Crawler(TopicSpider, settings)
    crawler._create_spider(base_url="https://digitalarchive.wilsoncenter.org")
    assert crawler.settings["USER_AGENT"].startswith("harvester/")
    assert crawler.settings["USER_AGENT"].endswith("(+https://example.org/ops)")
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
    assert delay * (1 - crawler.settings.getfloat("DOWNLOAD_DELAY_JITTER")) >= 1.0
    assert crawler.settings.getbool("ROBOTSTXT_OBEY")
    assert crawler.settings.getbool("AUTOTHROTTLE_ENABLED")
