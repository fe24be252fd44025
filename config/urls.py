from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
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
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
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
