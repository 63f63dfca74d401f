"""Load generation: wrk (C, event loop, one thread) for concurrent writes; a keep-alive
Python client for sequential page and API timings; curl for the big streamed exports.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

WRK = shutil.which("wrk") or "/usr/bin/wrk"

# The Lua side: a table of distinct request bodies, a counter per wrk thread so
# every request carries other offsets, status counting in response(), and one
# JSON line from done() with throughput, latency percentiles and failures.
LUA = r"""
local bodies = {
%(bodies)s
}
local path = %(path)s
local headers = {
%(headers)s
}
local n = #bodies
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7919
  ok = 0
  bad = 0
  first_bad = ""
end

function request()
  counter = counter + 1
  return wrk.format("POST", path, headers, bodies[(counter %% n) + 1])
end

function response(status, hdrs, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local good, failed, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    failed = failed + t:get("bad")
    if sample == "" then sample = t:get("first_bad") end
  end
  sample = string.gsub(sample, '[%%c"\\]', " ")
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "ok": %%d, "bad": %%d, "p50_us": %%d, "p90_us": %%d,' ..
    ' "p99_us": %%d, "max_us": %%d, "socket_errors": %%d, "first_bad": "%%s"}\n',
    summary.requests, summary.duration, good, failed, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, sample))
end
"""


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def write_lua(target: Path, path: str, headers: dict[str, str], bodies: list[str]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(LUA % {
        "bodies": ",\n".join(_lua_string(b) for b in bodies),
        "path": _lua_string(path),
        "headers": ",\n".join(f"  [ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()),
    })
    return target


def wrk(port: int, script: Path, *, seconds: int = 8, connections: int = 16, threads: int = 1,
        timeout: str = "5s") -> dict:
    """Run wrk for a fixed time against 127.0.0.1; returns the numbers done() printed."""
    args = [WRK, "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
            "--timeout", timeout, "-s", str(script), f"http://127.0.0.1:{port}/"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=seconds + 30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    match = re.search(r"^WRKJSON (.*)$", out, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{out[-2000:]}")
    result = json.loads(match.group(1))
    result["rate"] = result["ok"] / (result["duration_us"] / 1e6)
    return result


class Client:
    """One keep-alive HTTP/1.1 connection to the app on 127.0.0.1."""

    def __init__(self, port: int, headers: dict[str, str] | None = None, timeout: float = 60):
        self.port, self.timeout = port, timeout
        self.headers = dict(headers or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers, body bytes, seconds to the last byte)."""
        merged = {**self.headers, **(headers or {})}
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=merged)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed the idle connection: one retry on a fresh one.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            self.conn.request(method, path, body=body, headers=merged)
            response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, dict(response.getheaders()), data, elapsed

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def close(self):
        self.conn.close()


def local_path(url: str) -> str:
    """The path and query of an absolute `next` link (the host is ours anyway)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def curl_download(port: int, path: str, headers: dict[str, str], timeout: int = 180) -> dict:
    """Stream a response through curl (C, so the client never limits the server); time to the last byte.

    The body is counted (bytes, lines) as it passes and never stored: a 1,000,000-verdict
    export is most of a gigabyte.
    """
    args = ["curl", "-sS", "--max-time", str(timeout), "-o", "-",
            "-w", "%{stderr}CURL %{http_code} %{size_download} %{time_starttransfer} %{time_total}\n"]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    args.append(f"http://127.0.0.1:{port}{path}")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    lines = size = 0
    head = b""
    try:
        while True:
            block = proc.stdout.read(1 << 20)
            if not block:
                break
            if len(head) < 300:
                head += block[: 300 - len(head)]
            size += len(block)
            lines += block.count(b"\n")
        err = proc.stderr.read().decode(errors="replace")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    match = re.search(r"^CURL (\d+) (\d+) ([\d.]+) ([\d.]+)$", err, re.M)
    if proc.returncode != 0 or not match:
        raise RuntimeError(f"curl failed ({proc.returncode}): {err.strip()[:300]}")
    status, _, first, total = match.groups()
    return {"status": int(status), "bytes": size, "lines": lines, "head": head, "first_byte": float(first),
            "seconds": float(total)}
