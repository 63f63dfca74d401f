from django.apps import AppConfig


class AnnotateConfig(AppConfig):
    name = "annotate"
    verbose_name = "Factmark"

    def ready(self):
        from django.conf import settings

        from annotate import netfetch

        netfetch.set_concurrency(settings.FACTMARK_FETCH_CONCURRENCY)
