"""The access decisions, one by one, on real role and enrollment rows in MariaDB."""
import pytest

from lms_stub.core.models import CourseAccessRole, CourseEnrollment
from panorama_openedx.conf import get_settings
from panorama_openedx.dashboards import access
from panorama_openedx.dashboards.errors import BadParameter, NotAllowed, UnknownCourse
from panorama_openedx.models import Dashboard, StudentViewSwitch, UserAccess
from tests.dashboard_fixtures import COURSE_A, COURSE_B, ORG_COURSES, make_course

pytestmark = pytest.mark.django_db


def viewer(user):
    return access.viewer_for(user, get_settings())


def taught(user):
    return access.teaching_of(user).all_courses


def test_teaching_roles_give_their_courses_and_org_roles_every_course_of_the_org(cast, custom_mode):
    assert taught(cast["course_staff"]) == (COURSE_A,)  # beta_testers on B does not count
    assert taught(cast["instructor"]) == (COURSE_A, COURSE_B)
    assert access.teaching_of(cast["org_staff"]) == access.Teaching((), ("OrgX",), ORG_COURSES)
    make_course("course-v1:OrgX+C3+2027")  # a new course of the org is theirs at once
    assert taught(cast["org_staff"]) == (*ORG_COURSES, "course-v1:OrgX+C3+2027")
    assert taught(cast["learner"]) == ()
    assert not access.teaching_of(cast["learner"])


def test_roles_on_libraries_and_deleted_courses_give_nothing(cast, custom_mode):
    user = cast["nobody"]
    CourseAccessRole.objects.create(user=user, org="Org", course_id="library-v1:Org+Lib1", role="staff")
    CourseAccessRole.objects.create(user=user, org="Org", course_id="course-v1:Org+Gone+2020", role="instructor")
    assert not access.teaching_of(user)
    assert access.viewer_for(user, get_settings()).role == "STUDENT"  # a learner like any other


@pytest.mark.parametrize("org", ["orgx", "ORGX", "OrgX ", "Org"])
def test_org_roles_match_the_organisation_exactly(cast, custom_mode, org):
    user = cast["nobody"]
    CourseAccessRole.objects.create(user=user, org=org, course_id="", role="staff")
    teaching = access.teaching_of(user)
    assert teaching.org_courses == ((COURSE_A, COURSE_B) if org == "Org" else ())


@pytest.mark.parametrize("role", ["limited_staff", "beta_testers", "ccx_coach", "data_researcher", "finance_admin"])
def test_other_course_roles_do_not_open_instructor_dashboards(cast, custom_mode, role):
    user = cast["nobody"]
    CourseAccessRole.objects.create(user=user, org="Org", course_id=COURSE_A, role=role)
    CourseAccessRole.objects.create(user=user, org="OrgX", course_id="", role=role)
    assert taught(user) == ()


def test_a_global_role_row_without_org_or_course_gives_no_course(cast, custom_mode):
    user = cast["nobody"]
    CourseAccessRole.objects.create(user=user, org="", course_id="", role="staff")
    assert taught(user) == ()


def test_global_staff_and_superusers_are_not_scoped_by_course_roles(cast, custom_mode):
    staff = viewer(cast["global_staff"])
    assert staff.global_staff and staff.taught_courses == () and not staff.learner
    assert [d.name for d, how in access.visible_dashboards(staff)] == ["overview", "granted"]
    assert {how for _, how in access.visible_dashboards(staff)} == {access.REGISTERED}


def test_inactive_users_get_nothing(cast, custom_mode):
    user = cast["superuser"]
    user.is_active = False
    user.save()
    seen = viewer(user)
    assert seen.role is None and not access.has_access(seen)


def test_student_view_follows_the_setting_until_an_admin_switches_it(cast, custom_mode, settings):
    learner = cast["learner"]
    assert viewer(learner).learner
    settings.PANORAMA_ENABLE_STUDENT_VIEW = False
    assert not viewer(learner).learner
    StudentViewSwitch.objects.create(enabled=True, changed_by=cast["superuser"])
    assert viewer(learner).learner  # the admin's switch wins over the setting, at once
    StudentViewSwitch.objects.create(enabled=False, changed_by=cast["global_staff"])
    assert not viewer(learner).learner
    history = list(StudentViewSwitch.objects.values_list("enabled", "changed_by__username"))
    assert history == [(False, "global_staff"), (True, "superuser")]


def test_only_admin_dashboards_can_be_granted(cast, custom_mode):
    """A registered embed ignores the session tags: granting a learner dashboard would show every learner."""
    reader = UserAccess.objects.get(user=cast["reader"])
    reader.dashboards.add(cast.dashboards["course-health"])  # past the admin form, which offers admin ones only
    seen = viewer(cast["reader"])
    shown = {d.name: how for d, how in access.visible_dashboards(seen)}
    assert shown == {"my-progress": access.SELF, "granted": access.REGISTERED}
    field = UserAccess._meta.get_field("dashboards")  # pylint: disable=protected-access
    assert field.get_limit_choices_to() == {"audience": "admin"}  # what the admin form offers (tests/test_admin.py)


def test_an_access_entry_alone_gives_no_dashboard(cast, custom_mode, settings):
    settings.PANORAMA_ENABLE_STUDENT_VIEW = False
    UserAccess.objects.create(user=cast["nobody"], role="READER")
    seen = viewer(cast["nobody"])
    assert access.visible_dashboards(seen) == [] and not access.has_access(seen)
    assert seen.role == "READER"  # Panorama's role, but has_access decides what the endpoints give


@pytest.mark.parametrize("mode", ["DEMO", "FREE"])
def test_demo_and_free_give_dashboards_to_global_staff_only(cast, settings, mode):
    settings.PANORAMA_MODE = mode
    settings.PANORAMA_BUCKET = "provider-lake"
    settings.PANORAMA_LMS_HOST = "lms.example.com"
    assert [p for p in ("learner", "instructor", "reader", "author", "global_staff", "superuser")
            if viewer(cast[p]).role] == ["global_staff", "superuser"]


def test_course_scope_of_instructor_dashboards(cast, custom_mode):
    seen = viewer(cast["instructor"])
    assert access.course_scope(seen, access.COURSES, None) == ()  # their whole scope
    assert access.course_scope(seen, access.COURSES, COURSE_B) == (COURSE_B,)
    assert access.course_scope(seen, access.COURSES, COURSE_B.replace("+", " ")) == (COURSE_B,)  # unencoded '+'
    other = viewer(cast["course_staff"])
    with pytest.raises(NotAllowed, match="not on the course team of course-v1:Org\\+B\\+2026"):
        access.course_scope(other, access.COURSES, COURSE_B)


def test_course_scope_errors(cast, custom_mode):
    seen = viewer(cast["instructor"])
    with pytest.raises(BadParameter, match="is not a course key"):
        access.course_scope(seen, access.COURSES, "not a course")
    # Outside their scope, existing or not, is the same refusal: the API does not tell which courses exist.
    for course_id in ("course-v1:Org+Z+2026", ORG_COURSES[0]):
        with pytest.raises(NotAllowed, match="not on the course team"):
            access.course_scope(seen, access.COURSES, course_id)
    with pytest.raises(UnknownCourse, match="no course 'course-v1:Org\\+Z\\+2026'"):
        access.course_scope(viewer(cast["global_staff"]), access.REGISTERED, "course-v1:Org+Z+2026")


def test_learners_may_narrow_to_a_course_they_are_enrolled_in(cast, custom_mode):
    seen = viewer(cast["learner"])
    assert access.course_scope(seen, access.SELF, None) == ()
    assert access.course_scope(seen, access.SELF, COURSE_A) == (COURSE_A,)
    assert access.course_scope(seen, access.SELF, COURSE_A.lower()) == (COURSE_A,)  # the stored key, not the asked
    with pytest.raises(NotAllowed, match="not enrolled"):
        access.course_scope(seen, access.SELF, COURSE_B)  # an inactive enrollment
    CourseEnrollment.objects.filter(course_id=COURSE_B).update(is_active=True)
    assert access.course_scope(seen, access.SELF, COURSE_B) == (COURSE_B,)


def test_dashboards_come_in_priority_order(cast, custom_mode):
    Dashboard.objects.filter(name="granted").update(priority=0)
    seen = viewer(cast["global_staff"])
    assert [d.name for d, _ in access.visible_dashboards(seen)] == ["granted", "overview"]
