"""A real SMTP server for tests, run as its own process (aiosmtpd).

`python smtp_sink.py PORT DIRECTORY [REFUSE_CODE]` accepts every mail and stores it in
DIRECTORY as an `.eml` file, or, given REFUSE_CODE (e.g. 451), refuses each one with
that reply and counts the attempt in `refused.log`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory: Path, refuse: int | None) -> None:
        self.directory = directory
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse is not None:
            with (self.directory / "refused.log").open("a") as log:
                log.write(" ".join(envelope.rcpt_tos) + "\n")
            return f"{self.refuse} Refused by the test server"
        name = f"{time.time_ns():020d}"
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(envelope.original_content)
        os.replace(tmp, self.directory / f"{name}.eml")
        return "250 OK"


def main() -> None:
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    refuse = int(sys.argv[3]) if len(sys.argv) > 3 else None
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(directory, refuse), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
