"""The layer rules of the `harvester` package, checked by reading every import (`make lint` and
`make test` run `python -m harvester_testkit.layers`; exit 1 with one line a breach).

Where a page came from is the business of one layer, and parsing, judging and keeping state
must not depend on how pages are fetched:

- the sources (where pages come from) import no middlewares, spiders, run or pipelines;
- the fetcher (how a capture source's page is had) imports no spiders, run, pipelines or
  state: it asks the run's ledger only what the capture rules ask;
- the state imports neither Scrapy nor the pages nor the sources;
- spiders reach the state only through the run, and neither they, the pipelines, the
  middlewares nor the extensions hold the run's store: they ask the run's methods;
- pages (pure parsing) and the capture model (plain data) do not import Scrapy, and the capture
  model nothing of the harvester at all;
- no two subpackages import each other;
- only the settings' own add-ons (`harvester/settings/`) and the commands that build a crawl's
  settings before it starts write a setting: no component writes one for another to read.

Every import counts, a function's own and one made only for type checking alike.
"""

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "harvester"
# Subpackage -> what it must not import: other subpackages, or "scrapy" for Scrapy itself.
FORBIDDEN: dict[str, frozenset[str]] = {
    "sources": frozenset({"middlewares", "spiders", "run", "pipelines"}),
    "fetch": frozenset({"spiders", "run", "pipelines", "state"}),
    "state": frozenset({"scrapy", "pages", "sources"}),
    "spiders": frozenset({"state"}),
    "pages": frozenset({"scrapy"}),
    "capture": frozenset({"scrapy", "*"}),
}
# Subpackages that ask the state only through the run's methods, never touching `.store`.
NO_STORE = frozenset({"spiders", "pipelines", "middlewares", "extensions"})
# Who may write a setting: the add-ons, and the commands before the crawl exists.
SETTINGS_WRITERS = frozenset({"settings", "crawl", "commands", "scrapy_commands", "cli"})
SETTING_WRITES = frozenset({"set", "setdict", "setmodule", "update", "setdefault", "delete",
                            "__setitem__"})


def imports(path: Path, root: Path = PACKAGE) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in a file, relative ones made absolute."""
    package = ".".join(("harvester", *path.relative_to(root).parent.parts))
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            yield node.lineno, base


def store_uses(path: Path) -> Iterator[int]:
    """Lines where a file touches an attribute named `store`."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "store":
            yield node.lineno


def store_breaches(path: Path, owner: str, root: Path) -> Iterator[str]:
    if owner in NO_STORE:
        for line in store_uses(path):
            yield f"{path.relative_to(root.parent)}:{line}: {owner} touches the run's store " \
                  "(ask the run)"


def settings_writes(path: Path) -> Iterator[int]:
    """Lines where a file writes into something called `settings` (`settings.set(…)`,
    `crawler.settings.setdict(…)`, `settings[name] = …`)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if _writes_settings(node):
            yield node.lineno


def _writes_settings(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in SETTING_WRITES and _is_settings(node.func.value)
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Subscript) and _is_settings(target.value)
        for target in node.targets)


def _is_settings(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "settings") or \
        (isinstance(node, ast.Attribute) and node.attr == "settings")


def subpackage_of(path: Path, root: Path = PACKAGE) -> str:
    """`sources` for harvester/sources/x.py; a top-level module is its own (`crawl`)."""
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else path.stem


def target_of(module: str) -> str | None:
    """The harvester subpackage a module names, "scrapy" for Scrapy, None for anything else."""
    parts = module.split(".")
    if parts[0] == "scrapy":
        return "scrapy"
    if parts[0] == "harvester" and len(parts) > 1:
        return parts[1]
    return None


def breaches(root: Path = PACKAGE) -> Iterator[str]:
    edges: dict[tuple[str, str], str] = {}
    for path in sorted(root.rglob("*.py")):
        owner = subpackage_of(path, root)
        forbidden = FORBIDDEN.get(owner, frozenset())
        yield from store_breaches(path, owner, root)
        if owner not in SETTINGS_WRITERS:
            yield from (f"{path.relative_to(root.parent)}:{line}: {owner} writes a setting "
                        "(state it for an add-on)" for line in settings_writes(path))
        for line, module in imports(path, root):
            target = target_of(module)
            if target is None or target == owner:
                continue
            where = f"{path.relative_to(root.parent)}:{line}"
            if target in forbidden or ("*" in forbidden and target != "scrapy"):
                yield f"{where}: {owner} imports {module}"
            if target != "scrapy":
                edges.setdefault((owner, target), where)
    importers: dict[str, set[str]] = defaultdict(set)
    for owner, target in edges:
        importers[target].add(owner)
    for (owner, target), where in sorted(edges.items()):
        if owner < target and target in importers[owner]:
            yield (f"{where}: {owner} imports {target}, and {target} imports {owner} "
                   f"({edges[(target, owner)]})")


def main() -> int:
    found = list(breaches())
    for breach in found:
        print(breach)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
