"""
API views. Every answer keeps Panorama's ``{"statusCode", "body"}`` envelope so that the existing
Panorama MFE works unchanged; failures are real HTTP status codes.
"""
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from panorama_openedx.conf import get_settings


def envelope(body, status=200):
    """The response shape the Panorama MFE reads: the payload sits in ``body``."""
    return Response({"statusCode": status, "body": body}, status=status)


class PanoramaModeView(APIView):
    """The mode (DEMO, FREE, SAAS, CUSTOM): the MFE picks its home page from it."""

    permission_classes = (IsAuthenticated,)

    def get(self, request):  # pylint: disable=unused-argument
        return envelope(get_settings().mode.value)
