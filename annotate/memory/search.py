"""Search over a project: claims (restatement, quote, claimant, final and reviewers'
rationales), articles (title, body) and sources (title, publisher, URL, excerpts).

PostgreSQL: the trigger-kept `SearchDocument` vectors (GIN), queried with
websearch_to_tsquery ("quoted phrase", -word, OR) in each text-search configuration the
project's articles use, ranked by SearchRank (the page of ids: one query on the index),
then highlighted by SearchHeadline for that page only (one more), plus one query for the
configurations. SQLite: the same syntax parsed here into
case-insensitive LIKE filters, ranked by counting matches and highlighted in Python.
Both give the same `Hit`s to the page and the API.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, Func, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotate.memory.language import ts_config
from annotate.models import Article, Claim, Evidence, SearchDocument, SearchKind, Source, Verdict

PAGE_SIZE = 20
SNIPPET_CHARS = 220
HEADLINE_CHARS = 20_000  # of an article body: ts_headline reads it all otherwise
START, STOP = "\u2983", "\u2984"  # ⦃ ⦄ stand for <mark> until the text is escaped
FALLBACK_POOL = 300  # SQLite: matches ranked in Python, per kind


@dataclass
class Params:
    q: str
    kinds: tuple = ("claim", "article", "source")
    rating: int | None = None
    status: str = ""
    claimant: str = ""  # a normalised claimant key
    article: int | None = None
    date_from: object = None
    date_to: object = None
    page: int = 1

    @property
    def claim_only(self):
        return bool(self.rating or self.status or self.claimant)


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    snippet: str  # safe HTML: escaped text with <mark>s
    rank: float
    article_id: int | None = None
    article_title: str = ""
    status: str = ""
    rating: str = ""
    extra: dict = field(default_factory=dict)


def kinds_for(params):
    kinds = set(params.kinds)
    if params.claim_only:
        kinds &= {"claim"}
    if params.article:
        kinds &= {"claim", "article"}
    return [k for k in ("claim", "article", "source") if k in kinds]


def search(project, params, page_size=PAGE_SIZE):
    """(hits of the page, whether there is a next page)."""
    kinds = kinds_for(params)
    if not params.q.strip() or not kinds:
        return [], False
    if connection.vendor == "postgresql":
        return _postgres(project, params, kinds, page_size)
    return _fallback(project, params, kinds, page_size)


# --- PostgreSQL ----------------------------------------------------------------------


def _unaccent(value):
    return Func(Value(value), function="factmark_unaccent", output_field=TextField())


def project_configs(project):
    """The text-search configurations of the project's documents: its articles' languages, and "simple" (sources)."""
    languages = Article.objects.filter(project=project).order_by().values_list("language", flat=True).distinct()
    return sorted({ts_config(lang) for lang in languages} | {"simple"})


def _date_q(prefix, params):
    q = Q()
    if params.date_from:
        q &= Q(**{f"{prefix}created_at__date__gte": params.date_from})
    if params.date_to:
        q &= Q(**{f"{prefix}created_at__date__lte": params.date_to})
    return q


def _kind_filters(params, kinds):
    clauses = Q()
    if "claim" in kinds:
        c = Q(kind="claim") & _date_q("claim__", params)
        if params.rating:
            c &= Q(claim__final_rating_id=params.rating)
        if params.status:
            c &= Q(claim__status=params.status)
        if params.claimant:
            c &= Q(claim__claimant_key=params.claimant)
        if params.article:
            c &= Q(article_id=params.article)
        clauses |= c
    if "article" in kinds:
        a = Q(kind="article") & _date_q("article__", params)
        if params.article:
            a &= Q(article_id=params.article)
        clauses |= a
    if "source" in kinds:
        clauses |= Q(kind="source") & _date_q("source__", params)
    return clauses


def _postgres(project, params, kinds, page_size):
    configs = project_configs(project)
    queries = {c: SearchQuery(_unaccent(params.q), config=c, search_type="websearch") for c in configs}
    matched = Q()
    for config, query in queries.items():
        matched |= Q(config=config, vector=query)

    def per_config(build, output_field):
        return Case(*(When(config=c, then=build(q, c)) for c, q in queries.items()), output_field=output_field)

    text = Case(
        When(kind="claim", then=Concat(F("claim__text"), Value(" — "), F("claim__span__quote"), Value(" "), F("claim__final_rationale"), output_field=TextField())),
        When(kind="article", then=Concat(F("article__title"), Value(" — "), Left(F("article__body"), HEADLINE_CHARS), output_field=TextField())),
        default=Concat(F("source__title"), Value(" — "), F("source__publisher"), Value(" "), F("source__url"), output_field=TextField()),
        output_field=TextField(),
    )
    options = {"start_sel": START, "stop_sel": STOP, "max_words": 35, "min_words": 15, "max_fragments": 2}
    # Two steps: the ranked page of document ids from the index alone (what the plain-SQL
    # floor does), then headlines and titles for those 21 documents only.
    ranked = (
        SearchDocument.objects.filter(project=project)
        .filter(matched)
        .filter(_kind_filters(params, kinds))
        .annotate(rank=per_config(lambda q, c: SearchRank(F("vector"), q), FloatField()))
        .order_by("-rank", "kind", "id")
        .values_list("id", "rank")
    )
    offset = (params.page - 1) * page_size
    page = list(ranked[offset:offset + page_size + 1])
    ranks = dict(page[:page_size])
    if not ranks:
        return [], False
    rows = (
        SearchDocument.objects.filter(id__in=ranks)
        .annotate(headline=per_config(lambda q, c: SearchHeadline(text, q, config=c, **options), TextField()))
        .values(
            "id", "kind", "claim_id", "article_id", "source_id", "headline",
            "claim__text", "claim__status", "claim__final_rating__label", "article__title", "source__title", "source__url",
        )
    )
    by_id = {r["id"]: r for r in rows}
    hits = [_pg_hit(by_id[pk], rank) for pk, rank in page[:page_size] if pk in by_id]
    return hits, len(page) > page_size


def _marked(text):
    return mark_safe(escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>"))


def _pg_hit(r, rank):
    kind = r["kind"]
    if kind == "claim":
        return Hit("claim", r["claim_id"], r["claim__text"], _marked(r["headline"]), rank, r["article_id"], r["article__title"] or "",
                   r["claim__status"] or "", r["claim__final_rating__label"] or "")
    if kind == "article":
        return Hit("article", r["article_id"], r["article__title"], _marked(r["headline"]), rank, r["article_id"], r["article__title"])
    return Hit("source", r["source_id"], r["source__title"] or r["source__url"], _marked(r["headline"]), rank, extra={"url": r["source__url"]})


# --- SQLite (and any other database): the same syntax, LIKE filters ------------------

TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass
class Parsed:
    groups: list  # OR of groups; each group: (required terms, excluded terms)

    def terms(self):
        return [t for required, _ in self.groups for t in required]


def parse(q):
    """websearch_to_tsquery's syntax: words and "quoted phrases" are all required, -term
    excludes, OR between two terms makes alternatives."""
    groups, required, excluded = [], [], []
    for m in TOKEN.finditer(q):
        negative, phrase, word = m.group(1), m.group(2), m.group(3)
        if word and word.upper() == "OR" and required:
            groups.append((required, excluded))
            required, excluded = [], []
            continue
        if word and word.startswith("-") and len(word) > 1:
            negative, word = "-", word[1:]
        term = (phrase if phrase is not None else word).strip().strip(".,;:!?()")
        if not term:
            continue
        (excluded if negative else required).append(term)
    if required or excluded:
        groups.append((required, excluded))
    return Parsed(groups)


FIELDS = {
    "claim": ["text", "span__quote", "claimant", "final_rationale"],
    "article": ["title", "body", "publisher", "author"],
    "source": ["title", "publisher", "url"],
}


def _term_q(kind, term):
    q = Q()
    for name in FIELDS[kind]:
        q |= Q(**{f"{name}__icontains": term})
    if kind == "claim":
        q |= Exists(Verdict.objects.filter(claim=OuterRef("pk"), rationale__icontains=term))
    if kind == "source":
        q |= Exists(Evidence.objects.filter(source=OuterRef("pk"), excerpt__icontains=term))
    return q


def _match_q(kind, parsed):
    matched = Q(pk__in=[])
    for required, excluded in parsed.groups:
        group = Q()
        for term in required:
            group &= _term_q(kind, term)
        for term in excluded:
            group &= ~_term_q(kind, term)
        matched |= group
    return matched


def _fallback(project, params, kinds, page_size):
    parsed = parse(params.q)
    if not parsed.groups or not any(required for required, _ in parsed.groups):
        return [], False
    terms = [t.casefold() for t in parsed.terms()]
    hits = []
    for kind in kinds:
        hits.extend(_fallback_kind(project, params, kind, parsed, terms))
    hits.sort(key=lambda h: (-h.rank, h.kind, h.id))
    offset = (params.page - 1) * page_size
    return hits[offset:offset + page_size], len(hits) > offset + page_size


def _score(terms, title, text):
    title, text = (title or "").casefold(), (text or "").casefold()
    return sum(3 * title.count(t) + min(text.count(t), 10) for t in terms) / (1 + len(text) / 2000)


def snippet(text, terms, width=SNIPPET_CHARS):
    """An escaped window of `text` around the first term found, every term in <mark>."""
    text = " ".join((text or "").split())
    lower = text.casefold()
    first = min((i for i in (lower.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 3)
    window = text[start:start + width]
    if not terms:
        return escape(window)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(window):
        out.append(escape(window[last:m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(window[last:]))
    return mark_safe(("… " if start else "") + "".join(out) + (" …" if start + width < len(text) else ""))


def _fallback_kind(project, params, kind, parsed, terms):
    model = {"claim": Claim, "article": Article, "source": Source}[kind]
    qs = model.objects.filter(project=project).filter(_match_q(kind, parsed)).filter(_date_q("", params))
    if kind == "claim":
        if params.rating:
            qs = qs.filter(final_rating_id=params.rating)
        if params.status:
            qs = qs.filter(status=params.status)
        if params.claimant:
            qs = qs.filter(claimant_key=params.claimant)
        if params.article:
            qs = qs.filter(article_id=params.article)
        rows = qs.order_by("-id").values_list("id", "text", "span__quote", "claimant", "final_rationale", "article_id", "article__title",
                                              "status", "final_rating__label")[:FALLBACK_POOL]
        return [
            Hit("claim", pk, text, snippet(f"{text} — {quote} {rationale}", terms), _score(terms, text, f"{quote} {claimant} {rationale}"),
                article_id, article_title, status, label or "")
            for pk, text, quote, claimant, rationale, article_id, article_title, status, label in rows
        ]
    if kind == "article":
        if params.article:
            qs = qs.filter(pk=params.article)
        rows = qs.order_by("-id").values_list("id", "title", Left("body", HEADLINE_CHARS))[:FALLBACK_POOL]
        return [Hit("article", pk, title, snippet(f"{title} — {body}", terms), _score(terms, title, body), pk, title) for pk, title, body in rows]
    rows = qs.order_by("-id").values_list("id", "title", "publisher", "url")[:FALLBACK_POOL]
    return [
        Hit("source", pk, title or url, snippet(f"{title} — {publisher} {url}", terms), _score(terms, title, f"{publisher} {url}"), extra={"url": url})
        for pk, title, publisher, url in rows
    ]


