"""A free TCP port for a server a test starts. (The distributed system as separate
processes, which this module once held, is `tests/cluster_kit.py`.)"""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
