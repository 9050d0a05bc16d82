"""
QuickSight calls and their failures, through the API. botocore's Stubber checks each request against
the service model (moto has no embed-URL calls); timeouts and unreachable endpoints are raised by a
botocore ``before-send`` hook, since nothing here can make AWS slow on demand.
"""
import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from rest_framework.test import APIClient

from panorama_openedx.conf import get_settings
from panorama_openedx.dashboards import quicksight as module
from panorama_openedx.models import UserAccess
from tests.dashboard_fixtures import COURSE_A, COURSE_B, DEFAULT_ARN, LMS, ORG_COURSES

pytestmark = pytest.mark.django_db


def get(cast, person, path):
    client = APIClient()
    client.force_login(cast[person])
    return client.get(f"/panorama/api/{path}")


@pytest.mark.parametrize("code, status, setting", [
    ("AccessDeniedException", 503, "PANORAMA_AWS_ACCESS_KEY"),
    ("ResourceNotFoundException", 503, None),
    ("QuickSightUserNotFoundException", 503, "PANORAMA_DEFAULT_USER_ARN"),
    ("UnsupportedUserEditionException", 503, "PANORAMA_AWS_ACCOUNT_ID"),
    ("UnsupportedPricingPlanException", 503, "PANORAMA_AWS_ACCOUNT_ID"),
    ("SessionLifetimeInMinutesInvalidException", 503, "PANORAMA_EMBED_SESSION_MINUTES"),
    ("InvalidParameterValueException", 503, None),
    ("ThrottlingException", 502, None),
    ("InternalFailureException", 502, None),
])
def test_aws_errors_map_to_502_or_503(cast, quicksight, code, status, setting):
    params = quicksight.registered_params(DEFAULT_ARN, "dash-overview")
    quicksight.error("generate_embed_url_for_registered_user", params, code, status=400 if status == 503 else 500, message="dashboard/dash-overview is gone")
    response = get(cast, "global_staff", "embed-url?dashboard=overview")
    body = response.json()
    assert response.status_code == status
    assert body["code"] == ("misconfigured" if status == 503 else "upstream_failure")
    assert body["message"].startswith(f"QuickSight refused GenerateEmbedUrlForRegisteredUser: {code}")
    assert body.get("setting") == setting
    if code == "ResourceNotFoundException":
        assert f"check the QuickSight user {DEFAULT_ARN} or the dashboard dash-overview" in body["message"]


def test_learners_get_a_plain_message_and_the_log_gets_the_details(cast, quicksight, caplog):
    learner = cast["learner"]
    quicksight.error("generate_embed_url_for_anonymous_user",
                     quicksight.anonymous_params("dash-my-progress", {"lms": LMS, "user_id": str(learner.pk)}),
                     "AccessDeniedException", message="User: arn:aws:iam::123456789012:user/lms is not authorized")
    response = get(cast, "learner", "embed-url?dashboard=my-progress")
    assert response.status_code == 503
    assert response.json() == {
        "code": "misconfigured", "message": "Panorama is not configured correctly; please tell the site's administrators."}
    assert "arn:aws:iam" not in response.content.decode()
    assert "QuickSight refused GenerateEmbedUrlForAnonymousUser: AccessDeniedException: User: arn:aws:iam::" \
        in caplog.text


@pytest.mark.parametrize("failure, status, code", [
    (ReadTimeoutError(endpoint_url="https://quicksight"), 504, "upstream_timeout"),
    (EndpointConnectionError(endpoint_url="https://quicksight"), 502, "upstream_failure"),
])
def test_timeouts_and_unreachable_quicksight(cast, custom_mode, aws, failure, status, code):
    module._CLIENTS.clear()  # pylint: disable=protected-access  # a client with the aws fixture's credentials
    client = module.client(get_settings())

    def fail(**kwargs):
        raise failure

    client.meta.events.register_first("before-send.quicksight", fail)
    try:
        response = get(cast, "global_staff", "embed-url?dashboard=overview")
    finally:
        client.meta.events.unregister("before-send.quicksight", fail)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert "Traceback" not in response.content.decode()


def test_one_client_per_process(custom_mode, settings):
    first = module.client(get_settings())
    settings.PANORAMA_EMBED_SESSION_MINUTES = 30  # the settings object is rebuilt, the client is kept
    assert module.client(get_settings()) is first
    settings.PANORAMA_REGION = "eu-west-1"
    assert module.client(get_settings()) is not first


def test_missing_account_id_is_a_503_naming_it(cast, custom_mode, settings):
    settings.PANORAMA_AWS_ACCOUNT_ID = ""
    UserAccess.objects.create(user=cast["global_staff"], arn=DEFAULT_ARN.replace(f"/{LMS}", "/staff"))
    response = get(cast, "global_staff", "embed-url?dashboard=overview")
    assert (response.status_code, response.json()["setting"]) == (503, "PANORAMA_AWS_ACCOUNT_ID")


def test_staff_without_any_arn(cast, custom_mode, settings):
    settings.PANORAMA_DEFAULT_USER_ARN = ""
    settings.PANORAMA_AWS_ACCOUNT_ID = ""
    response = get(cast, "global_staff", "embed-url?dashboard=overview")
    assert (response.status_code, response.json()["setting"]) == (503, "PANORAMA_DEFAULT_USER_ARN")


def test_non_staff_grants_never_use_the_shared_default_arn(cast, quicksight, caplog):
    UserAccess.objects.filter(user=cast["reader"]).update(arn="")
    response = get(cast, "reader", "embed-url?dashboard=granted")
    assert (response.status_code, response.json()["code"]) == (503, "misconfigured")
    assert "setting" not in response.json()
    assert "User 'reader' has no QuickSight user ARN" in caplog.text


def test_the_console_needs_the_authors_own_arn(cast, quicksight, caplog):
    UserAccess.objects.filter(user=cast["author"]).update(arn="")
    response = get(cast, "author", "console-url")
    assert (response.status_code, response.json()["code"]) == (503, "misconfigured")
    assert "User 'author' has the AUTHOR role but no QuickSight user ARN" in caplog.text


def test_global_staff_are_told_which_setting_to_fix(cast, quicksight):
    UserAccess.objects.create(user=cast["superuser"], role="AUTHOR")
    response = get(cast, "superuser", "console-url")
    assert (response.status_code, response.json()["setting"]) == (503, "UserAccess.arn")


def test_a_registered_embed_for_one_course_adds_a_display_filter(cast, quicksight):
    quicksight.registered(DEFAULT_ARN, "dash-overview")
    response = get(cast, "global_staff", f"embed-url?dashboard=overview&course_id={COURSE_A}")
    assert response.json()["url"].endswith("#p.course_id=course-v1%3AOrg%2BA%2B2026")


def test_too_many_courses_for_one_session_tag(cast, quicksight):
    from lms_stub.core.models import CourseAccessRole  # pylint: disable=import-outside-toplevel
    from tests.dashboard_fixtures import make_course  # pylint: disable=import-outside-toplevel

    for number in range(12):
        course_id = f"course-v1:BigOrg+Course{number:02d}+2026_Spring"
        make_course(course_id)
        CourseAccessRole.objects.create(user=cast["nobody"], org="BigOrg", course_id=course_id, role="instructor")
    response = get(cast, "nobody", "embed-url?dashboard=course-health")
    assert response.status_code == 400
    assert "You are on the team of 12 courses" in response.json()["message"]
    assert "choose a course with course_id" in response.json()["message"]
    # The Panorama MFE cannot choose: its list leaves that dashboard out and still shows the others.
    learner_tags = {"lms": LMS, "user_id": str(cast["nobody"].pk)}
    quicksight.anonymous("dash-my-progress", learner_tags)
    body = get(cast, "nobody", "get-embed-url").json()["body"]
    assert [item["name"] for item in body] == ["my-progress"]
    quicksight.anonymous("dash-course-health", {"lms": LMS, "course_id": "course-v1:BigOrg+Course03+2026_Spring"})
    course = "course-v1:BigOrg%2BCourse03%2B2026_Spring"
    response = get(cast, "nobody", f"embed-url?dashboard=course-health&course_id={course}")
    assert response.status_code == 200


def test_instructor_tags_carry_exactly_their_courses(cast, quicksight):
    quicksight.anonymous("dash-course-health", {"lms": LMS, "course_id": f"{COURSE_A},{COURSE_B}"})
    assert get(cast, "instructor", "embed-url?dashboard=course-health").status_code == 200


def test_org_and_course_roles_together(cast, quicksight):
    """Course-level courses outside the organisations, and the organisations, each in a tag of its own."""
    from lms_stub.core.models import CourseAccessRole  # pylint: disable=import-outside-toplevel

    CourseAccessRole.objects.create(user=cast["org_staff"], org="Org", course_id=COURSE_A, role="instructor")
    CourseAccessRole.objects.create(user=cast["org_staff"], org="OrgX", course_id=ORG_COURSES[0], role="staff")
    quicksight.anonymous("dash-course-health", {"lms": LMS, "course_id": COURSE_A, "org": "OrgX"})
    response = get(cast, "org_staff", "dashboards")
    assert response.json()["dashboards"][0]["courses"] == [COURSE_A, *ORG_COURSES]
    assert get(cast, "org_staff", "embed-url?dashboard=course-health").status_code == 200


def test_learner_tags_carry_exactly_their_id_and_the_course_they_chose(cast, quicksight):
    learner = cast["learner"]
    quicksight.anonymous("dash-my-progress", {"lms": LMS, "user_id": str(learner.pk), "course_id": COURSE_A})
    response = get(cast, "learner", f"embed-url?dashboard=my-progress&course_id={COURSE_A}")
    assert response.json()["url"].endswith(
        f"?code=abc#p.userId={learner.pk}&p.lms=lms.example.com&p.course_id=course-v1%3AOrg%2BA%2B2026")


def test_display_parameters_keep_an_existing_fragment():
    from panorama_openedx.dashboards.embed import with_parameters  # pylint: disable=import-outside-toplevel

    assert with_parameters("https://q/x#p.a=1", {"lms": "h"}) == "https://q/x#p.a=1&p.lms=h"
    assert with_parameters("https://q/x", {}) == "https://q/x"


def test_no_credentials_at_all_is_a_503(cast, custom_mode, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr("boto3.DEFAULT_SESSION", None)  # it caches the credentials another test resolved
    module._CLIENTS.clear()  # pylint: disable=protected-access
    response = get(cast, "global_staff", "embed-url?dashboard=overview")
    assert (response.status_code, response.json().get("setting")) == (503, "PANORAMA_AWS_ACCESS_KEY"), response.json()
    module._CLIENTS.clear()  # pylint: disable=protected-access
