"""Add the harvester's lines (deploy/crontab) to the user's crontab, keeping every line of the
user's own: they go between two marker lines, and running this again replaces only what is
between them. `make cron` runs it; `--dry-run` prints the crontab it would install.

The contact is required: HARVESTER_CONTACT_URL, how the archive's operators can reach whoever
runs the harvest (an http(s) URL or a mailto: address; example.* placeholders are refused).
HARVESTER_HOME (default: this project folder) and HARVESTER_DATA (default /var/lib/harvester)
say where the project and the output folders are.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATE = PROJECT / "deploy" / "crontab"
BEGIN = "# >>> harvester (deploy/crontab, installed by `make cron`; edit there, run again) >>>"
END = "# <<< harvester <<<"
CONTACT = re.compile(r"^(mailto:[^\s@]+@[^\s@]+|https?://[^\s/]+(/\S*)?)$")
PLACEHOLDER = re.compile(r"(^|[@.])example\.(com|org|net)([/:]|$)")


class Refused(Exception):
    """What is missing, in one line (exit 2)."""


def contact() -> str:
    value = os.environ.get("HARVESTER_CONTACT_URL", "").strip()
    if not value:
        raise Refused("set HARVESTER_CONTACT_URL (an http(s) URL or a mailto: address where the "
                      "archive's operators can reach you), e.g. HARVESTER_CONTACT_URL=mailto:"
                      "you@your.domain make cron")
    host = value.removeprefix("mailto:").split("://")[-1]
    if not CONTACT.match(value) or PLACEHOLDER.search(host):
        raise Refused(f"HARVESTER_CONTACT_URL={value!r} is not a contact of yours: give an "
                      "http(s) URL or a mailto: address that reaches you")
    return value


def our_lines() -> list[str]:
    """The template's lines after its first blank line (its header says how it is used),
    filled in."""
    home = os.environ.get("HARVESTER_HOME") or str(PROJECT)
    data = os.environ.get("HARVESTER_DATA") or "/var/lib/harvester"
    # cron reads an unescaped % as the end of the command.
    fill = {key: shlex.quote(value).replace("%", "\\%") for key, value in (
        ("@HOME@", home), ("@CONTACT@", contact()), ("@DATA@", data.rstrip("/")))}
    lines = TEMPLATE.read_text("utf-8").splitlines()
    body = lines[lines.index("") + 1:]
    filled = []
    for line in body:
        for key, value in fill.items():
            line = line.replace(key, value)
        filled.append(line)
    return filled


def without_ours(lines: list[str]) -> list[str]:
    """The user's own lines: everything outside our markers."""
    kept, inside = [], False
    for line in lines:
        if line == BEGIN:
            inside = True
        elif line == END and inside:
            inside = False
        elif not inside:
            kept.append(line)
    return kept


def current_crontab() -> list[str]:
    if shutil.which("crontab") is None:
        raise Refused("no crontab program on this machine: install cron, or schedule with "
                      "systemd (deploy/harvester.service and harvester.timer)")
    listed = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    return listed.stdout.splitlines() if listed.returncode == 0 else []  # none yet


def merged(ours: list[str], current: list[str]) -> str:
    kept = without_ours(current)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, *([""] if kept else []), BEGIN, *ours, END]) + "\n"


def main(argv: list[str]) -> int:
    try:
        crontab = merged(our_lines(), current_crontab())
    except Refused as refused:
        print(f"install_cron: {refused}", file=sys.stderr)
        return 2
    if "--dry-run" in argv:
        print(crontab, end="")
        return 0
    subprocess.run(["crontab", "-"], input=crontab, text=True, check=True)
    print("install_cron: the harvester's lines are in your crontab (`crontab -l` shows them)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
