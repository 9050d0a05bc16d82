"""
Failures that a dashboards request can meet, each with its HTTP status and a stable code.

The API turns them into ``{"code", "message"}`` answers; messages name the thing at fault and never
carry a secret or a stack trace.
"""


class DashboardError(Exception):
    """Base class: ``status`` is the HTTP status, ``code`` a stable machine-readable name."""

    status = 500
    code = "error"

    def __init__(self, message: str, setting: str = ""):
        super().__init__(message)
        self.message = message
        self.setting = setting

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.setting:
            body["setting"] = self.setting
        return body


class BadParameter(DashboardError):
    status, code = 400, "bad_parameter"


class NotAuthenticated(DashboardError):
    status, code = 401, "not_authenticated"


class NotAllowed(DashboardError):
    status, code = 403, "forbidden"


class UnknownDashboard(DashboardError):
    status, code = 404, "unknown_dashboard"


class UnknownCourse(DashboardError):
    status, code = 404, "unknown_course"


class UpstreamFailure(DashboardError):
    status, code = 502, "upstream_failure"


class Misconfigured(DashboardError):
    status, code = 503, "misconfigured"


class UpstreamTimeout(DashboardError):
    status, code = 504, "upstream_timeout"
