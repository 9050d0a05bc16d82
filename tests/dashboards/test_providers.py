"""
The provider's dashboards API (FREE, SAAS, DEMO) played by a local HTTP server that verifies SigV4 from
the AWS specification; every failure of the provider maps to a clear 502/503/504.
"""
import socket
import time

import pytest
from rest_framework.test import APIClient

from tests.dashboard_fixtures import PROVIDER_DASHBOARDS, sigv4_problem

pytestmark = pytest.mark.django_db


def ask(cast, path="get-embed-url", person="superuser"):
    client = APIClient()
    client.force_login(cast[person])
    return client.get(f"/panorama/api/{path}")


@pytest.fixture
def free(provider, settings):
    settings.PANORAMA_MODE = "FREE"
    return provider


def test_requests_are_signed_for_the_configured_region_and_key(cast, free):
    response = ask(cast)
    assert response.status_code == 200
    request = free.requests[0]
    assert request["signature"] == "valid"
    assert "Credential=AKIDPROVIDER/" in request["headers"]["Authorization"]
    assert "/eu-west-1/execute-api/aws4_request" in request["headers"]["Authorization"]
    assert "provider/secret+key" not in str(request)  # the secret signs; it never travels


def test_the_signature_check_itself_rejects_tampering(cast, free):
    ask(cast)
    request = free.requests[0]
    tampered = request["path"].replace("dashboard_function=READER", "dashboard_function=AUTHOR")
    assert sigv4_problem("GET", tampered, request["headers"], "provider/secret+key", "eu-west-1") == \
        "signature mismatch"
    assert sigv4_problem("GET", request["path"], request["headers"], "another secret", "eu-west-1") == \
        "signature mismatch"
    assert sigv4_problem("GET", request["path"], request["headers"], "provider/secret+key", "us-east-1").startswith(
        "wrong scope")


def test_a_wrong_secret_is_refused_by_the_provider_and_reported_as_misconfigured(cast, free, settings):
    settings.PANORAMA_AWS_SECRET_ACCESS_KEY = "not-the-secret"
    response = ask(cast)
    assert response.status_code == 503
    assert response.json() == {"code": "misconfigured", "setting": "PANORAMA_AWS_ACCESS_KEY",
                               "message": f"The dashboards API at {free.url.split('/')[2]} refused our credentials "
                                          "(HTTP 403)."}
    assert "not-the-secret" not in response.content.decode()


def test_missing_credentials(cast, free, settings):
    settings.PANORAMA_AWS_ACCESS_KEY = ""
    settings.PANORAMA_AWS_SECRET_ACCESS_KEY = ""
    settings.AWS_ACCESS_KEY_ID = None
    settings.AWS_SECRET_ACCESS_KEY = None
    response = ask(cast)
    assert (response.status_code, response.json()["setting"]) == (503, "PANORAMA_AWS_ACCESS_KEY")
    assert free.requests == []


def test_timeout(cast, free, settings):
    settings.PANORAMA_PROVIDER_TIMEOUT = 1
    free.answer = ("sleep", 3)
    response = ask(cast)
    assert response.status_code == 504
    assert response.json()["code"] == "upstream_timeout"
    assert "did not answer within 1 s" in response.json()["message"]


def test_unreachable(cast, free, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PANORAMA_FREE_DASHBOARDS_URL = f"http://127.0.0.1:{port}/nothing-listens-here"
    response = ask(cast)
    assert (response.status_code, response.json()["code"]) == (502, "upstream_failure")
    assert "cannot be reached" in response.json()["message"]


@pytest.mark.parametrize("answer, status, fragment", [
    (("raw", "<html>Bad gateway</html>"), 502, "did not answer JSON"),
    (("json", {"dashboards": []}), 502, "answered dict, not a list"),
    (("json", ["a string"]), 502, "item 0 is not an object"),
    (("json", [{"name": "x", "displayName": "X"}]), 502, "item 0 has no valid url"),
    (("json", [{"name": "", "displayName": "X", "url": "https://q/x"}]), 502, "item 0 has no valid name"),
    (("json", [{"name": "x", "displayName": 3, "url": "https://q/x"}]), 502, "item 0 has no valid displayName"),
    (("json", [{"name": "x", "displayName": "X", "url": "javascript:alert(1)"}]), 502, "url (not https)"),
    (("status", 500), 502, "answered HTTP 500"),
    (("status", 404), 503, "has no such path"),
    (("status", 401), 503, "refused our credentials"),
])
def test_malformed_or_failed_answers(cast, free, answer, status, fragment):
    free.answer = answer
    response = ask(cast)
    assert response.status_code == status
    assert fragment in response.json()["message"]


def test_an_envelope_from_the_provider_is_accepted(cast, free):
    free.answer = ("json", {"statusCode": 200, "body": PROVIDER_DASHBOARDS})
    assert [item["name"] for item in ask(cast).json()["body"]] == ["activity", "grades"]


def test_demo_sends_nothing_that_identifies_the_user(cast, provider, settings):
    settings.PANORAMA_MODE = "DEMO"
    provider.require_signature = False
    assert ask(cast).status_code == 200
    request = provider.requests[0]
    assert "Authorization" not in request["headers"] and "Cookie" not in request["headers"]
    assert set(request["query"]) == {"lms", "version", "dashboard_function"}
    assert "superuser" not in request["path"]


def test_an_unknown_provider_dashboard_is_a_404(cast, free):
    response = ask(cast, "embed-url?dashboard=nope")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_dashboard")


def test_a_provider_that_drips_its_answer_is_cut_at_the_timeout(cast, free, settings):
    """requests' timeout bounds each read; the whole answer has a deadline of its own."""
    settings.PANORAMA_PROVIDER_TIMEOUT = 1
    free.answer = ("drip", 0.05)  # each byte well within the read timeout, the whole far beyond it
    started = time.monotonic()
    response = ask(cast)
    assert (response.status_code, response.json()["code"]) == (504, "upstream_timeout")
    assert time.monotonic() - started < 3


def test_an_oversized_answer_is_refused(cast, free):
    free.answer = ("json", [{"name": f"d{n}", "displayName": "x" * 100, "url": "https://q/x"} for n in range(20000)])
    response = ask(cast)
    assert (response.status_code, response.json()["code"]) == (502, "upstream_failure")
    assert "more than 1 MB" in response.json()["message"]


def test_a_configured_url_with_a_query_keeps_it_and_stays_signed(cast, free, settings):
    settings.PANORAMA_FREE_DASHBOARDS_URL = free.url + "?stage=prod&key=a%20b"
    assert ask(cast).status_code == 200
    request = free.requests[0]
    assert request["query"]["stage"] == "prod" and request["query"]["key"] == "a b"
    assert request["query"]["dashboard_function"] == "READER" and request["path"].count("?") == 1
    assert request["signature"] == "valid"


def test_plain_http_for_a_signed_mode_is_a_warning(settings):
    from panorama_openedx.conf import validate  # pylint: disable=import-outside-toplevel

    settings.PANORAMA_MODE = "SAAS"
    settings.PANORAMA_BUCKET = "provider-lake"
    settings.PANORAMA_SAAS_DASHBOARDS_URL = "http://dashboards.example.com/get"
    result = validate()
    assert [w.check_id for w in result.warnings] == ["panorama.W004"]
    assert "PANORAMA_SAAS_DASHBOARDS_URL is plain http" in result.warnings[0].message
