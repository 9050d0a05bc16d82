"""The Django admin pages of Panorama: listing, validation, and the student-view switch with its history."""
import pytest
from django.test import Client

from panorama_openedx.models import Dashboard, StudentViewSwitch, UserAccess

pytestmark = pytest.mark.django_db
ADMIN = "/admin/panorama_openedx"


@pytest.fixture
def admin_client(cast):
    client = Client()
    client.force_login(cast["superuser"])
    return client


@pytest.mark.parametrize("model", ["dashboard", "useraccess", "studentviewswitch"])
def test_pages_render(admin_client, custom_mode, model):
    assert admin_client.get(f"{ADMIN}/{model}/").status_code == 200
    assert admin_client.get(f"{ADMIN}/{model}/add/").status_code == 200


def test_dashboard_list_shows_the_configured_dashboards(admin_client, custom_mode):
    page = admin_client.get(f"{ADMIN}/dashboard/").content.decode()
    assert "dash-course-health" in page and "Course health" in page


def test_non_staff_are_sent_to_the_login_page(cast, custom_mode):
    client = Client()
    client.force_login(cast["instructor"])
    response = client.get(f"{ADMIN}/dashboard/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_dashboard_id_is_validated(admin_client, custom_mode):
    form = {"dashboard_id": "not a valid id!", "name": "new-one", "display_name": "New", "priority": 5,
            "audience": "learner"}
    response = admin_client.post(f"{ADMIN}/dashboard/add/", form)
    assert response.status_code == 200 and "A QuickSight dashboard id holds" in response.content.decode()
    response = admin_client.post(f"{ADMIN}/dashboard/add/", {**form, "dashboard_id": "0f1e2d3c-aaaa-bbbb"})
    assert response.status_code == 302
    assert Dashboard.objects.get(name="new-one").audience == "learner"


def test_an_arn_is_validated(admin_client, cast, custom_mode):
    form = {"user": cast["nobody"].pk, "arn": "arn:aws:iam::123456789012:user/someone", "role": "AUTHOR",
            "dashboards": [cast.dashboards["overview"].pk]}
    response = admin_client.post(f"{ADMIN}/useraccess/add/", form)
    assert "Expected a QuickSight user ARN" in response.content.decode()
    form["arn"] = "arn:aws:quicksight:us-east-1:123456789012:user/default/someone"
    assert admin_client.post(f"{ADMIN}/useraccess/add/", form).status_code == 302
    access = UserAccess.objects.get(user=cast["nobody"])
    assert (access.role, [d.name for d in access.dashboards.all()]) == ("AUTHOR", ["overview"])


def test_only_admin_dashboards_are_offered_for_grants(admin_client, cast, custom_mode):
    form = {"user": cast["nobody"].pk, "arn": "", "role": "READER", "dashboards": [cast.dashboards["my-progress"].pk]}
    response = admin_client.post(f"{ADMIN}/useraccess/add/", form)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not UserAccess.objects.filter(user=cast["nobody"]).exists()


def test_switching_the_student_view_is_effective_at_once_and_recorded(admin_client, cast, custom_mode):
    learner = Client()
    learner.force_login(cast["learner"])
    assert learner.get("/panorama/api/get-user-role").json()["body"] == "STUDENT"
    form = admin_client.get(f"{ADMIN}/studentviewswitch/add/").content.decode()
    assert '<input type="checkbox" name="enabled" id="id_enabled" checked>' in form  # from the setting
    assert admin_client.post(f"{ADMIN}/studentviewswitch/add/", {}).status_code == 302  # unchecked: off
    assert learner.get("/panorama/api/get-user-role").json()["body"] is None
    record = StudentViewSwitch.objects.get()
    assert (record.enabled, record.changed_by) == (False, cast["superuser"])
    assert "off since" in admin_client.get(f"{ADMIN}/studentviewswitch/").content.decode()


def test_the_switch_history_cannot_be_rewritten(admin_client, cast, custom_mode):
    record = StudentViewSwitch.objects.create(enabled=False, changed_by=cast["global_staff"])
    response = admin_client.post(f"{ADMIN}/studentviewswitch/{record.pk}/change/", {"enabled": "on"})
    assert response.status_code == 403
    assert admin_client.post(f"{ADMIN}/studentviewswitch/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert not record.enabled
