"""The OpenAPI schema of the dashboards API (drf-spectacular), served at ``/panorama/api/schema``."""
from django.urls import include, path
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from panorama_openedx import __version__

SETTINGS = {
    "TITLE": "Panorama dashboards API",
    "DESCRIPTION": "Who may open which analytics dashboard, decided from Open edX roles; QuickSight embed URLs.",
    "VERSION": __version__,
    "ENUM_NAME_OVERRIDES": {"PanoramaModeEnum": "panorama_openedx.api.serializers.MODES"},
}


class LmsJwtScheme(OpenApiAuthenticationExtension):
    """The LMS's JWT (edx-drf-extensions): the MFEs send it as cookies, other clients as 'JWT <token>'."""

    target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
    name = "lmsJwt"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "'JWT <token>' issued by the LMS, or the MFEs' edx-jwt-cookie-* cookies."}


class SchemaView(SpectacularAPIView):
    """The schema of this API only (not the whole LMS)."""

    permission_classes = (AllowAny,)
    custom_settings = SETTINGS

    @property
    def patterns(self):
        from panorama_openedx.api.urls import urlpatterns  # pylint: disable=import-outside-toplevel

        return [path("panorama/api/", include([p for p in urlpatterns if p.name != "schema"]))]
