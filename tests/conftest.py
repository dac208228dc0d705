from __future__ import annotations

from pathlib import Path

import pytest
from skeleton import Processes


@pytest.fixture
def processes(tmp_path: Path):
    procs = Processes(tmp_path)
    yield procs
    procs.stop_all()
