"""
Bad parameters, misconfiguration, methods, authentication (session and the LMS's JWT cookie through
edx-drf-extensions) and the OpenAPI schema.
"""
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from jwt.api_jwk import PyJWK
from rest_framework.test import APIClient

from panorama_openedx.models import StudentViewSwitch
from tests.dashboard_fixtures import DEFAULT_ARN

pytestmark = pytest.mark.django_db
ENDPOINTS = ("dashboards", "embed-url", "console-url", "get-embed-url", "get-studio-url", "get-user-role",
             "get-user-access", "get-panorama-mode")


def logged_in(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("query, status, code, fragment", [
    ("", 400, "bad_parameter", "dashboard parameter is required"),
    ("?dashboard=", 400, "bad_parameter", "dashboard parameter is required"),
    ("?dashboard=missing", 404, "unknown_dashboard", "no dashboard 'missing'"),
    ("?dashboard=course-health", 404, "unknown_dashboard", "no dashboard 'course-health'"),  # not theirs
    ("?dashboard=overview&course_id=nonsense", 400, "bad_parameter", "not a course key"),
    ("?dashboard=overview&course_id=course-v1:Org%2BZ%2B1", 404, "unknown_course", "no course"),
])
def test_bad_parameters(cast, custom_mode, query, status, code, fragment):
    response = logged_in(cast["global_staff"]).get(f"/panorama/api/embed-url{query}")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert fragment in response.json()["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_invalid_setting_is_a_503_naming_it(cast, custom_mode, settings, endpoint):
    settings.PANORAMA_EMBED_SESSION_MINUTES = 5
    response = logged_in(cast["superuser"]).get(f"/panorama/api/{endpoint}?dashboard=overview")
    assert response.status_code == 503
    assert response.json()["setting"] == "PANORAMA_EMBED_SESSION_MINUTES"
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_only_get_is_allowed(cast, custom_mode, endpoint):
    response = logged_in(cast["superuser"]).post(f"/panorama/api/{endpoint}")
    assert response.status_code == 405


def test_secrets_never_reach_a_response(cast, custom_mode, settings, quicksight):
    settings.PANORAMA_AWS_ACCESS_KEY = "AKIAVERYSECRET"
    settings.PANORAMA_AWS_SECRET_ACCESS_KEY = "the-secret-value"
    settings.PANORAMA_EMBED_SESSION_MINUTES = "sixty"
    response = logged_in(cast["superuser"]).get("/panorama/api/dashboards")
    assert response.status_code == 503
    assert b"the-secret-value" not in response.content and b"AKIAVERYSECRET" not in response.content


def jwt_for(user, key=None, expires_in=300, restricted=False):
    """A JWT as the LMS signs it for the MFEs (RS512 with its private JWK), or with another ``key``."""
    issuer = django_settings.JWT_AUTH["JWT_ISSUERS"][0]
    now = int(time.time())
    payload = {"iss": issuer["ISSUER"], "aud": issuer["AUDIENCE"], "exp": now + expires_in, "iat": now,
               "preferred_username": user.username, "email": user.email, "administrator": user.is_staff,
               "version": "1.2.0", "filters": [], "scopes": ["user_id", "email", "profile"],
               "is_restricted": restricted,
               "user_id": user.pk, "sub": "anonymous-id"}
    key = key or PyJWK.from_json(django_settings.JWT_AUTH["JWT_PRIVATE_SIGNING_JWK"]).key
    return jwt.encode(payload, key, algorithm="RS512")


def test_jwt_cookie_as_the_mfes_send_it(cast, custom_mode):
    """The MFE sends the JWT split in two cookies; the LMS's middleware joins them (edx-drf-extensions)."""
    header, payload, signature = jwt_for(cast["learner"]).split(".")
    client = APIClient()
    client.cookies["edx-jwt-cookie-header-payload"] = f"{header}.{payload}"
    client.cookies["edx-jwt-cookie-signature"] = signature
    response = client.get("/panorama/api/get-user-role")
    assert response.content == b'{"statusCode":200,"body":"STUDENT"}'


def test_jwt_authorization_header(cast, custom_mode):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {jwt_for(cast['superuser'])}")
    assert client.get("/panorama/api/get-user-role").json() == {"statusCode": 200, "body": "READER"}


@pytest.mark.parametrize("token", ["forged", "expired"])
def test_a_bad_jwt_is_a_401(cast, custom_mode, token):
    user = cast["superuser"]
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    value = jwt_for(user, key=forger) if token == "forged" else jwt_for(user, expires_in=-600)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {value}")
    response = client.get("/panorama/api/dashboards")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_session_cookie_login(cast, custom_mode, quicksight):
    client = APIClient()
    assert client.login(username="global_staff", password="pw")
    quicksight.registered(DEFAULT_ARN, "dash-overview")
    assert client.get("/panorama/api/embed-url?dashboard=overview").status_code == 200


def test_openapi_schema_documents_every_endpoint(cast, custom_mode):
    GENERATOR_STATS.reset()
    response = APIClient().get("/panorama/api/schema?format=json")
    stats = GENERATOR_STATS.__dict__  # no warning or error while generating (they are counted, not raised)
    assert not GENERATOR_STATS, stats
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    for endpoint in ENDPOINTS:
        operation = schema["paths"][f"/panorama/api/{endpoint}"]["get"]
        assert {"200", "401", "403", "503"} <= set(operation["responses"]), endpoint
    parameters = {p["name"]: p for p in schema["paths"]["/panorama/api/embed-url"]["get"]["parameters"]}
    assert parameters["dashboard"]["required"] and "course_id" in parameters
    assert set(schema["components"]["schemas"]["EmbedUrl"]["properties"]) == {
        "url", "expires_at", "dashboard", "mode", "role"}


def test_a_restricted_jwt_is_refused(cast, custom_mode):
    """A JWT issued to a restricted third-party application does not open dashboards, even an AUTHOR's."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {jwt_for(cast['author'], restricted=True)}")
    for endpoint in ("dashboards", "console-url", "get-embed-url"):
        response = client.get(f"/panorama/api/{endpoint}")
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_an_inactive_users_session_is_not_accepted(cast, custom_mode):
    client = logged_in(cast["superuser"])
    cast["superuser"].is_active = False
    cast["superuser"].save()
    response = client.get("/panorama/api/dashboards")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_an_author_with_only_the_console_gets_a_404_not_an_empty_list(cast, custom_mode, settings):
    """The Panorama MFE cannot show an empty list; a 404 names the console instead."""
    settings.PANORAMA_ENABLE_STUDENT_VIEW = False
    response = logged_in(cast["author"]).get("/panorama/api/get-embed-url")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_dashboard")
    assert "get-studio-url" in response.json()["message"]


def test_saas_course_staff_with_the_student_view_off(cast, provider, settings):
    settings.PANORAMA_MODE = "SAAS"
    StudentViewSwitch.objects.create(enabled=False)
    response = logged_in(cast["course_staff"]).get("/panorama/api/get-embed-url")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert provider.requests == []
