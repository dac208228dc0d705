"""The load and what it costs: wrk driven by a Lua script of our own (a request shape
with a random ticket number or keyword, non-2xx answers counted, percentiles in JSON),
wrk's own CPU share, and the CPU seconds of the server processes from /proc."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from tickets_scale import _busy, _cpu

TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Cell:
    """One request shape: `before` + a random pick (ticket number or keyword) + `after`."""

    method: str
    before: str
    after: str = ""
    pick: str | None = None  # "ticket", "keyword", "row" or nothing
    body: dict[str, Any] | None = None


# ---------------------------------------------------------------------------------------
# The load generator: wrk with a script of our own.
# ---------------------------------------------------------------------------------------

LUA = Template(r"""
local choices = {$choices}
local method, before, after = "$method", $before, $after
local body = $body
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failed = 0
  math.randomseed($seed)
end

function request()
  local path = before
  if #choices > 0 then
    path = before .. choices[math.random(#choices)] .. after
  end
  return wrk.format(method, path, nil, body)
end

function response(status, headers, answer)
  if status < 200 or status > 299 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local non_2xx = 0
  for _, thread in ipairs(threads) do
    non_2xx = non_2xx + thread:get("failed")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, non_2xx, e.connect + e.read + e.write + e.timeout,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99))))
end
""")


def _lua_string(text: str) -> str:
    # A JSON string literal is a valid Lua one as long as it has no \u escapes.
    return json.dumps(text, ensure_ascii=False)


def lua_script(cell: Cell, token: str, choices: list[str], workdir: Path, name: str) -> Path:
    body = json.dumps(cell.body, ensure_ascii=False) if cell.body else None
    script = workdir / f"{name}.lua"
    script.write_text(
        LUA.substitute(
            choices=", ".join(_lua_string(c) for c in choices),
            method=cell.method,
            before=_lua_string(cell.before),
            after=_lua_string(cell.after),
            body=_lua_string(body) if body else "nil",
            token=token,
            seed=random.randrange(1, 2**31),
        )
    )
    return script


def wrk_version() -> str:
    shown = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\d+\.\d+\.\d+", shown)
    return found.group(0) if found else "unknown"


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


async def run_wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    """One wrk run: its counts and percentiles, and its own CPU share of the wall time."""
    cpu, began = _children_cpu(), time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        "wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
        "-s", str(script), url,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    wall = time.perf_counter() - began
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {err.decode()[-1000:]}")
    raw = json.loads(lines[-1])
    duration = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(duration, 2),
        "req_per_s": round(raw["requests"] / duration, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "errors": raw["non_2xx"] + raw["socket_errors"],
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
        "load_generator_cpu_share": round((_children_cpu() - cpu) / wall, 3),
    }


# ---------------------------------------------------------------------------------------
# CPU seconds of the servers, from /proc.
# ---------------------------------------------------------------------------------------


def _stat(pid: int | str) -> tuple[str, list[str]] | None:
    """(command name, the fields after it) of /proc/<pid>/stat, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    head, _, tail = text.rpartition(")")
    return head.partition("(")[2], tail.split()


def process_cpu(pid: int) -> float | None:
    found = _stat(pid)
    return (int(found[1][11]) + int(found[1][12])) / TICK if found else None


def postgres_cpu() -> float | None:
    """The whole PostgreSQL server: every `postgres` process, with the ended backends
    counted in their parent's (the postmaster's) children's time."""
    total, seen = 0, False
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or (found := _stat(entry)) is None or found[0] != "postgres":
            continue
        fields, seen = found[1], True
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / TICK if seen else None  # None: the server runs elsewhere


class Meter:
    """CPU of the server processes and of the machine around one run."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def sample(self) -> tuple[tuple[int, int], dict[str, float | None]]:
        used = {name: process_cpu(pid) for name, pid in self.pids.items()}
        used["postgres"] = postgres_cpu()
        return _cpu(), used

    def report(
        self, started: tuple[tuple[int, int], dict[str, float | None]], requests: int
    ) -> dict[str, Any]:
        machine, before = started
        after = self.sample()[1]
        per_request = {}
        for name, used in before.items():
            if used is not None and (now := after[name]) is not None:
                per_request[name] = round((now - used) * 1000 / max(requests, 1), 2)
        return {"cpu_ms_per_request": per_request, "machine_cpu_pct": _busy(machine)}
