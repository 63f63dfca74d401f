"""The app under gunicorn as in production, started and always stopped by the harness.

Each server runs in its own process group (start_new_session), so stopping it
kills the master and every worker it forked, whatever happened in between.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

_running: list["Gunicorn"] = []


def port_range() -> tuple[int, int]:
    """Inclusive bounds for the servers' ports: BENCH_PORTS=8700-8799 keeps a run inside the ports
    one engineer was given on a shared machine; by default below the kernel's ephemeral range."""
    low, _, high = os.environ.get("BENCH_PORTS", "20000-29999").partition("-")
    return int(low), int(high or low)


def free_port() -> int:
    """A free port in port_range(), below the ephemeral range, so no outgoing connection can take it meanwhile."""
    rng = random.Random()
    low, high = port_range()
    for _ in range(200):
        port = rng.randint(low, high)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high} on 127.0.0.1")


class Gunicorn:
    def __init__(self, env: dict, *, workers: int = 2, worker_class: str = "gthread", threads: int = 4,
                 log: Path, name: str = "app"):
        self.env, self.workers, self.worker_class, self.threads = env, workers, worker_class, threads
        self.log, self.name = log, name
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def describe(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"{self.workers} {self.worker_class} worker(s){threads}"

    def start(self, timeout: float = 60) -> "Gunicorn":
        args = [
            str(GUNICORN), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--worker-class", self.worker_class, "--threads", str(self.threads),
            "--timeout", "120", "--graceful-timeout", "5", "--keep-alive", "5",
            "--log-level", "warning", "--error-logfile", "-",
        ]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        logfile = open(self.log, "ab")
        self.proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        logfile.close()
        _running.append(self)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) exited with {self.proc.returncode}; see {self.log}:\n"
                                   + self.log_tail())
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200 and len(self.worker_pids()) >= self.workers:
                    return
                last = f"HTTP {response.status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn ({self.name}) not ready after {timeout:.0f} s ({last}); see {self.log}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def peak_rss_kb(self) -> int | None:
        """Highest VmHWM among the workers: each worker's own peak resident memory since it started."""
        peaks = [vm_hwm_kb(pid) for pid in self.worker_pids()]
        peaks = [p for p in peaks if p is not None]
        return max(peaks) if peaks else None

    def cpu_seconds(self) -> float:
        """User + system CPU the workers have used so far: the server's cost, whatever else runs."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        # Workers that outlived their master (they should not) die with the group.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self in _running:
            _running.remove(self)
        self.proc = None

    def __enter__(self):
        return self if self.proc is not None else self.start()

    def __exit__(self, *exc):
        self.stop()


def vm_hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime are fields 14 and 15 of stat(5); [0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_all():
    for server in list(_running):
        server.stop()


def clean_up(db_url: str, keep_db: bool) -> None:
    """What every harness does on its way out, whatever happened: stop the gunicorns it
    started, close Django's connections, and drop its database unless asked to keep it."""
    import db  # bench/db.py, beside this file

    stop_all()
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    if not keep_db:
        db.drop(db_url)
