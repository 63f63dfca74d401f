"""The one table the benchmark prints (Markdown, so it pastes into BENCHMARKS.md), and the machine it ran on."""

from __future__ import annotations

import datetime
import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

COLUMNS = ("Scenario", "Target", "Median", "p99", "Peak memory", "Floor (plain PostgreSQL)", "Ratio", "Result")


@dataclass
class Result:
    scenario: str
    target: str
    median: str = "–"
    p99: str = "–"
    peak: str = "–"
    floor: str = "–"
    ratio: str = "–"
    outcome: str = "n/a"  # pass | FAIL | info | not available | error | skipped
    notes: list[str] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    def row(self):
        return (self.scenario, self.target, self.median, self.p99, self.peak, self.floor, self.ratio, self.outcome)


def unavailable(scenario: str, target: str, why: str) -> Result:
    return Result(scenario, target, outcome="not available", notes=[why])


def ratio(app_seconds, floor_seconds) -> str:
    """How many times the floor's time the app needs for the same work."""
    if not app_seconds or not floor_seconds:
        return "–"
    return f"{app_seconds / floor_seconds:.1f}×"


def table(results: list[Result]) -> str:
    rows = [COLUMNS] + [r.row() for r in results]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def notes(results: list[Result]) -> str:
    out = []
    for r in results:
        for note in r.notes:
            out.append(f"- {r.scenario}: {note}")
    return "\n".join(out)


def machine(pg_version: str, server: str) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "server": server,
    }


def render(results: list[Result], info: dict) -> str:
    head = "\n".join(f"- {key}: {value}" for key, value in info.items())
    return f"{head}\n\n{table(results)}\n\nNotes:\n{notes(results)}\n"


def save(out_dir: Path, results: list[Result], info: dict, text: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.md").write_text(text)
    (out_dir / "latest.json").write_text(json.dumps({"machine": info, "results": [asdict(r) for r in results]},
                                                    indent=2, default=str))
