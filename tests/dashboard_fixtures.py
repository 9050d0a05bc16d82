"""
People, courses and dashboards for the access and API tests, on the real database; QuickSight
checked against botocore's service model (``Stubber``: moto has no embed-URL calls); the provider's
dashboards API played by a local HTTP server that verifies SigV4 signatures independently of botocore.
"""
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone as django_timezone

COURSE_A = "course-v1:Org+A+2026"
COURSE_B = "course-v1:Org+B+2026"
ORG_COURSES = ("course-v1:OrgX+C1+2026", "course-v1:OrgX+C2+2026")
ACCOUNT = "123456789012"
LMS = "lms.example.com"
READER_ARN = f"arn:aws:quicksight:us-east-1:{ACCOUNT}:user/default/reader"
AUTHOR_ARN = f"arn:aws:quicksight:us-east-1:{ACCOUNT}:user/default/author"
DEFAULT_ARN = f"arn:aws:quicksight:us-east-1:{ACCOUNT}:user/default/{LMS}"
ALLOWED = ["https://lms.example.com", "https://apps.lms.example.com"]
PROVIDER_KEY, PROVIDER_SECRET = "AKIDPROVIDER", "provider/secret+key"


def make_course(course_id: str):
    """A course_overviews_courseoverview row with every NOT NULL column filled."""
    from lms_stub.core.models import CourseOverview  # pylint: disable=import-outside-toplevel

    values = {}
    for model_field in CourseOverview._meta.concrete_fields:
        if model_field.null or model_field.has_default() or model_field.primary_key:
            continue
        if isinstance(model_field, models.DateTimeField):
            values[model_field.attname] = django_timezone.now()
        elif isinstance(model_field, (models.IntegerField, models.FloatField, models.DecimalField)):
            values[model_field.attname] = 1
        elif isinstance(model_field, models.BooleanField):
            values[model_field.attname] = False
        else:
            values[model_field.attname] = ""
    org = course_id.split(":", 1)[1].split("+", 1)[0]
    return CourseOverview.objects.create(id=course_id, org=org, **values)


@dataclass
class Cast:
    """The people of the authorization matrix (None stands for the anonymous request)."""

    users: dict = field(default_factory=dict)
    dashboards: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.users.get(name)


@pytest.fixture
def cast(db):  # pylint: disable=unused-argument,too-many-locals
    """Courses A and B of org 'Org', two courses of 'OrgX', dashboards of each audience, and people."""
    from lms_stub.core.models import CourseAccessRole, CourseEnrollment  # pylint: disable=import-outside-toplevel
    from panorama_openedx.models import Dashboard, UserAccess  # pylint: disable=import-outside-toplevel

    for course_id in (COURSE_A, COURSE_B, *ORG_COURSES):
        make_course(course_id)
    dashboards = {
        "overview": Dashboard.objects.create(dashboard_id="dash-overview", name="overview",
                                             display_name="Overview", priority=1, audience="admin"),
        "course-health": Dashboard.objects.create(dashboard_id="dash-course-health", name="course-health",
                                                  display_name="Course health", priority=2, audience="instructor"),
        "my-progress": Dashboard.objects.create(dashboard_id="dash-my-progress", name="my-progress",
                                                display_name="My progress", priority=3, audience="learner"),
        "granted": Dashboard.objects.create(dashboard_id="dash-granted", name="granted",
                                            display_name="Granted", priority=4, audience="admin"),
    }
    user_model = get_user_model()

    def person(name, **flags):
        return user_model.objects.create_user(name, f"{name}@example.com", "pw", **flags)

    users = {name: person(name) for name in ("learner", "course_staff", "instructor", "org_staff", "reader",
                                              "author", "nobody")}
    users["global_staff"] = person("global_staff", is_staff=True)
    users["superuser"] = person("superuser", is_staff=True, is_superuser=True)
    CourseEnrollment.objects.create(user=users["learner"], course_id=COURSE_A, is_active=True)
    CourseEnrollment.objects.create(user=users["learner"], course_id=COURSE_B, is_active=False)
    CourseAccessRole.objects.create(user=users["course_staff"], org="Org", course_id=COURSE_A, role="staff")
    CourseAccessRole.objects.create(user=users["course_staff"], org="Org", course_id=COURSE_B, role="beta_testers")
    CourseAccessRole.objects.create(user=users["instructor"], org="Org", course_id=COURSE_A, role="instructor")
    CourseAccessRole.objects.create(user=users["instructor"], org="Org", course_id=COURSE_B, role="instructor")
    CourseAccessRole.objects.create(user=users["org_staff"], org="OrgX", course_id="", role="staff")
    reader = UserAccess.objects.create(user=users["reader"], arn=READER_ARN, role="READER")
    reader.dashboards.add(dashboards["granted"])
    UserAccess.objects.create(user=users["author"], arn=AUTHOR_ARN, role="AUTHOR")
    return Cast(users=users, dashboards=dashboards)


@pytest.fixture
def custom_mode(settings, tmp_path):
    """CUSTOM mode with a local datalake, the dashboards' AWS account and the LMS/MFE hosts."""
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path / "lake")
    settings.PANORAMA_AWS_ACCOUNT_ID = ACCOUNT
    settings.PANORAMA_LMS_HOST = LMS
    settings.PANORAMA_REGION = "us-east-1"
    settings.MFE_CONFIG = {"PANORAMA_URL": "https://apps.lms.example.com/panorama/"}
    settings.PANORAMA_ENABLE_STUDENT_VIEW = True
    return settings


class QuickSight:
    """botocore's Stubber on the process's QuickSight client: every call checked against the service model."""

    def __init__(self, stubber):
        self.stubber = stubber
        self.count = 0

    def url(self):
        self.count += 1
        return f"https://us-east-1.quicksight.aws.amazon.com/embed/{self.count}/dashboards/x?code=abc"

    @staticmethod
    def registered_params(arn, dashboard_id=None, console=False):
        experience = ({"QuickSightConsole": {"InitialPath": "/start",
                                             "FeatureConfigurations": {"StatePersistence": {"Enabled": True}}}}
                      if console else {"Dashboard": {"InitialDashboardId": dashboard_id}})
        return {"AwsAccountId": ACCOUNT, "SessionLifetimeInMinutes": 60, "AllowedDomains": ALLOWED,
                "UserArn": arn, "ExperienceConfiguration": experience}

    @staticmethod
    def anonymous_params(dashboard_id, tags):
        return {"AwsAccountId": ACCOUNT, "SessionLifetimeInMinutes": 60, "AllowedDomains": ALLOWED,
                "Namespace": "default",
                "AuthorizedResourceArns": [f"arn:aws:quicksight:us-east-1:{ACCOUNT}:dashboard/{dashboard_id}"],
                "ExperienceConfiguration": {"Dashboard": {"InitialDashboardId": dashboard_id}},
                "SessionTags": [{"Key": key, "Value": value} for key, value in tags.items()]}

    def registered(self, arn, dashboard_id=None, console=False):
        self.stubber.add_response("generate_embed_url_for_registered_user", self._answer(),
                                  self.registered_params(arn, dashboard_id, console))

    def anonymous(self, dashboard_id, tags):
        answer = {**self._answer(), "AnonymousUserArn": f"arn:aws:quicksight:us-east-1:{ACCOUNT}:user/anonymous"}
        self.stubber.add_response("generate_embed_url_for_anonymous_user", answer,
                                  self.anonymous_params(dashboard_id, tags))

    def error(self, operation, params, code, status=400, message="refused"):
        """An AWS error answered to exactly this request."""
        self.stubber.add_client_error(operation, service_error_code=code, service_message=message,
                                      http_status_code=status, expected_params=params)

    def _answer(self):
        return {"EmbedUrl": self.url(), "Status": 200, "RequestId": "request-1"}


@pytest.fixture
def quicksight(custom_mode):  # pylint: disable=unused-argument,redefined-outer-name
    """Expected QuickSight calls, in order; the test fails if one is missing or different."""
    from botocore.stub import Stubber  # pylint: disable=import-outside-toplevel

    from panorama_openedx.conf import get_settings  # pylint: disable=import-outside-toplevel
    from panorama_openedx.dashboards import quicksight as module  # pylint: disable=import-outside-toplevel

    stubber = Stubber(module.client(get_settings()))
    stubber.activate()
    yield QuickSight(stubber)
    stubber.deactivate()
    stubber.assert_no_pending_responses()


# --- the provider's dashboards API -----------------------------------------------------------------------

PROVIDER_DASHBOARDS = [
    {"name": "activity", "displayName": "Activity", "url": "https://quicksight.example/embed/activity?code=1"},
    {"name": "grades", "display_name": "Grades", "url": "https://quicksight.example/embed/grades?code=2",
     "id": "g-1"},
]


def sigv4_problem(method, raw_path, headers, secret, region, service="execute-api", now=None):
    """
    Why a request's SigV4 signature is wrong ('' when it is right), computed from the AWS specification
    (canonical request, string to sign, derived key), not with botocore.
    """
    authorization = headers.get("Authorization", "")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        return "no SigV4 Authorization header"
    parts = dict(item.strip().split("=", 1) for item in authorization[len("AWS4-HMAC-SHA256 "):].split(","))
    access_key, date, scope_region, scope_service, terminator = parts["Credential"].split("/")
    amz_date = headers.get("X-Amz-Date", "")
    if (scope_region, scope_service, terminator) != (region, service, "aws4_request"):
        return f"wrong scope {parts['Credential']}"
    if not amz_date.startswith(date):
        return "X-Amz-Date does not match the credential scope"
    signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    if abs(((now or datetime.now(timezone.utc)) - signed_at).total_seconds()) > 300:
        return "signature older than five minutes"
    url = urlsplit(raw_path)
    signed = parts["SignedHeaders"].split(";")
    if "host" not in signed:
        return "host is not signed"
    lowered = {name.lower(): value for name, value in headers.items()}
    canonical_query = "&".join(sorted(
        f"{quote(key, safe='-_.~')}={quote(value, safe='-_.~')}"
        for key, value in parse_qsl(url.query, keep_blank_values=True)))
    canonical_request = "\n".join([
        method, quote(url.path, safe="/-_.~"), canonical_query,
        "".join(f"{name}:{' '.join(lowered[name].split())}\n" for name in signed),
        ";".join(signed), hashlib.sha256(b"").hexdigest()])
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                                hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts["Signature"]):
        return "signature mismatch"
    return "" if access_key == PROVIDER_KEY else f"unknown access key {access_key}"


class Provider:
    """A local stand-in for the provider's dashboards API, recording every request it answers."""

    def __init__(self):
        self.requests = []
        self.answer = ("json", PROVIDER_DASHBOARDS)
        self.require_signature = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}/get-dashboards"

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                headers = dict(self.headers.items())
                problem = sigv4_problem("GET", self.path, headers, PROVIDER_SECRET, "eu-west-1")
                provider.requests.append({"path": self.path, "query": dict(parse_qsl(urlsplit(self.path).query)),
                                          "headers": headers, "signature": problem or "valid"})
                if provider.require_signature and problem:
                    return self._send(403, b'{"message": "Forbidden"}')
                kind, value = provider.answer
                if kind == "sleep":
                    time.sleep(value)
                    return self._send(200, json.dumps(PROVIDER_DASHBOARDS).encode())
                if kind == "status":
                    return self._send(value, b'{"message": "error"}')
                if kind == "drip":  # headers at once, then one byte every `value` seconds
                    return self._drip(value)
                if kind == "raw":
                    return self._send(200, value.encode())
                return self._send(200, json.dumps(value).encode())

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _drip(self, pause):
                body = json.dumps(PROVIDER_DASHBOARDS).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for index in range(len(body)):
                        self.wfile.write(body[index:index + 1])
                        self.wfile.flush()
                        time.sleep(pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):  # quiet
                pass

        return Handler

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    """The provider's API for DEMO, FREE and SAAS, with the credentials it accepts."""
    server = Provider().start()
    for mode in ("DEMO", "FREE", "SAAS"):
        setattr(settings, f"PANORAMA_{mode}_DASHBOARDS_URL", server.url)
    settings.PANORAMA_PROVIDER_REGION = "eu-west-1"
    settings.PANORAMA_AWS_ACCESS_KEY = PROVIDER_KEY
    settings.PANORAMA_AWS_SECRET_ACCESS_KEY = PROVIDER_SECRET
    settings.PANORAMA_LMS_HOST = LMS
    settings.PANORAMA_BUCKET = "provider-lake"
    settings.PANORAMA_PROVIDER_TIMEOUT = 2
    yield server
    server.stop()
