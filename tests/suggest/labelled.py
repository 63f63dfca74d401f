"""The project's labelled sets (tests/data/suggest/) and how the rules and the model score on them.

Used by the tests (floors that fail when quality drops) and by bench/suggest.py (the
report). Nothing here reads outside the repository.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "suggest"


@dataclass
class LabelledArticle:
    title: str
    published: datetime.date
    paragraphs: list = field(default_factory=list)  # [[(label, sentence), ...], ...]

    @property
    def sentences(self):
        return [item for paragraph in self.paragraphs for item in paragraph]

    @property
    def body(self):
        return "\n\n".join(" ".join(text for _, text in paragraph) for paragraph in self.paragraphs)


def load_checkworthy():
    articles = []
    for path in sorted(DATA.glob("checkworthy-*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                title, date = (part.strip() for part in line[3:].split("|"))
                articles.append(LabelledArticle(title, datetime.date.fromisoformat(date), [[]]))
            elif line[:2] in ("+ ", "- "):
                articles[-1].paragraphs[-1].append((line[0] == "+", line[2:].strip()))
            elif not line.strip() and articles and articles[-1].paragraphs[-1]:
                articles[-1].paragraphs.append([])
    for article in articles:
        article.paragraphs = [p for p in article.paragraphs if p]
    return articles


def split(articles):
    """Train on three articles in five, test on the other two (every topic lands on both sides)."""
    train = [a for i, a in enumerate(articles) if i % 5 in (0, 1, 2)]
    test = [a for i, a in enumerate(articles) if i % 5 in (3, 4)]
    return train, test


def rows(articles):
    from annotate.suggest.checkworthy import score_sentence

    out = []
    for article in articles:
        for label, text in article.sentences:
            scored = score_sentence(text)
            out.append((text, scored.features, scored.score, label))
    return out


def evaluate():
    """{"rules_all": (P, R, n), "rules_test": (P, R, n), "blend_test": (P, R, n), "train": n}."""
    from annotate.suggest import learn
    from annotate.suggest.checkworthy import THRESHOLD

    articles = load_checkworthy()
    train, test = split(articles)
    everything, train_rows, test_rows = rows(articles), rows(train), rows(test)

    def pr(scores, labels):
        p, r = learn.precision_recall([s >= THRESHOLD for s in scores], labels)
        return round(p, 3), round(r, 3), len(labels)

    model = learn.train([r[0] for r in train_rows], [r[1] for r in train_rows], [r[3] for r in train_rows], min_labels=0)
    probabilities = model.predict([r[0] for r in test_rows], [r[1] for r in test_rows])
    blended = [model.blend(r[2], p) for r, p in zip(test_rows, probabilities)]
    return {
        "rules_all": pr([r[2] for r in everything], [r[3] for r in everything]),
        "rules_test": pr([r[2] for r in test_rows], [r[3] for r in test_rows]),
        "blend_test": pr(blended, [r[3] for r in test_rows]),
        "train": len(train_rows),
    }
