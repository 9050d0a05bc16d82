"""Response shapes of the API, for the OpenAPI schema (the views build plain dictionaries)."""
from rest_framework import serializers

from panorama_openedx.conf import Mode

MODES = [mode.value for mode in Mode]


class ErrorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    code = serializers.CharField(help_text="Stable error code: bad_parameter, not_authenticated, forbidden, "
                                           "unknown_dashboard, unknown_course, misconfigured, upstream_failure, "
                                           "upstream_timeout.")
    message = serializers.CharField(help_text="What went wrong, for people; never a secret or a stack trace.")
    setting = serializers.CharField(required=False, help_text="503 only: the setting to fix.")


class DashboardSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    name = serializers.CharField(help_text="Pass it as ?dashboard= to embed-url.")
    display_name = serializers.CharField()
    courses = serializers.ListField(child=serializers.CharField(), help_text=(
        "Instructor dashboards: the courses the user may pick with course_id (all of them by default)."))


class DashboardListSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    mode = serializers.ChoiceField(choices=MODES)
    role = serializers.CharField(allow_null=True, help_text="READER, AUTHOR, STUDENT")
    console = serializers.BooleanField(help_text="Whether console-url is open to this user.")
    dashboards = DashboardSerializer(many=True)


class EmbedUrlSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    url = serializers.URLField(help_text="Open it in an iframe (QuickSight embedding SDK) before expires_at.")
    expires_at = serializers.DateTimeField(help_text="After this the URL can no longer be opened.")
    dashboard = serializers.CharField()
    mode = serializers.ChoiceField(choices=MODES)
    role = serializers.CharField(allow_null=True)


class PanoramaItemSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    name = serializers.CharField()
    displayName = serializers.CharField()  # noqa: N815 (Panorama's key)
    id = serializers.CharField(required=False)
    url = serializers.URLField()


def envelope_of(body_field, name):
    """Panorama's ``{"statusCode": 200, "body": ...}`` envelope around ``body_field``."""
    return type(name, (serializers.Serializer,), {
        "statusCode": serializers.IntegerField(default=200),
        "body": body_field,
    })
