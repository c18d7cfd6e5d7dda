"""The stand-in Wayback Machine the mirror tests query: started on a small store built for the
test, with faults if asked, and shut down when the test ends."""

import pytest

from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.mirror.wayback.server import serve_in_background
from harvester.mirror.wayback.store import write_store
from tests.helpers.standin_client import CAPTURES


@pytest.fixture
def standin(tmp_path):
    servers = []

    def start(captures=CAPTURES, faults: str | None = None, blocked: tuple[str, ...] = ()):
        store = tmp_path / f"store{len(servers)}"
        write_store(store, captures, blocked=blocked)
        plan = FaultPlan(parse_spec(faults)) if faults else None
        servers.append(serve_in_background(store, faults=plan))
        return servers[-1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()

