"""Pure: the desk's own check-worthiness model (scikit-learn, no files, no pickle).

Features: hashed word uni/bigrams and character 2–4-grams (HashingVectorizer: no
vocabulary to store) plus the rule features of checkworthy.py. Model: logistic
regression. Only the weights are kept — a float32 vector and an intercept, serialised
with numpy's .npy format (allow_pickle=False), so loading a model from the database
cannot run code. Prediction is one sparse dot product.

The blend: score = (1 − WEIGHT) × rules + WEIGHT × model. With fewer than MIN_LABELS
labels (or only one class) no model is trained and the rules serve alone.
"""

import io
import json

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from annotate.suggest.checkworthy import FEATURES

MIN_LABELS = 200
WEIGHT = 0.5
N_HASH = 2**16
FORMAT = 1

_word = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=N_HASH, alternate_sign=False, norm="l2", lowercase=True)
_char = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=N_HASH, alternate_sign=False, norm="l2", lowercase=True)


class NotEnoughLabels(ValueError):
    pass


def featurise(texts, rule_features):
    rules = np.array([[f.get(name, 0) for name in FEATURES] for f in rule_features], dtype=np.float32)
    return sparse.hstack([_word.transform(texts), _char.transform(texts), sparse.csr_matrix(rules)], format="csr")


def train(texts, rule_features, labels, min_labels=MIN_LABELS, seed=0):
    """A DeskModel from labelled sentences (label 1 = worth checking). Deterministic."""
    y = np.asarray(labels, dtype=np.int8)
    if len(y) < min_labels:
        raise NotEnoughLabels(f"{len(y)} labels; the model needs at least {min_labels}.")
    if len(set(y.tolist())) < 2:
        raise NotEnoughLabels("Every label is the same; the model needs accepted and dismissed sentences.")
    clf = LogisticRegression(C=2.0, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=seed)
    clf.fit(featurise(texts, rule_features), y)
    return DeskModel(clf.coef_.ravel().astype(np.float32), float(clf.intercept_[0]), meta={"labels": int(len(y)), "positive": int(y.sum())})


class DeskModel:
    def __init__(self, coef, intercept, meta=None, version=None, label=None):
        self.coef = coef
        self.intercept = intercept
        self.meta = meta or {}
        self.version = version
        self.label = label or (f"rules + desk model v{version}" if version else "rules + desk model")

    def predict(self, texts, rule_features):
        if not texts:
            return []
        z = featurise(texts, rule_features) @ self.coef + self.intercept
        return (1.0 / (1.0 + np.exp(-z))).tolist()

    @staticmethod
    def blend(rule_score, probability):
        return (1 - WEIGHT) * rule_score + WEIGHT * probability

    def to_bytes(self):
        nz = np.flatnonzero(self.coef)
        buffer = io.BytesIO()
        header = json.dumps({"format": FORMAT, "n": int(self.coef.size), "intercept": self.intercept, "features": list(FEATURES), **self.meta}).encode()
        for array in (np.frombuffer(header, dtype=np.uint8), nz.astype(np.int32), self.coef[nz].astype(np.float32)):
            np.save(buffer, array, allow_pickle=False)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data, version=None, label=None):
        buffer = io.BytesIO(bytes(data))
        header = json.loads(np.load(buffer, allow_pickle=False).tobytes())
        if header.get("format") != FORMAT or header.get("features") != list(FEATURES):
            raise ValueError("This model was trained with other features; retrain it.")
        index = np.load(buffer, allow_pickle=False)
        values = np.load(buffer, allow_pickle=False)
        coef = np.zeros(header["n"], dtype=np.float32)
        coef[index] = values
        meta = {k: v for k, v in header.items() if k not in ("format", "n", "intercept", "features")}
        return cls(coef, header["intercept"], meta=meta, version=version, label=label)


def precision_recall(predicted, actual):
    tp = sum(1 for p, a in zip(predicted, actual) if p and a)
    fp = sum(1 for p, a in zip(predicted, actual) if p and not a)
    fn = sum(1 for p, a in zip(predicted, actual) if not p and a)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall
