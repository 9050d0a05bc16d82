"""The API answers in the Panorama MFE's envelope and refuses anonymous requests."""
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

URL = "/panorama/api/get-panorama-mode"


@pytest.mark.django_db
def test_mode_needs_a_logged_in_user():
    response = APIClient().get(URL)
    assert response.status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["DEMO", "CUSTOM"])
def test_mode_is_returned_in_the_envelope(settings, mode, tmp_path):
    settings.PANORAMA_MODE = mode
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_user("learner", "l@example.com", "x"))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"statusCode": 200, "body": mode}
