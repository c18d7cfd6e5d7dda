"""The three documented ways to schedule runs: cron, systemd, and a real scrapyd."""

import importlib.util
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


def load_installer():
    spec = importlib.util.spec_from_file_location("install_cron", DEPLOY / "install_cron.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONTACT = "mailto:ops@harvest.test"


def test_cron_lines_are_valid_harvester_commands_naming_the_contact(monkeypatch):
    monkeypatch.setenv("HARVESTER_CONTACT_URL", CONTACT)
    monkeypatch.setenv("HARVESTER_DATA", "/srv/harvest")
    daily, weekly = [x for x in load_installer().our_lines() if x and not x.startswith("#")]
    assert daily.split()[:5] == ["15", "3", "*", "*", "*"]
    assert f"env HARVESTER_CONTACT_URL={CONTACT} " in daily
    args = build_parser().parse_args(harvester_arguments(daily))
    assert (args.command, args.spider, args.incremental, args.source, args.out) == (
        "crawl", "archive", True, ["live"], "/srv/harvest/output")
    assert weekly.split()[:5] == ["30", "4", "*", "*", "0"]
    assert f"env HARVESTER_CONTACT_URL={CONTACT} " in weekly
    args = build_parser().parse_args(harvester_arguments(weekly))
    assert (args.spider, args.incremental, args.source, args.out) == (
        "archive", True, ["wayback"], "/srv/harvest/wayback")


FAKE_CRONTAB = """#!/bin/sh
case "$1" in
  -l) if [ -f "$CRONTAB_FILE" ]; then cat "$CRONTAB_FILE"; else echo "no crontab" >&2; exit 1; fi ;;
  -) cat > "$CRONTAB_FILE" ;;
esac
"""


def install(tmp_path: Path, contact: str | None) -> subprocess.CompletedProcess:
    """`make cron`'s script, with a stand-in crontab(1) keeping the table in a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "crontab").write_text(FAKE_CRONTAB)
    (bin_dir / "crontab").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "CRONTAB_FILE": str(tmp_path / "table")}
    env.pop("HARVESTER_CONTACT_URL", None)
    if contact is not None:
        env["HARVESTER_CONTACT_URL"] = contact
    return subprocess.run([sys.executable, str(DEPLOY / "install_cron.py")], env=env,
                          capture_output=True, text=True, timeout=60)


def test_installing_the_cron_lines_keeps_the_users_own_and_twice_is_once(tmp_path):
    own = "MAILTO=me@harvest.test\n0 1 * * * /usr/local/bin/backup\n"
    (tmp_path / "table").write_text(own)
    for _ in range(2):
        assert install(tmp_path, CONTACT).returncode == 0
    table = (tmp_path / "table").read_text()
    installer = load_installer()
    assert table.startswith(own + "\n" + installer.BEGIN + "\n")
    assert table.endswith(installer.END + "\n")
    assert table.count(installer.BEGIN) == 1
    assert len([x for x in table.splitlines() if "bin/harvester crawl" in x]) == 2


@pytest.mark.parametrize(("contact", "message"), [
    (None, "install_cron: set HARVESTER_CONTACT_URL (an http(s) URL or a mailto: address where "
           "the archive's operators can reach you), e.g. HARVESTER_CONTACT_URL=mailto:"
           "you@your.domain make cron\n"),
    ("mailto:you@example.org", "install_cron: HARVESTER_CONTACT_URL='mailto:you@example.org' "
                               "is not a contact of yours: give an http(s) URL or a mailto: "
                               "address that reaches you\n"),
])
def test_the_cron_lines_are_not_installed_without_a_real_contact(tmp_path, contact, message):
    (tmp_path / "table").write_text("0 1 * * * backup\n")
    done = install(tmp_path, contact)
    assert (done.returncode, done.stderr) == (2, message)
    assert (tmp_path / "table").read_text() == "0 1 * * * backup\n"


def test_systemd_service_runs_an_incremental_archive_crawl_and_timer_triggers_it():
    service = (DEPLOY / "harvester.service").read_text()
    exec_start = next(x for x in service.splitlines() if x.startswith("ExecStart="))
    args = build_parser().parse_args(harvester_arguments(exec_start.removeprefix("ExecStart=")))
    assert (args.spider, args.incremental) == ("archive", True)
    assert "Type=oneshot" in service and "KillSignal=SIGTERM" in service
    # The contact is the operator's own, from a file the unit does not start without; no
    # placeholder silences the warning of a crawl without one.
    assert "EnvironmentFile=/etc/harvester.env" in service.splitlines()
    assert not [x for x in service.splitlines() if x.startswith("Environment=HARVESTER_CONTACT")]
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


def schedule(url: str, settings: list[str]) -> str:
    """Schedule the archive spider with these settings and wait for it to finish: its job id."""
    job = call(f"{url}/schedule.json", {"project": "harvester", "spider": "archive",
                                        "setting": settings})
    assert job["status"] == "ok"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        jobs = call(f"{url}/listjobs.json?project=harvester")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            return job["jobid"]
        time.sleep(0.1)
    pytest.fail("the scheduled job did not finish")


def job_log(home: Path, job: str) -> str:
    return next((home / "logs").rglob(f"{job}.log")).read_text("utf-8")


def test_scrapyd_runs_the_archive_spider_and_its_log_tells_published_from_refused(
        scrapyd, tmp_path):
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
        published = schedule(url, [
            f"HARVESTER_BASE_URL={base_url(server)}", f"HARVESTER_OUTPUT_DIR={out}",
            "HARVESTER_PUBLIC_BASE_URL=https://digitalarchive.wilsoncenter.org"])
        # A site nobody answers at: the job is refused, and scrapyd lists it finished too.
        refused = schedule(url, [
            f"HARVESTER_BASE_URL=http://127.0.0.1:{free_port()}",
            f"HARVESTER_OUTPUT_DIR={tmp_path / 'elsewhere'}", "HARVESTER_BACKOFF_BASE=0.01",
            "HARVESTER_BACKOFF_MAX=0.05"])
    finally:
        stop(server)
    log = job_log(home, published)
    assert (out / "latest").is_symlink(), log[-3000:]
    assert "'finish_reason': 'published'" in log
    assert "'finish_reason': 'refused'" in job_log(home, refused)
    published_ids = sorted(
        json.loads(line)["record_id"]
        for line in (out / "latest" / "documents.jsonl").read_text("utf-8").splitlines())
    expected = sorted(
        json.loads(line)["record_id"]
        for line in (mirror / "_expected" / "documents.jsonl").read_text("utf-8").splitlines())
    assert published_ids == expected
    assert os.path.exists(out / "latest" / "manifest.json")


def test_user_agent_names_the_project_and_the_contact_url(tmp_path):
    from scrapy.crawler import Crawler

    from harvester.crawl import project_settings
    from harvester.spiders.topic import TopicSpider

    settings = project_settings({"HARVESTER_CONTACT_URL": "https://example.org/ops",
                                 "HARVESTER_OUTPUT_DIR": str(tmp_path)})
    crawler = Crawler(TopicSpider, settings)
    crawler.spider = crawler._create_spider(base_url="https://digitalarchive.wilsoncenter.org")
    crawler.addons.load_settings(crawler.settings)   # the spider's add-ons, as a crawl applies them
    assert crawler.settings["USER_AGENT"].startswith("harvester/")
    assert crawler.settings["USER_AGENT"].endswith("(+https://example.org/ops)")
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
    assert delay * (1 - crawler.settings.getfloat("DOWNLOAD_DELAY_JITTER")) >= 1.0
    assert crawler.settings.getbool("ROBOTSTXT_OBEY")
    assert crawler.settings.getbool("AUTOTHROTTLE_ENABLED")
