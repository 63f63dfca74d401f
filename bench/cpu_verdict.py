"""Server CPU of single requests: the gunicorn workers and the PostgreSQL backends of one database.

Read from /proc in nanoseconds (`schedstat`: time on a CPU, every thread of the process)
rather than from `stat` in clock ticks (10 ms), so one request of a few milliseconds can be
measured on its own: `Meter.sample()` before and after it, `Meter.delta()` between the two.
PostgreSQL backends are found as the postmaster's children whose process title names the
database ("postgres: … <user> <database> <client> …"), which needs no SQL and so costs the
server nothing; the harness's own connections are left out by pid.

What this does not count: the postmaster and PostgreSQL's background processes (WAL writer,
checkpointer), the gunicorn master, and any CPU a backend spent after its last sample if it
exits within the window (`Delta.ended` says how many did; with persistent connections, none).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICK_NS = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def cpu_ns(pid: int) -> int | None:
    """Time on a CPU of every thread of `pid` so far, in ns; None when the process is gone."""
    total, found = 0, False
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tasks:
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
            found = True
        except (OSError, ValueError, IndexError):
            try:  # no schedstat on this kernel: utime + stime in clock ticks
                fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) * TICK_NS
                found = True
            except (OSError, ValueError, IndexError):
                continue
    return total if found else None


def parent_pid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def title(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class Delta:
    workers_ns: int
    postgres_ns: int
    ended: int  # processes present in the first sample and gone in the second

    @property
    def total_ns(self) -> int:
        return self.workers_ns + self.postgres_ns


class Meter:
    """CPU of a gunicorn server's workers plus the backends serving `database`.

    `postmaster` is found from any backend pid (the harness's own connection, which is then
    excluded along with `exclude`)."""

    def __init__(self, server, database: str, own_backend: int, exclude=()):
        self.server = server
        self.postmaster = parent_pid(own_backend)
        self.marker = f" {database} "
        self.exclude = {own_backend, *exclude}

    def backends(self) -> list[int]:
        return [pid for pid in children(self.postmaster)
                if pid not in self.exclude and self.marker in title(pid)]

    def sample(self) -> dict:
        workers = {pid: cpu_ns(pid) for pid in self.server.worker_pids()}
        backends = {pid: cpu_ns(pid) for pid in self.backends()}
        return {"workers": {p: v for p, v in workers.items() if v is not None},
                "postgres": {p: v for p, v in backends.items() if v is not None}}

    @staticmethod
    def delta(before: dict, after: dict) -> Delta:
        parts, ended = {}, 0
        for kind in ("workers", "postgres"):
            old, new = before[kind], after[kind]
            # A process born in the window counts from zero: its start-up is part of the cost.
            parts[kind] = sum(value - old.get(pid, 0) for pid, value in new.items())
            ended += len(old.keys() - new.keys())
        return Delta(parts["workers"], parts["postgres"], ended)


def backend_ns(pid: int) -> int:
    """CPU of one backend (a floor's own connection) so far, in ns."""
    value = cpu_ns(pid)
    if value is None:
        raise RuntimeError(f"PostgreSQL backend {pid} is not readable in /proc")
    return value
