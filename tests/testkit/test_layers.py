"""The layer rules' checker finds each kind of breach in a package written for the test, and
none in the harvester itself."""

from pathlib import Path

from harvester_testkit.layers import breaches


def package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "harvester"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_the_harvester_keeps_its_layer_rules():
    assert list(breaches()) == []


def test_a_forbidden_import_a_cycle_and_a_store_touched_are_each_named(tmp_path):
    root = package(tmp_path, {
        "sources/a.py": "from harvester.spiders import b\n",
        "spiders/b.py": "import scrapy\n\n\ndef f(run):\n    return run.store.flush()\n",
        "state/c.py": "from harvester.dataset import d\n",
        "dataset/d.py": "from harvester.state import c\n",
        "pages/e.py": "from scrapy.http import HtmlResponse\n",
    })
    assert list(breaches(root)) == [
        "harvester/pages/e.py:1: pages imports scrapy.http",
        "harvester/sources/a.py:1: sources imports harvester.spiders",
        "harvester/spiders/b.py:5: spiders touches the run's store (ask the run)",
        "harvester/dataset/d.py:1: dataset imports state, and state imports dataset "
        "(harvester/state/c.py:1)",
    ]


def test_the_run_and_the_state_may_hold_the_store(tmp_path):
    root = package(tmp_path, {"run/a.py": "def f(run):\n    return run.store\n",
                              "state/b.py": "def g(self):\n    return self.store\n"})
    assert list(breaches(root)) == []


def test_a_setting_written_outside_the_add_ons_and_the_commands_is_named(tmp_path):
    root = package(tmp_path, {
        "spiders/a.py": "def f(crawler):\n    crawler.settings.set('X', 1)\n",
        "middlewares/b.py": "def g(settings):\n    settings['Y'] = 2\n    return settings['Y']\n",
        "settings/c.py": "def h(settings):\n    settings.set('Z', 3, priority='spider')\n",
        "crawl.py": "def i(settings):\n    settings.setdict({'W': 4})\n",
    })
    assert list(breaches(root)) == [
        "harvester/middlewares/b.py:2: middlewares writes a setting (state it for an add-on)",
        "harvester/spiders/a.py:2: spiders writes a setting (state it for an add-on)",
    ]
