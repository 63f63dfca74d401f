"""Excerpt verification on big snapshots (target: under 1 s for a 2 MB page, the size cap's scale).

    .venv/bin/python bench/sources.py      (also run by `make bench`)

Timed is annotate.verify.verify (pure): an excerpt found exactly, one with curly quotes and
other whitespace (found after folding), one with a figure changed (close, fuzzy), and one
that is not there (the fuzzy search's worst case), each the median of five runs.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotate.verify import verify  # noqa: E402

WORDS = "council budget rose percent million euros school figures report minister health year claim police city water plan court audit vote mayor".split()


def page(chars, seed=3):
    rng = random.Random(seed)
    parts, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def main():
    print(f"{'snapshot':>10} {'excerpt':<12} {'state':<10} {'median ms':>10}")
    for chars in (100_000, 2_000_000):
        text = page(chars)
        middle = text.find(".", len(text) // 2) + 2
        exact = text[middle : text.find(".", middle + 80) + 1]
        cases = {
            "exact": exact,
            "folded": exact.upper().replace(" ", "\n  "),
            "figure": exact.replace(" ", " 41 ", 1),
            "absent": "The ferry company promised free crossings for pensioners from the first of May onwards.",
        }
        for name, excerpt in cases.items():
            times, state = [], ""
            for _ in range(5):
                started = time.perf_counter()
                state = verify(excerpt, text).state
                times.append((time.perf_counter() - started) * 1000)
            print(f"{chars:>10,} {name:<12} {state:<10} {statistics.median(times):>10.1f}")


if __name__ == "__main__":
    main()
