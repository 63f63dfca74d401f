"""The dashboard's desk-wide charts, cached until something they count changes.

The six charts an editor sees besides the workload are aggregates over every claim and
verdict of a project: up to a second of PostgreSQL work for 100,000 claims, and the
same answer until someone writes. So they are cached (Django's cache: the database
table, or Redis with REDIS_URL, shared by every worker), under a key that changes
whenever their numbers can:

- **the write stamp**: the newest history entry's id and how many entries sit among
  the last STAMP_WINDOW ids. Every service write to a claim or verdict (create, edit,
  verdict, final verdict, status, publish) records a HistoryEntry in its own
  transaction, so a committed write moves the stamp. The count is there because ids
  are handed out before commit: a transaction that took id 100 and commits after one
  that took id 101 does not move the maximum, but it does move the count. One index
  range scan, whatever the size of the table.
- **the generation**: a random token in the cache, replaced after the commit of any
  Model.save() that changes a claim, verdict, article or rating, and of any delete
  (the admin and deletions write no history entry; QuerySet.update() in services.py
  does, next to it). The cached value carries the generation it was computed under
  and is used only if it still matches; a lost generation is a new one.
- **what the charts are drawn with**: the filters, the scale (labels, values,
  colours), and the project's identity (id and creation time, so a database rebuilt
  under a long-lived cache cannot reuse an entry).

The numbers are computed after the stamp is read, so an entry is never older than
its key says. The workload chart is not cached: it is per member, depends on the
clock ("this week") and costs one indexed query.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from annotate.models import Article, Claim, HistoryEntry, Rating, Verdict

STAMP_WINDOW = 1000
TIMEOUT = 24 * 3600
GENERATION_KEY = "dashboard:generation"
UNCACHED = frozenset({"workload"})


def write_stamp() -> tuple[int, int]:
    """(newest history id, entries among the last STAMP_WINDOW ids), in one query."""
    table = connection.ops.quote_name(HistoryEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(id), COUNT(*) FROM {table} "
            f"WHERE id > (SELECT COALESCE(MAX(id), 0) FROM {table}) - %s",
            [STAMP_WINDOW],
        )
        newest, recent = cursor.fetchone()
    return newest or 0, recent


def _key(ctx, stamp) -> str:
    f = ctx.filters
    scale = [(r.pk, r.label, r.value, r.colour) for r in ctx.ratings]
    raw = repr((ctx.project.pk, str(getattr(ctx.project, "created_at", "")), f.start, f.end, f.article_id, scale, stamp))
    return "dashboard:charts:" + hashlib.sha256(raw.encode()).hexdigest()


def new_generation() -> str:
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    return token


def cached_charts(ctx, slugs, build):
    """{slug: Chart} for `slugs`: the cacheable ones from the cache when still valid, the rest
    (and every miss) from `build(ctx, slugs)`. Costs the stamp query and one cache read on a hit."""
    cacheable = [s for s in slugs if s not in UNCACHED]
    out = {}
    if cacheable:
        key = _key(ctx, write_stamp())
        got = cache.get_many([GENERATION_KEY, key])
        generation = got.get(GENERATION_KEY)
        entry = got.get(key)
        if generation is None:
            generation = new_generation()
        have = entry[1] if entry is not None and entry[0] == generation else {}
        missing = [s for s in cacheable if s not in have]
        if missing:
            # A CSV asks for one chart: the others are added when the page asks for them.
            have = {**have, **dict(zip(missing, build(ctx, missing)))}
            cache.set(key, (generation, have), TIMEOUT)
        out.update({slug: have[slug] for slug in cacheable})
    rest = [s for s in slugs if s not in out]
    if rest:
        out.update(zip(rest, build(ctx, rest)))
    return [out[s] for s in slugs]


class _NewGeneration:
    """The on-commit callback; it knows whether it ran, so a transaction registers only one."""

    ran = False

    def __call__(self):
        self.ran = True
        new_generation()


def invalidate():
    """Orphan every cached dashboard entry, once, after the current transaction commits
    (deleting an article sends one signal per claim and verdict)."""
    pending = transaction.get_connection().run_on_commit
    if not any(isinstance(entry[1], _NewGeneration) and not entry[1].ran for entry in pending):
        transaction.on_commit(_NewGeneration())


@receiver(post_save, sender=Claim, dispatch_uid="dashboard-claim-saved")
@receiver(post_save, sender=Verdict, dispatch_uid="dashboard-verdict-saved")
@receiver(post_save, sender=Article, dispatch_uid="dashboard-article-saved")
@receiver(post_save, sender=Rating, dispatch_uid="dashboard-rating-saved")
def _saved(sender, created, raw=False, **kwargs):
    # Creations through services.py write a history entry (the stamp moves); only an
    # edit by Model.save() (the admin) needs the generation. New articles and ratings
    # change no number until claims or verdicts use them.
    if not created and not raw:
        invalidate()


@receiver(post_delete, sender=Claim, dispatch_uid="dashboard-claim-deleted")
@receiver(post_delete, sender=Verdict, dispatch_uid="dashboard-verdict-deleted")
@receiver(post_delete, sender=Article, dispatch_uid="dashboard-article-deleted")
def _deleted(sender, **kwargs):
    invalidate()
