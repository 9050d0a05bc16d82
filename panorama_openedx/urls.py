"""URLs mounted by the LMS at ``^panorama/`` (namespace ``panorama``)."""
from django.urls import include, path

urlpatterns = [
    path("api/", include("panorama_openedx.api.urls")),
]
