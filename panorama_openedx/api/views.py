"""
The dashboards API. Access is decided on the server (``dashboards/access.py``); the browser only
names the dashboard and, optionally, a course.

New endpoints answer plain JSON. The Panorama-compatible endpoints (``get-*``) keep Panorama's
``{"statusCode": 200, "body": ...}`` envelope and item shapes so that the existing Panorama MFE works
unchanged. Failures are real HTTP statuses with ``{"code", "message"}`` bodies.
"""
import logging

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from panorama_openedx.api import serializers as shapes
from panorama_openedx.api.authentication import authentication_classes, permission_classes
from panorama_openedx.conf import InvalidSettings, get_settings
from panorama_openedx.dashboards import access, embed
from panorama_openedx.dashboards.access import is_global_staff
from panorama_openedx.dashboards.errors import BadParameter, DashboardError, Misconfigured

log = logging.getLogger(__name__)
# What learners and course staff read when a service fails; the details go to the log and to global staff.
SERVICE_ERRORS = {
    "upstream_failure": "The dashboard service failed. Please try again later.",
    "misconfigured": "Panorama is not configured correctly; please tell the site's administrators.",
    "upstream_timeout": "The dashboard service did not answer in time. Please try again later.",
}
ERRORS = {status: shapes.ErrorSerializer for status in (400, 401, 403, 404, 502, 503, 504)}
DASHBOARD = OpenApiParameter("dashboard", str, required=True, description="A dashboard name from `dashboards`.")
COURSE = OpenApiParameter("course_id", str, description="Limit the dashboard to one course (CUSTOM mode).")


def documented(**kwargs):
    """``extend_schema`` on drf-spectacular's AutoSchema, whatever DEFAULT_SCHEMA_CLASS the LMS sets."""
    def decorate(method):
        method.kwargs = {"schema": AutoSchema}
        return extend_schema(**kwargs)(method)

    return decorate


def envelope(body, status=200):
    """The response shape the Panorama MFE reads: the payload sits in ``body``."""
    return Response({"statusCode": status, "body": body}, status=status)


class PanoramaView(APIView):
    """Authentication, permission and error answers shared by every endpoint."""

    authentication_classes = authentication_classes()
    permission_classes = permission_classes()
    schema = AutoSchema()

    def get_authenticate_header(self, request):
        # Session authentication has no WWW-Authenticate scheme, and DRF would then turn 401 into 403.
        return super().get_authenticate_header(request) or 'Session realm="panorama"'

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            response = Response({"code": "not_authenticated", "message": str(exc.detail)}, status=401)
            response["WWW-Authenticate"] = self.get_authenticate_header(self.request)
            return response
        if isinstance(exc, exceptions.PermissionDenied):
            return Response({"code": "forbidden", "message": str(exc.detail)}, status=403)
        if isinstance(exc, InvalidSettings):
            names = ", ".join(sorted({problem.setting for problem in exc.errors}))
            exc = Misconfigured(f"Panorama is misconfigured: {names}. Run ./manage.py lms check.", setting=names)
        if isinstance(exc, DashboardError):
            if exc.status < 500:
                return Response(exc.as_dict(), status=exc.status)
            log.warning("Panorama %s for user %s: %s", exc.code, getattr(self.request.user, "pk", None), exc.message)
            if is_global_staff(self.request.user):  # those who can fix it see what to fix
                return Response(exc.as_dict(), status=exc.status)
            return Response({"code": exc.code, "message": SERVICE_ERRORS[exc.code]}, status=exc.status)
        return super().handle_exception(exc)

    def viewer(self, request):
        settings = get_settings()
        return access.viewer_for(request.user, settings), settings


def _embed_body(item: embed.Embed, viewer) -> dict:
    return {"url": item.url, "expires_at": item.expires_at.isoformat().replace("+00:00", "Z"),
            "dashboard": item.name, "mode": viewer.mode.value, "role": viewer.role}


class DashboardsView(PanoramaView):
    """The dashboards this user may open (no URLs: embed-url mints one when it is shown)."""

    @documented(responses={200: shapes.DashboardListSerializer, **ERRORS})
    def get(self, request):
        viewer, settings = self.viewer(request)
        return Response({"mode": viewer.mode.value, "role": viewer.role,
                         "console": access.may_open_console(viewer),
                         "dashboards": embed.list_dashboards(viewer, settings)})


class EmbedUrlView(PanoramaView):
    """One dashboard's embed URL, limited on the server to the rows this user may see."""

    @documented(parameters=[DASHBOARD, COURSE], responses={200: shapes.EmbedUrlSerializer, **ERRORS})
    def get(self, request):
        name = request.query_params.get("dashboard", "").strip()
        if not name:
            raise BadParameter("The dashboard parameter is required: ?dashboard=<name> (see the dashboards endpoint).")
        viewer, settings = self.viewer(request)
        item = embed.embed_dashboard(viewer, settings, name, request.query_params.get("course_id", "").strip())
        return Response(_embed_body(item, viewer))


class ConsoleUrlView(PanoramaView):
    """The QuickSight console (AUTHOR role, CUSTOM mode)."""

    @documented(responses={200: shapes.EmbedUrlSerializer, **ERRORS})
    def get(self, request):
        viewer, settings = self.viewer(request)
        return Response(_embed_body(embed.embed_console(viewer, settings), viewer))


# --- Panorama MFE compatibility --------------------------------------------------------------------------

def _panorama_items(items: list[embed.Embed]) -> list[dict]:
    return [item.raw if item.raw else {"name": item.name, "displayName": item.display_name, "id": item.dashboard_id,
                                       "url": item.url} for item in items]


class PanoramaEmbedUrlView(PanoramaView):
    """Panorama's ``get-embed-url``: every dashboard of this user with its URL (``?dashboard=`` narrows)."""

    @documented(parameters=[OpenApiParameter("dashboard", str, description="Only this dashboard.")],
                   responses={200: shapes.envelope_of(shapes.PanoramaItemSerializer(many=True), "PanoramaEmbedUrls"),
                              **ERRORS})
    def get(self, request):  # the MFE's ?dashboard_function= is ignored: the server decides the role
        viewer, settings = self.viewer(request)
        name = request.query_params.get("dashboard", "").strip()
        items = [embed.embed_dashboard(viewer, settings, name)] if name else embed.embed_all(viewer, settings)
        return envelope(_panorama_items(items))


class PanoramaStudioUrlView(PanoramaView):
    """Panorama's ``get-studio-url``: the console, for AUTHORs only."""

    @documented(responses={200: shapes.envelope_of(shapes.PanoramaItemSerializer(many=True), "PanoramaStudioUrl"),
                              **ERRORS})
    def get(self, request):
        viewer, settings = self.viewer(request)
        item = embed.embed_console(viewer, settings)
        return envelope([{"name": "console", "displayName": "Console", "url": item.url}])


class PanoramaUserRoleView(PanoramaView):
    """Panorama's ``get-user-role``: READER, AUTHOR, STUDENT or null."""

    @documented(responses={200: shapes.envelope_of(serializers.CharField(allow_null=True), "PanoramaRole"),
                              **ERRORS})
    def get(self, request):
        viewer, _ = self.viewer(request)
        return envelope(viewer.role if access.has_access(viewer) else None)


class PanoramaUserAccessView(PanoramaView):
    """Panorama's ``get-user-access``: whether this user has any dashboard."""

    @documented(responses={200: shapes.envelope_of(serializers.BooleanField(), "PanoramaAccess"), **ERRORS})
    def get(self, request):
        viewer, _ = self.viewer(request)
        return envelope(access.has_access(viewer))


class PanoramaModeView(PanoramaView):
    """Panorama's ``get-panorama-mode``: the MFE picks its home page from it."""

    @documented(responses={200: shapes.envelope_of(serializers.ChoiceField(choices=shapes.MODES),
                                                   "PanoramaMode"), **ERRORS})
    def get(self, request):  # pylint: disable=unused-argument
        return envelope(get_settings().mode.value)
