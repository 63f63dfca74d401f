"""Suggestions for a 20,000-word article (target: under 1 s), and the labelled set's precision/recall.

    .venv/bin/python bench/suggest.py      (also run by `make bench`)

The article is built from the labelled set's sentences (tests/data/suggest/), repeated
with its numbers varied, so it has the shape of news prose; timed is the pure analysis
(annotate.suggest.analyse), the median of five runs.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from annotate.suggest import analyse  # noqa: E402
from tests.suggest.labelled import evaluate, load_checkworthy  # noqa: E402


def article(words=20_000):
    paragraphs, count, n = [], 0, 0
    articles = load_checkworthy()
    while count < words:
        for a in articles:
            for p in a.paragraphs:
                text = " ".join(t for _, t in p).replace("20", str(20 + n % 7))
                paragraphs.append(text)
                count += len(text.split())
            n += 1
    return "\n\n".join(paragraphs)


def main():
    body = article()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        worthy, problems, scored = analyse(body)
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    print(f"suggestions: {len(body.split()):,} words, {len(scored):,} sentences, {len(worthy):,} check-worthy, "
          f"{len(problems):,} inconsistencies: median {median:.3f} s (target < 1 s) {'OK' if median < 1 else 'TOO SLOW'}")
    scores = evaluate()
    for name, (p, r, n) in ((k, v) for k, v in scores.items() if k != "train"):
        print(f"  {name:<11} precision {p:.3f} recall {r:.3f} on {n} sentences")
    print(f"  model trained on {scores['train']} sentences")
    return 0 if median < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
