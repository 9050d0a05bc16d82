"""
The authorization matrix: every kind of user × every endpoint × every mode, with the exact status,
the body's shape and the upstream calls (QuickSight through botocore's Stubber, which validates each
request against the service model, since moto has no embed-URL calls; the provider API played by a
local HTTP server that checks the SigV4 signature).

A cell is the HTTP status alone for an error (its code follows from it), or (200, what the body holds).
Embed cells list the QuickSight calls the request must make, in order:
  "reg <arn> <dashboard id>"      registered user (ARN: DEFAULT, READER, AUTHOR)
  "console <arn>"                 registered user, QuickSight console
  "anon <dashboard id> k=v ..."   anonymous user with exactly these session tags besides lms
"""
import pytest
from rest_framework.test import APIClient

from panorama_openedx.models import StudentViewSwitch
from tests.dashboard_fixtures import AUTHOR_ARN, COURSE_A, COURSE_B, DEFAULT_ARN, LMS, ORG_COURSES, READER_ARN

ENDPOINTS = ("dashboards", "embed-url", "console-url", "get-embed-url", "get-studio-url", "get-user-role",
             "get-user-access", "get-panorama-mode")
PEOPLE = ("anonymous", "learner", "learner_view_off", "course_staff", "instructor", "org_staff", "global_staff",
          "superuser", "reader", "author")
CODES = {400: "bad_parameter", 401: "not_authenticated", 403: "forbidden", 404: "unknown_dashboard"}
C1, C2 = ORG_COURSES
ARNS = {"DEFAULT": DEFAULT_ARN, "READER": READER_ARN, "AUTHOR": AUTHOR_ARN}

# What each person asks embed-url for (CUSTOM mode).
ASKS = {
    "anonymous": "dashboard=overview",
    "learner": "dashboard=my-progress",
    "learner_view_off": "dashboard=my-progress",
    "course_staff": f"dashboard=course-health&course_id={COURSE_B}",  # on the team of A, not of B
    "instructor": "dashboard=course-health",
    "org_staff": f"dashboard=course-health&course_id={C1}",
    "global_staff": "dashboard=overview",
    "superuser": "dashboard=granted",
    "reader": "dashboard=granted",
    "author": "dashboard=my-progress",
}
SELF = "anon dash-my-progress user_id={id}"
COURSES_AB = f"anon dash-course-health course_id={COURSE_A},{COURSE_B}"

CUSTOM = {
    "anonymous": (401, 401, 401, 401, 401, 401, 401, 401),
    "learner": ((200, ["my-progress"]), (200, [SELF]), 403, (200, [SELF]), 403, (200, "STUDENT"), (200, True),
                (200, "CUSTOM")),
    "learner_view_off": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "CUSTOM")),
    "course_staff": ((200, ["course-health", "my-progress"]), 403, 403,
                     (200, [f"anon dash-course-health course_id={COURSE_A}", SELF]), 403, (200, "READER"),
                     (200, True), (200, "CUSTOM")),
    "instructor": ((200, ["course-health", "my-progress"]), (200, [COURSES_AB]), 403, (200, [COURSES_AB, SELF]),
                   403, (200, "READER"), (200, True), (200, "CUSTOM")),
    "org_staff": ((200, ["course-health", "my-progress"]), (200, [f"anon dash-course-health course_id={C1}"]), 403,
                  (200, ["anon dash-course-health org=OrgX", SELF]), 403, (200, "READER"), (200, True),
                  (200, "CUSTOM")),
    "global_staff": ((200, ["overview", "granted"]), (200, ["reg DEFAULT dash-overview"]), 403,
                     (200, ["reg DEFAULT dash-overview", "reg DEFAULT dash-granted"]), 403, (200, "READER"),
                     (200, True), (200, "CUSTOM")),
    "superuser": ((200, ["overview", "granted"]), (200, ["reg DEFAULT dash-granted"]), 403,
                  (200, ["reg DEFAULT dash-overview", "reg DEFAULT dash-granted"]), 403, (200, "READER"),
                  (200, True), (200, "CUSTOM")),
    "reader": ((200, ["my-progress", "granted"]), (200, ["reg READER dash-granted"]), 403,
               (200, [SELF, "reg READER dash-granted"]), 403, (200, "READER"), (200, True), (200, "CUSTOM")),
    "author": ((200, ["my-progress"]), (200, [SELF]), (200, ["console AUTHOR"]), (200, [SELF]),
               (200, ["console AUTHOR"]), (200, "AUTHOR"), (200, True), (200, "CUSTOM")),
}

# Provider modes: the cells of dashboards / embed-url / get-embed-url hold the role sent to the provider.
PROVIDER_ASKS = dict.fromkeys(PEOPLE, "dashboard=grades") | {"course_staff": f"dashboard=grades&course_id={COURSE_B}"}
STAFF_ONLY = {  # DEMO and FREE: superusers and global staff only
    "anonymous": (401, 401, 401, 401, 401, 401, 401, 401),
    "learner": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "learner_view_off": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "course_staff": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "instructor": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "org_staff": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "global_staff": ((200, "READER"), (200, "READER"), 403, (200, "READER"), 403, (200, "READER"), (200, True),
                     (200, "MODE")),
    "superuser": ((200, "READER"), (200, "READER"), 403, (200, "READER"), 403, (200, "READER"), (200, True),
                  (200, "MODE")),
    "reader": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "author": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
}
SAAS = {  # global staff, users with an access entry, and learners while the student view is on
    "anonymous": (401, 401, 401, 401, 401, 401, 401, 401),
    "learner": ((200, "STUDENT"), (200, "STUDENT"), 403, (200, "STUDENT"), 403, (200, "STUDENT"), (200, True),
                (200, "MODE")),
    "learner_view_off": (403, 403, 403, 403, 403, (200, None), (200, False), (200, "MODE")),
    "course_staff": ((200, "STUDENT"), 400, 403, (200, "STUDENT"), 403, (200, "STUDENT"), (200, True),
                     (200, "MODE")),
    "instructor": ((200, "STUDENT"), (200, "STUDENT"), 403, (200, "STUDENT"), 403, (200, "STUDENT"), (200, True),
                   (200, "MODE")),
    "org_staff": ((200, "STUDENT"), (200, "STUDENT"), 403, (200, "STUDENT"), 403, (200, "STUDENT"), (200, True),
                  (200, "MODE")),
    "global_staff": ((200, "READER"), (200, "READER"), 403, (200, "READER"), 403, (200, "READER"), (200, True),
                     (200, "MODE")),
    "superuser": ((200, "READER"), (200, "READER"), 403, (200, "READER"), 403, (200, "READER"), (200, True),
                  (200, "MODE")),
    "reader": ((200, "READER"), (200, "READER"), 403, (200, "READER"), 403, (200, "READER"), (200, True),
               (200, "MODE")),
    "author": ((200, "AUTHOR"), (200, "AUTHOR"), 403, (200, "AUTHOR"), 403, (200, "AUTHOR"), (200, True),
               (200, "MODE")),
}
MATRIX = {"CUSTOM": CUSTOM, "DEMO": STAFF_ONLY, "FREE": STAFF_ONLY, "SAAS": SAAS}
CASES = [(mode, person, endpoint) for mode in MATRIX for person in PEOPLE for endpoint in ENDPOINTS]


def test_the_matrix_is_complete():
    for table in MATRIX.values():
        assert set(table) == set(PEOPLE)
        assert all(len(row) == len(ENDPOINTS) for row in table.values())


def client_for(cast, person):
    client = APIClient()
    if person == "learner_view_off":
        StudentViewSwitch.objects.create(enabled=False)
        person = "learner"
    if person != "anonymous":
        client.force_login(cast[person])
    return client


def url_path(endpoint, asks, person):
    return f"/panorama/api/{endpoint}" + (f"?{asks[person]}" if endpoint == "embed-url" else "")


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_custom_mode(cast, quicksight, person, endpoint):
    cell = CUSTOM[person][ENDPOINTS.index(endpoint)]
    client = client_for(cast, person)
    who = cast["learner" if person == "learner_view_off" else person]
    calls = []
    if isinstance(cell, tuple) and endpoint not in ("dashboards", "get-user-role", "get-user-access",
                                                      "get-panorama-mode"):
        calls = [call.replace("{id}", str(who.pk)) for call in cell[1]]
        for call in calls:
            kind, *rest = call.split(" ")
            if kind == "reg":
                quicksight.registered(ARNS[rest[0]], rest[1])
            elif kind == "console":
                quicksight.registered(ARNS[rest[0]], console=True)
            else:
                quicksight.anonymous(rest[0], {"lms": LMS, **dict(pair.split("=", 1) for pair in rest[1:])})
    response = client.get(url_path(endpoint, ASKS, person))
    body = response.json()
    if isinstance(cell, int):
        assert (response.status_code, body) == (cell, {"code": CODES[cell], "message": body["message"]})
        assert body["message"]
        return
    assert response.status_code == 200, body
    expected = cell[1]
    # Learner dashboards carry Panorama's display parameters in the fragment (the session tags limit the rows).
    issued = [f"https://us-east-1.quicksight.aws.amazon.com/embed/{n}/dashboards/x?code=abc"
              + (f"#p.userId={who.pk}&p.lms={LMS}" if call.startswith("anon dash-my-progress") else "")
              for n, call in enumerate(calls, start=1)]
    if endpoint == "dashboards":
        assert set(body) == {"mode", "role", "console", "dashboards"}
        assert [item["name"] for item in body["dashboards"]] == expected
        assert body["mode"] == "CUSTOM" and body["console"] == (person == "author")
        assert body["role"] == CUSTOM[person][ENDPOINTS.index("get-user-role")][1]
    elif endpoint in ("embed-url", "console-url"):
        assert set(body) == {"url", "expires_at", "dashboard", "mode", "role"}
        assert body["url"] == issued[0] and body["mode"] == "CUSTOM"
        assert body["dashboard"] == ("console" if endpoint == "console-url" else ASKS[person].split("&")[0][10:])
        assert body["role"] == CUSTOM[person][ENDPOINTS.index("get-user-role")][1]
    elif endpoint in ("get-embed-url", "get-studio-url"):
        assert set(body) == {"statusCode", "body"} and body["statusCode"] == 200
        assert [item["url"] for item in body["body"]] == issued
        for item in body["body"]:
            assert set(item) == ({"name", "displayName", "url"} if endpoint == "get-studio-url"
                                 else {"name", "displayName", "id", "url"})
    else:
        assert body == {"statusCode": 200, "body": expected}


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["DEMO", "FREE", "SAAS"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_provider_modes(cast, provider, settings, mode, person, endpoint):
    settings.PANORAMA_MODE = mode
    provider.require_signature = mode != "DEMO"
    cell = MATRIX[mode][person][ENDPOINTS.index(endpoint)]
    client = client_for(cast, person)
    who = cast["learner" if person == "learner_view_off" else person]
    response = client.get(url_path(endpoint, PROVIDER_ASKS, person))
    body = response.json()
    if isinstance(cell, int):
        assert (response.status_code, body) == (cell, {"code": CODES[cell], "message": body["message"]})
        assert provider.requests == []  # refused before anything leaves the LMS
        return
    assert response.status_code == 200, body
    expected = mode if cell[1] == "MODE" else cell[1]
    if endpoint in ("get-user-role", "get-user-access", "get-panorama-mode"):
        assert body == {"statusCode": 200, "body": expected}
        assert provider.requests == []
        return
    # One provider call, telling it the role; the user only outside DEMO; always correctly signed outside DEMO.
    assert len(provider.requests) == 1
    sent = provider.requests[0]
    assert sent["query"] == {"lms": LMS, "version": "0.1.0", "dashboard_function": expected,
                             **({} if mode == "DEMO" else {"user": who.username})}
    assert sent["signature"] == ("no SigV4 Authorization header" if mode == "DEMO" else "valid")
    if endpoint == "dashboards":
        assert body == {"mode": mode, "role": expected, "console": False, "dashboards": [
            {"name": "activity", "display_name": "Activity", "courses": []},
            {"name": "grades", "display_name": "Grades", "courses": []}]}
    elif endpoint == "embed-url":
        assert set(body) == {"url", "expires_at", "dashboard", "mode", "role"}
        assert (body["url"], body["dashboard"], body["mode"], body["role"]) == (
            "https://quicksight.example/embed/grades?code=2", "grades", mode, expected)
    else:  # get-embed-url: the provider's items exactly as it sent them, in Panorama's envelope
        assert body == {"statusCode": 200, "body": [
            {"name": "activity", "displayName": "Activity", "url": "https://quicksight.example/embed/activity?code=1"},
            {"name": "grades", "display_name": "Grades", "url": "https://quicksight.example/embed/grades?code=2",
             "id": "g-1"}]}


ALL_DASHBOARDS = ("overview", "course-health", "my-progress", "granted")
NOT_THEIRS = [(person, name) for person in PEOPLE for name in ALL_DASHBOARDS
              if not (isinstance(CUSTOM[person][0], tuple) and name in CUSTOM[person][0][1])]


@pytest.mark.django_db
@pytest.mark.parametrize("person, name", NOT_THEIRS)
def test_custom_mode_dashboards_of_other_audiences_cannot_be_embedded(cast, quicksight, person, name):
    """Every (person, dashboard) pair outside the person's list: no QuickSight call, 404 (or 401/403)."""
    client = client_for(cast, person)
    for path in (f"embed-url?dashboard={name}", f"get-embed-url?dashboard={name}"):
        response = client.get(f"/panorama/api/{path}")
        no_access = CUSTOM[person][0]
        expected = no_access if isinstance(no_access, int) else 404
        assert (response.status_code, response.json()["code"]) == (expected, CODES[expected])
