"""Every option and argument says what it is for, and its default where it has one."""

import argparse

import pytest
import scrapy

from harvester import harvester_version
from harvester.cli import build_parser, main, subparsers


def every_action():
    parser = build_parser()
    for command in [parser, *subparsers(parser)]:
        for action in command._actions:
            if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                yield command.prog, action


def test_every_option_and_argument_has_help():
    missing = [f"{prog} {action.option_strings or action.dest}"
               for prog, action in every_action() if not action.help]
    assert missing == []


@pytest.mark.parametrize(("argv", "shown"), [
    (["serve"], "0 picks a free port (default: 8000)"),
    (["serve"], "seconds before each answer (default: 0.0)"),
    (["serve"], "close a connection that sends nothing for S seconds (default: 30.0)"),
    (["prune"], "the output folder whose runs to prune ($HARVESTER_OUTPUT_DIR) (default: output)"),
])
def test_help_shows_defaults(argv, shown, capsys, monkeypatch):
    monkeypatch.delenv("HARVESTER_OUTPUT_DIR", raising=False)
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    assert shown in " ".join(capsys.readouterr().out.split())


def test_flags_and_unset_options_show_no_default(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: False)" not in text and "(default: None)" not in text
    assert "log each request (default" not in text


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith(
        f"harvester {harvester_version()} (Scrapy {scrapy.__version__}, Python 3.")
    assert harvester_version() == "0.1.0"
