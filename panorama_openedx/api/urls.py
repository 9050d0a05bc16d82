"""API routes, anchored under ``/panorama/api/``."""
from django.urls import path

from panorama_openedx.api import views

urlpatterns = [
    path("get-panorama-mode", views.PanoramaModeView.as_view(), name="get-panorama-mode"),
]
