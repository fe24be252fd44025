from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic.base import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from config.schema import CachedSchemaView


class FaviconRedirect(RedirectView):
    """The SVG icon, by its current static URL (hashed in production, so found at request time)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links (the admin, the API docs, files).
    path("favicon.ico", cache_control(max_age=86400)(FaviconRedirect.as_view()), name="favicon"),
    path("", include("challenges.urls")),
    path("", include("procurement.urls")),
    path("", include("opendata.urls")),
    path("vendors/", include("vendors.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("accounts/", include("core.urls")),
    path("audit/", include("core.audit_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    # Generated once per language, version and deployed code (config/schema.py).
    path("api/schema/", CachedSchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy allows
    # no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

# A path under /api/ that matches nothing answers JSON like the API; pages keep their HTML 404.
handler404 = "config.urls.not_found"


def not_found(request, exception):
    from django.views.defaults import page_not_found

    from core.api import api_not_found

    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return page_not_found(request, exception)


admin.site.site_header = f"{settings.MUNICIPALITY_NAME}: procurement administration"
