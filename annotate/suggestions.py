"""Suggestions of an article: computed once per revision (and model version), cached in
the database; accepting (a claim in one step) and dismissing; the desk's labels and model.

The analysis itself is pure (annotate/suggest/). Here: the cache (ArticleSuggestions),
decisions (SuggestionDecision, which are also the training labels), the trained models
(SuggestionModel, weights only) and the writes, each atomic.

Labels of a project, for `train`:
  accepted check-worthy suggestion     → 1
  dismissed check-worthy suggestion    → 0
  a sentence under a claim made by hand → 1 (a reviewer highlighted it without being asked)
"""

from django.db import IntegrityError, transaction

from annotate import services
from annotate.models import ArticleSuggestions, Claim, Decision, Span, SuggestionDecision, SuggestionModel
from annotate.suggest import analyse, learn

class UnknownSuggestion(services.Invalid):
    def __init__(self):
        super().__init__("No such suggestion for the current text of this article.", field="key")


class AlreadyDecided(services.Invalid):
    def __init__(self):
        super().__init__("This suggestion was already accepted or dismissed.", field="key")


_models = {}  # (project id, version) -> DeskModel: weights are immutable once stored


def latest_model_row(project_id):
    return SuggestionModel.objects.filter(project_id=project_id).order_by("-version").defer("weights").first()


def desk_model(project_id, row=None):
    """The project's newest DeskModel, or None (rules alone)."""
    row = row if row is not None else latest_model_row(project_id)
    if row is None:
        return None
    key = (project_id, row.version)
    if key not in _models:
        weights = SuggestionModel.objects.filter(pk=row.pk).values_list("weights", flat=True).get()
        label = f"rules + desk model v{row.version} ({row.label_count} labels, trained {row.trained_at:%-d %b %Y})"
        _models[key] = learn.DeskModel.from_bytes(weights, version=row.version, label=label)
    return _models[key]


def suggestion_set(article):
    """The cached ArticleSuggestions of the article's current revision, computed on a miss."""
    row = latest_model_row(article.project_id)
    version = row.version if row else 0
    cached = ArticleSuggestions.objects.filter(article=article, revision=article.revision, model_version=version).first()
    if cached is not None:
        return cached
    model = desk_model(article.project_id, row)
    worthy, problems, scored = analyse(article.body, article.published_on, model)
    items = sorted(worthy + problems, key=lambda i: (i["start"], i["kind"] != "check-worthy"))
    try:
        with transaction.atomic():
            cached = ArticleSuggestions.objects.create(
                article=article, revision=article.revision, model_version=version, items=items, sentences=scored,
                scored_by=model.label if model else "rules",
            )
            ArticleSuggestions.objects.filter(article=article).exclude(pk=cached.pk).delete()
    except IntegrityError:  # computed by a concurrent request in the meantime
        cached = ArticleSuggestions.objects.get(article=article, revision=article.revision, model_version=version)
    return cached


def scored_by(cached):
    """Which model scored the article's sentences: "rules" or "rules + desk model vN (…)"."""
    return cached.scored_by or "rules"


def open_suggestions(article, cached=None):
    """Suggestions not yet decided, and (check-worthy ones) not already under a claim; in article order."""
    items = (cached or suggestion_set(article)).items
    decided = set(SuggestionDecision.objects.filter(article=article).values_list("key", flat=True))
    spans = list(Span.objects.filter(article=article, orphaned=False, claim__isnull=False).order_by().values_list("start", "end"))
    out = []
    for item in items:
        if item["key"] in decided:
            continue
        if item["kind"] == "check-worthy" and any(s < item["end"] and e > item["start"] for s, e in spans):
            continue
        out.append(item)
    return out


def _find(article, key):
    item = next((i for i in suggestion_set(article).items if i["key"] == key), None)
    if item is None:
        raise UnknownSuggestion()
    if SuggestionDecision.objects.filter(article=article, key=key).exists():
        raise AlreadyDecided()
    return item


def claim_range(item):
    """Where the claim of a suggestion goes by default, and the range a narrower selection must stay in."""
    if item["kind"] == "check-worthy":
        return item["start"], item["end"]
    sentence = item["detail"]["sentence"]
    return sentence["start"], sentence["end"]


def accept(article, user, key, start=None, end=None, quote=None):
    """Make a claim of a suggestion: its sentence, or a narrower selection inside it."""
    item = _find(article, key)
    low, high = claim_range(item)
    if start is None and end is None:
        start, end, quote = low, high, article.body[low:high]
    elif start is None or end is None or not (low <= start < end <= high):
        raise services.Invalid(f"A narrower selection must lie inside the suggested sentence ({low}–{high}).", field="start")
    with transaction.atomic():
        claim = services.add_claim(article, user, start, end, quote if quote is not None else article.body[start:end])
        if item["kind"] == "inconsistency":
            detail = item["detail"]
            services.add_comment(claim, user, f"Check the arithmetic: {detail['title']}. {detail['arithmetic']}.")
        _decide(article, user, item, Decision.ACCEPTED, claim)
    return claim


def dismiss(article, user, key):
    item = _find(article, key)
    with transaction.atomic():
        return _decide(article, user, item, Decision.DISMISSED)


def _decide(article, user, item, decision, claim=None):
    try:
        with transaction.atomic():
            return SuggestionDecision.objects.create(
                article=article, key=item["key"], kind=item["kind"], decision=decision, quote=item["quote"],
                start=item["start"], end=item["end"], revision=article.revision, claim=claim, decided_by=user,
            )
    except IntegrityError:
        raise AlreadyDecided() from None


# --- learning ------------------------------------------------------------------------


def labels(project):
    """(texts, rule features, labels) of every labelled sentence of the project's articles."""
    by_article = {}
    for d in SuggestionDecision.objects.filter(article__project=project, kind="check-worthy").values("article_id", "start", "end", "decision"):
        by_article.setdefault(d["article_id"], {})[(d["start"], d["end"])] = 1 if d["decision"] == Decision.ACCEPTED else 0
    hand = {}
    for article_id, s, e in Claim.objects.filter(project=project, span__orphaned=False).values_list("article_id", "span__start", "span__end"):
        hand.setdefault(article_id, []).append((s, e))
    texts, features, y = [], [], []
    from annotate.models import Article

    for article in Article.objects.filter(pk__in=set(by_article) | set(hand)).only("id", "project_id", "body", "revision", "published_on"):
        decided = by_article.get(article.pk, {})
        spans = hand.get(article.pk, [])
        for sentence in suggestion_set(article).sentences:
            key = (sentence["start"], sentence["end"])
            if key in decided:
                label = decided[key]
            elif any(s < sentence["end"] and e > sentence["start"] for s, e in spans):
                label = 1
            else:
                continue
            texts.append(sentence["quote"])
            features.append(sentence["features"])
            y.append(label)
    return texts, features, y


def train(project, min_labels=learn.MIN_LABELS):
    """Train and store a new version of the project's model; NotEnoughLabels when it cannot."""
    texts, features, y = labels(project)
    model = learn.train(texts, features, y, min_labels=min_labels)
    # How well it does on what it learnt from is no measure: hold a quarter out and report that.
    metrics = {}
    if len(y) >= 8:
        cut = len(y) * 3 // 4
        try:
            held = learn.train(texts[:cut], features[:cut], y[:cut], min_labels=0)
            predicted = [p >= 0.5 for p in held.predict(texts[cut:], features[cut:])]
            precision, recall = learn.precision_recall(predicted, y[cut:])
            metrics = {"held_out": len(y) - cut, "precision": round(precision, 3), "recall": round(recall, 3)}
        except learn.NotEnoughLabels:
            pass
    with transaction.atomic():
        last = SuggestionModel.objects.select_for_update().filter(project=project).order_by("-version").first()
        return SuggestionModel.objects.create(
            project=project, version=(last.version + 1) if last else 1, weights=model.to_bytes(),
            label_count=len(y), positive_count=sum(y), metrics=metrics,
        )
