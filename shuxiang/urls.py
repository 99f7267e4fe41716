from django.urls import include, path

from shuxiang.server.views import health

urlpatterns = [
    path("", include("shuxiang.home.urls")),
    path("accounts/", include("shuxiang.accounts.urls")),
    path("schools/", include("shuxiang.schools.urls")),
    path("readers/", include("shuxiang.patrons.urls")),
    path("catalog/", include("shuxiang.catalog.urls")),
    path("audit/", include("shuxiang.audit.urls")),
    path("api/v1/", include("shuxiang.api_v1")),
    path("health", health, name="health"),
]
