from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from shagym.api.v1 import api
from shagym.web.views import healthz

# Uploaded files (attachments, letters) are never served as static media: only through views that check access.
urlpatterns = [
    path("api/v1/", api.urls),
    path("open311/v2/", include("shagym.api.open311")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("shagym.web.urls")),
    prefix_default_language=True,
)
