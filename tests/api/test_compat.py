"""
The Panorama MFE's endpoints answer byte for byte what Panorama's backend answers for the same inputs
(DRF's JSON renderer, the ``{"statusCode", "body"}`` envelope, ``name``/``displayName``/``id``/``url``
items), with our access rules. QuickSight through botocore's Stubber (moto has no embed-URL calls).
"""
import pytest
from rest_framework.test import APIClient

from tests.dashboard_fixtures import AUTHOR_ARN, DEFAULT_ARN

pytestmark = pytest.mark.django_db


def get(cast, person, path):
    client = APIClient()
    client.force_login(cast[person])
    return client.get(f"/panorama/api/{path}")


def test_get_panorama_mode(cast, custom_mode):
    response = get(cast, "learner", "get-panorama-mode")
    assert response.content == b'{"statusCode":200,"body":"CUSTOM"}'
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("person, body", [
    ("superuser", b'"READER"'), ("author", b'"AUTHOR"'), ("learner", b'"STUDENT"'), ("instructor", b'"READER"'),
])
def test_get_user_role(cast, custom_mode, person, body):
    assert get(cast, person, "get-user-role").content == b'{"statusCode":200,"body":' + body + b"}"


def test_get_user_role_of_someone_without_access_is_null(cast, custom_mode, settings):
    settings.PANORAMA_ENABLE_STUDENT_VIEW = False
    assert get(cast, "nobody", "get-user-role").content == b'{"statusCode":200,"body":null}'
    assert get(cast, "nobody", "get-user-access").content == b'{"statusCode":200,"body":false}'


def test_get_user_access(cast, custom_mode):
    assert get(cast, "learner", "get-user-access").content == b'{"statusCode":200,"body":true}'


def test_get_embed_url_in_custom_mode(cast, quicksight):
    quicksight.registered(DEFAULT_ARN, "dash-overview")
    quicksight.registered(DEFAULT_ARN, "dash-granted")
    response = get(cast, "superuser", "get-embed-url?dashboard_function=READER")
    assert response.content == (
        b'{"statusCode":200,"body":['
        b'{"name":"overview","displayName":"Overview","id":"dash-overview",'
        b'"url":"https://us-east-1.quicksight.aws.amazon.com/embed/1/dashboards/x?code=abc"},'
        b'{"name":"granted","displayName":"Granted","id":"dash-granted",'
        b'"url":"https://us-east-1.quicksight.aws.amazon.com/embed/2/dashboards/x?code=abc"}]}'
    )


def test_get_embed_url_ignores_the_role_the_browser_asks_for(cast, quicksight):
    learner = cast["learner"]
    quicksight.anonymous("dash-my-progress", {"lms": "lms.example.com", "user_id": str(learner.pk)})
    response = get(cast, "learner", "get-embed-url?dashboard_function=AUTHOR")
    assert [item["name"] for item in response.json()["body"]] == ["my-progress"]


def test_get_embed_url_for_one_dashboard(cast, quicksight):
    quicksight.registered(DEFAULT_ARN, "dash-granted")
    response = get(cast, "superuser", "get-embed-url?dashboard=granted")
    assert [item["name"] for item in response.json()["body"]] == ["granted"]


def test_get_studio_url(cast, quicksight):
    quicksight.registered(AUTHOR_ARN, console=True)
    assert get(cast, "author", "get-studio-url").content == (
        b'{"statusCode":200,"body":[{"name":"console","displayName":"Console",'
        b'"url":"https://us-east-1.quicksight.aws.amazon.com/embed/1/dashboards/x?code=abc"}]}'
    )


def test_get_embed_url_in_a_provider_mode_passes_the_providers_items_unchanged(cast, provider, settings):
    settings.PANORAMA_MODE = "SAAS"
    response = get(cast, "superuser", "get-embed-url")
    assert response.content == (
        b'{"statusCode":200,"body":['
        b'{"name":"activity","displayName":"Activity","url":"https://quicksight.example/embed/activity?code=1"},'
        b'{"name":"grades","display_name":"Grades","url":"https://quicksight.example/embed/grades?code=2",'
        b'"id":"g-1"}]}'
    )


def test_errors_are_real_statuses_that_the_mfe_maps(cast, custom_mode, settings):
    settings.PANORAMA_ENABLE_STUDENT_VIEW = False
    anonymous = APIClient().get("/panorama/api/get-embed-url")
    assert anonymous.status_code == 401  # the MFE: "Your session has expired. Sign in again to use Panorama."
    assert anonymous["WWW-Authenticate"]
    settings_off = get(cast, "nobody", "get-embed-url")
    assert settings_off.status_code == 403  # the MFE: "You do not have access to this Panorama content."
