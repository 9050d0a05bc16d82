"""API routes, anchored under ``/panorama/api/``."""
from django.urls import path

from panorama_openedx.api import schema, views

urlpatterns = [
    path("dashboards", views.DashboardsView.as_view(), name="dashboards"),
    path("embed-url", views.EmbedUrlView.as_view(), name="embed-url"),
    path("console-url", views.ConsoleUrlView.as_view(), name="console-url"),
    # The Panorama MFE's endpoints, with Panorama's response shapes.
    path("get-embed-url", views.PanoramaEmbedUrlView.as_view(), name="get-embed-url"),
    path("get-studio-url", views.PanoramaStudioUrlView.as_view(), name="get-studio-url"),
    path("get-user-role", views.PanoramaUserRoleView.as_view(), name="get-user-role"),
    path("get-user-access", views.PanoramaUserAccessView.as_view(), name="get-user-access"),
    path("get-panorama-mode", views.PanoramaModeView.as_view(), name="get-panorama-mode"),
    path("schema", schema.SchemaView.as_view(), name="schema"),
]
