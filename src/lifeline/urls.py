from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("api/", include("lifeline.core.urls")),
    path("api/", include("lifeline.alerts.urls")),
    path("api/", include("lifeline.people.urls")),
    path("api/", include("lifeline.care.treatments.urls")),
    path("api/", include("lifeline.care.urls")),
    path("api/", include("lifeline.supplies.urls")),
    path("api/", include("lifeline.intel.urls")),
    path("api/", include("lifeline.missions.urls")),
    path("api/", include("lifeline.routing.urls")),
    path("api/", include("lifeline.facilities.urls")),
    path("api/", include("lifeline.sync.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split: the page's script is a file of its own, as the Content-Security-Policy requires.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="web/api_docs.html"
        ),
        name="api-docs",
    ),
    path("intel/", include("lifeline.intel.web_urls")),
    path("admin/", admin.site.urls),
    path("care/", include("lifeline.care.treatments.web_urls")),
    path("supplies/", include("lifeline.supplies.web_urls")),
    path("care/", include("lifeline.care.web_urls")),
    path("facilities/", include("lifeline.facilities.web_urls")),
    path("", include("lifeline.web.urls")),
]
