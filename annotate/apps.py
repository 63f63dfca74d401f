from django.apps import AppConfig


class AnnotateConfig(AppConfig):
    name = "annotate"
    verbose_name = "Factmark"

    def ready(self):
        # The dashboard cache's signal receivers (admin edits and deletions invalidate it).
        from annotate import dashboard_cache  # noqa: F401
        # ...and the partial totals' (a deleted project's rows go with it).
        from annotate import dashboard_totals  # noqa: F401
        # The token cache's receivers: a revoked token or a switched-off user is refused at once.
        from annotate import tokencache  # noqa: F401
        from django.conf import settings

        from annotate import netfetch

        netfetch.set_concurrency(settings.FACTMARK_FETCH_CONCURRENCY)
        from django.db.models.signals import pre_save

        from annotate.userstrings import strip_before_save

        # No stored string keeps bidirectional controls (annotate/userstrings.py).
        pre_save.connect(strip_before_save, dispatch_uid="annotate-strip-bidi")
