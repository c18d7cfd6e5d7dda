"""Subcommands of `harvester`: each module listed here has `register(subparsers)` that adds its
parser and sets `handler` to a function taking the parsed arguments and returning an exit code
(`writable` is a helper they share)."""

COMMAND_MODULES = [
    "harvester.commands.crawl",
    "harvester.commands.parse",
    "harvester.commands.serve",
    "harvester.commands.demo",
    "harvester.commands.export",
    "harvester.commands.browse",
    "harvester.commands.validate",
    "harvester.commands.mirror",
    "harvester.commands.prune",
    "harvester.commands.topics",
]
