from django.contrib import admin
from django.urls import include, path

from annotate.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("annotate.api.urls")),
    path("", include("annotate.urls")),
]

handler500 = "annotate.views.errors.handler500"
# The API answers every error as JSON (issue 18); pages keep their templates.
handler400 = "annotate.views.errors.handler400"
handler403 = "annotate.views.errors.handler403"
handler404 = "annotate.views.errors.handler404"
