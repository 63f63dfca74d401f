"""The dashboard's charts, cached until something they count changes.

Every chart is an aggregate over a project's claims and verdicts (read from the daily
partial totals of annotate.dashboard_totals, which recompute only the days written
since), and the same answer until someone writes. So each
chart is cached with its rendered HTML (Django's cache: the database table, or Redis
with REDIS_URL, shared by every worker), under a key that changes whenever its numbers
can:

- **the write stamp**: the newest history entry's id and how many entries sit among
  the last STAMP_WINDOW ids. Every service write to a claim or verdict (create, edit,
  verdict, final verdict, status, publish) records a HistoryEntry in its own
  transaction, so a committed write moves the stamp. The count is there because ids
  are handed out before commit: a transaction that took id 100 and commits after one
  that took id 101 does not move the maximum, but it does move the count. One index
  range scan, whatever the size of the table.
- **the generation**: a random token in the cache, replaced after the commit of what
  writes no history entry: a Model.save() that changes a claim, verdict, article or
  rating (the admin), any delete of those, a change of assignees, members or
  usernames. The cached value carries the generation it was computed under and is
  used only if it still matches; a lost generation is a new one.
- **what the charts are drawn with**: the filters and the query string of the page's
  CSV links, the scale (labels, values, colours), the Monday of the current week (the
  workload's "this week"), the viewer when they see only their own workload, and the
  project's identity (id, slug for the links, and creation time, so a database rebuilt
  under a long-lived cache cannot reuse an entry).

The numbers are computed after the stamp is read, so an entry is never older than
its key says.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from annotate.models import Article, Claim, HistoryEntry, Membership, Rating, Verdict

STAMP_WINDOW = 1000
TIMEOUT = 24 * 3600
GENERATION_KEY = "dashboard:generation"


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


def _key(ctx, stamp, variant) -> str:
    from annotate.stats import week_start

    f = ctx.filters
    scale = [(r.pk, r.label, r.value, r.colour) for r in ctx.ratings]
    viewer = None if ctx.editor else ctx.user.pk
    raw = repr((ctx.project.pk, ctx.project.slug, str(ctx.project.created_at), f.start, f.end, f.article_id, scale, viewer,
                week_start(ctx.now), variant, stamp))
    return "dashboard:charts:" + hashlib.sha256(raw.encode()).hexdigest()


def new_generation() -> str:
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    return token


def cached_charts(ctx, slugs, build, render=None, variant=""):
    """[(Chart, html or None)] for `slugs`: from the cache while still valid, else from
    `build(ctx, missing slugs)` and `render(chart)` (which may depend on `variant`, e.g. the
    query string its links carry). Costs the stamp query and one cache read on a hit."""
    key = _key(ctx, write_stamp(), variant)
    got = cache.get_many([GENERATION_KEY, key])
    generation = got.get(GENERATION_KEY)
    entry = got.get(key)
    if generation is None:
        generation = new_generation()
    have = dict(entry[1]) if entry is not None and entry[0] == generation else {}
    missing = [s for s in slugs if s not in have]
    changed = bool(missing)
    # A CSV asks for one chart and no HTML: the rest is added when the page asks for it.
    have.update({slug: (chart, None) for slug, chart in zip(missing, build(ctx, missing) if missing else [])})
    if render is not None:
        for slug in slugs:
            chart, html = have[slug]
            if html is None:
                have[slug], changed = (chart, str(render(chart))), True
    if changed:
        cache.set(key, (generation, have), TIMEOUT)
    return [have[slug] for slug in slugs]


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
    # Creations through the services write a history entry (the stamp moves); only an
    # edit by Model.save() (the admin) needs the generation. New articles and ratings
    # change no number until claims or verdicts use them.
    if not created and not raw:
        invalidate()


@receiver(post_delete, sender=Claim, dispatch_uid="dashboard-claim-deleted")
@receiver(post_delete, sender=Verdict, dispatch_uid="dashboard-verdict-deleted")
@receiver(post_delete, sender=Article, dispatch_uid="dashboard-article-deleted")
def _deleted(sender, **kwargs):
    invalidate()


@receiver(post_save, sender=Membership, dispatch_uid="dashboard-membership-saved")
@receiver(post_delete, sender=Membership, dispatch_uid="dashboard-membership-deleted")
def _members_changed(sender, raw=False, **kwargs):
    # The workload chart lists every member.
    if not raw:
        invalidate()


@receiver(m2m_changed, sender=Claim.assignees.through, dispatch_uid="dashboard-assignees-changed")
def _assignees_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate()


@receiver(post_save, sender=get_user_model(), dispatch_uid="dashboard-user-saved")
def _user_saved(sender, created, update_fields=None, raw=False, **kwargs):
    # The workload chart shows usernames; a login only stamps last_login.
    if not created and not raw and set(update_fields or ()) != {"last_login"}:
        invalidate()
