"""Planted inconsistencies (tests/data/suggest/planted): per-kind recall and overall precision of the five checks."""
import collections
import datetime
import json
import pathlib

from annotate.suggest import analyse

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "suggest" / "planted"
KINDS = ("count_vs_list", "implied_base", "parts_exceed", "restated", "dates")
# Floors set at the values measured on this set (all 1.0 at commit time), rounded down a little.
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.95


def _quotes(problem):
    return " ".join(place["quote"] for place in problem["detail"]["places"])


def _matches(problem, planted):
    return problem["detail"]["check"] == planted["kind"] and any(s in _quotes(problem) for s in planted["spans"])


def _measure():
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    hits, totals, true_pos, false_pos = collections.Counter(), collections.Counter(), [], []
    for name, entry in manifest.items():
        body = (DATA / name).read_text(encoding="utf-8")
        _, problems, _ = analyse(body, datetime.date.fromisoformat(entry["published"]))
        for p in problems:
            (true_pos if any(_matches(p, x) for x in entry["planted"]) else false_pos).append((name, p["detail"]["check"], _quotes(p)))
        for x in entry["planted"]:
            totals[x["kind"]] += 1
            hits[x["kind"]] += any(_matches(p, x) for p in problems)
    return hits, totals, true_pos, false_pos


def test_every_kind_is_planted_at_least_twice():
    _, totals, _, _ = _measure()
    assert all(totals[k] >= 2 for k in KINDS), totals


def test_planted_recall_per_kind_and_precision():
    hits, totals, true_pos, false_pos = _measure()
    recall = {k: hits[k] / totals[k] for k in KINDS}
    precision = len(true_pos) / max(len(true_pos) + len(false_pos), 1)
    print("recall", recall, "precision", round(precision, 3))
    assert all(r >= RECALL_FLOOR for r in recall.values()), recall
    assert precision >= PRECISION_FLOOR, false_pos
