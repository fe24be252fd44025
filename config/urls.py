from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("challenges.urls")),
    path("", include("procurement.urls")),
    path("vendors/", include("vendors.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("accounts/", include("core.urls")),
    path("audit/", include("core.audit_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

admin.site.site_header = f"{settings.MUNICIPALITY_NAME}: procurement administration"
