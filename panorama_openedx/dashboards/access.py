"""
Who may see what, decided on the server from Open edX roles and the admin settings.

Nothing here trusts the browser: a request names a dashboard and maybe a course, and these functions
decide whether the user may open it and which rows the embedding session is limited to.

Roles are read straight from the LMS tables (``student_courseaccessrole``,
``course_overviews_courseoverview``, ``student_courseenrollment``) through the default database
connection: they are the platform's documented tables, and reading them needs no edx-platform import
(docs/decisions/0006).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from panorama_openedx.conf import Mode, PanoramaSettings
from panorama_openedx.dashboards.errors import BadParameter, NotAllowed, UnknownCourse
from panorama_openedx.models import Audience, Dashboard, Role, StudentViewSwitch, UserAccess

# Course roles that open the instructor dashboards of a course (course-level rows) or of every
# course of an organisation (org-level rows, course_id = '').
TEACHING_ROLES = ("instructor", "staff")
STUDENT = "STUDENT"  # the Panorama MFE's role name for learners


@dataclass(frozen=True)
class Teaching:
    """Where a user teaches: courses by course-level roles, organisations by org-level roles."""

    courses: tuple[str, ...] = ()  # course-level roles, on courses that exist
    orgs: tuple[str, ...] = ()  # org-level roles
    org_courses: tuple[str, ...] = ()  # the existing courses of those organisations

    @property
    def all_courses(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.courses) | set(self.org_courses)))

    def __bool__(self):
        return bool(self.courses or self.orgs)


@dataclass(frozen=True)
class Viewer:  # pylint: disable=too-many-instance-attributes
    """Everything the access rules need to know about the user asking, read once per request."""

    user_id: int
    username: str
    mode: Mode
    global_staff: bool = False
    teaching: Teaching = Teaching()
    learner: bool = False
    grant: UserAccess | None = None
    granted_dashboards: tuple[Dashboard, ...] = field(default=(), repr=False)

    @property
    def taught_courses(self) -> tuple[str, ...]:
        return self.teaching.all_courses

    @property
    def role(self) -> str | None:
        """The Panorama role the MFE expects: READER, AUTHOR, STUDENT, or None (no access)."""
        if self.grant is not None and self.mode in (Mode.SAAS, Mode.CUSTOM):
            return self.grant.role
        if self.global_staff or (self.mode is Mode.CUSTOM and self.teaching):
            return Role.READER.value
        if self.learner:
            return STUDENT
        return None

    @property
    def is_author(self) -> bool:
        return self.role == Role.AUTHOR.value


def is_global_staff(user) -> bool:
    """Superusers and global staff (``is_staff``) see the administrators' dashboards."""
    return bool(user.is_active and (user.is_superuser or user.is_staff))


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def teaching_of(user) -> Teaching:
    """
    The user's teaching roles. Course-level roles count only on courses that exist (not on libraries or
    deleted courses); org-level roles give every course of the organisation. Keys and organisations are
    compared exactly, whatever the database's collation.
    """
    roles = _rows(f"SELECT course_id, org FROM student_courseaccessrole WHERE user_id = %s AND role IN "
                  f"({_in(TEACHING_ROLES)})", [user.pk, *TEACHING_ROLES])
    wanted = {course_id for course_id, _ in roles if course_id}
    orgs = {org for course_id, org in roles if not course_id and org}
    courses = org_courses = []
    if wanted:
        found = _rows(f"SELECT id FROM course_overviews_courseoverview WHERE id IN ({_in(wanted)})", list(wanted))
        courses = [row[0] for row in found if row[0] in wanted]
    if orgs:
        found = _rows(f"SELECT id, org FROM course_overviews_courseoverview WHERE org IN ({_in(orgs)})", list(orgs))
        org_courses = [course_id for course_id, org in found if org in orgs]
    return Teaching(tuple(sorted(courses)), tuple(sorted(orgs)), tuple(sorted(org_courses)))


def student_view_enabled(settings: PanoramaSettings) -> bool:
    """The admin switch, or PANORAMA_ENABLE_STUDENT_VIEW until an admin sets it."""
    return StudentViewSwitch.is_enabled(settings.enable_student_view)


def grant_of(user) -> UserAccess | None:
    return UserAccess.objects.filter(user=user).first()


def viewer_for(user, settings: PanoramaSettings) -> Viewer:
    """
    The user's standing in this mode. DEMO and FREE: global staff only. SAAS: global staff, users with
    an access entry, and learners while the student view is on. CUSTOM: all of these, plus course staff
    and instructors for their courses.
    """
    base = {"user_id": user.pk, "username": user.get_username(), "mode": settings.mode}
    if not user.is_active:
        return Viewer(**base)
    staff = is_global_staff(user)
    if settings.mode in (Mode.DEMO, Mode.FREE):
        return Viewer(**base, global_staff=staff)
    grant = grant_of(user)
    granted = ()
    if grant is not None and settings.mode is Mode.CUSTOM:
        # Only admin dashboards can be granted: a registered embed ignores the row-level tags that limit
        # the instructor and learner dashboards, so granting one of those would show every row.
        granted = tuple(grant.dashboards.filter(audience=Audience.ADMIN))
    return Viewer(
        **base,
        global_staff=staff,
        teaching=teaching_of(user) if settings.mode is Mode.CUSTOM and not staff else Teaching(),
        learner=not staff and student_view_enabled(settings),
        grant=grant,
        granted_dashboards=granted,
    )


# --- CUSTOM: which dashboards, and how each is shown ---------------------------------------------------

REGISTERED = "registered"  # the user's own QuickSight identity (global staff, granted dashboards)
COURSES = "courses"  # anonymous session tagged with the courses the user teaches
SELF = "self"  # anonymous session tagged with the user's own id


def how_shown(viewer: Viewer, dashboard: Dashboard) -> str | None:
    """How ``viewer`` may see ``dashboard`` (REGISTERED, COURSES, SELF), or None if they may not."""
    if dashboard.audience == Audience.ADMIN and (viewer.global_staff or dashboard in viewer.granted_dashboards):
        return REGISTERED
    if dashboard.audience == Audience.INSTRUCTOR and viewer.teaching:
        return COURSES
    if dashboard.audience == Audience.LEARNER and viewer.learner:
        return SELF
    return None


def visible_dashboards(viewer: Viewer) -> list[tuple[Dashboard, str]]:
    """The dashboards ``viewer`` may open, in menu order, each with how it is shown."""
    if viewer.mode is not Mode.CUSTOM:
        return []
    audiences = []
    if viewer.global_staff:
        audiences.append(Audience.ADMIN)
    if viewer.teaching:
        audiences.append(Audience.INSTRUCTOR)
    if viewer.learner:
        audiences.append(Audience.LEARNER)
    candidates = list(Dashboard.objects.filter(audience__in=audiences)) + list(viewer.granted_dashboards)
    shown = {}
    for dashboard in sorted(candidates, key=lambda d: (d.priority, d.name)):
        if dashboard.pk not in shown:
            shown[dashboard.pk] = (dashboard, how_shown(viewer, dashboard))
    return list(shown.values())


def may_open_console(viewer: Viewer) -> bool:
    """The QuickSight console: AUTHOR role, CUSTOM mode (the provider modes have no console)."""
    return viewer.mode is Mode.CUSTOM and viewer.is_author


def has_access(viewer: Viewer) -> bool:
    """Whether Panorama has anything for this user at all."""
    if viewer.mode is not Mode.CUSTOM:
        return viewer.role is not None
    return bool(visible_dashboards(viewer)) or may_open_console(viewer)


# --- course scope ---------------------------------------------------------------------------------------

def parse_course_key(raw: str) -> str:
    """A course key in its canonical form; 400 when it is not one."""
    from opaque_keys import InvalidKeyError  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel

    try:  # an unencoded '+' arrives as a space; course keys never hold spaces (as other LMS APIs assume)
        return str(CourseKey.from_string(raw.strip().replace(" ", "+")))
    except InvalidKeyError:
        raise BadParameter(f"course_id {raw!r} is not a course key such as 'course-v1:Org+Course+Run'.") from None


def course_exists(course_id: str) -> bool:
    return any(row[0] == course_id for row in _rows(
        "SELECT id FROM course_overviews_courseoverview WHERE id = %s", [course_id]))


def enrolled_course(user_id: int, course_id: str) -> str | None:
    """The course key as the enrollment stores it, when the user is actively enrolled."""
    rows = _rows("SELECT course_id FROM student_courseenrollment WHERE user_id = %s AND course_id = %s "
                 "AND is_active = %s", [user_id, course_id, True])
    return next((row[0] for row in rows if row[0].lower() == course_id.lower()), None)


def course_scope(viewer: Viewer, how: str, raw_course_id: str | None) -> tuple[str, ...]:
    """
    The one course an embedding session is narrowed to, or () for the user's whole scope. COURSES: a
    course the user teaches. SELF: a course the user is enrolled in. REGISTERED (global staff, granted
    dashboards): any existing course, as a display filter only. A course outside the user's scope is
    refused before its existence is checked, so that the API does not tell who has which courses.
    """
    if not raw_course_id:
        return ()
    course_id = parse_course_key(raw_course_id)
    if how == COURSES:
        if course_id not in viewer.taught_courses:
            raise NotAllowed(f"You are not on the course team of {course_id}.")
        return (course_id,)
    if how == SELF:
        stored = enrolled_course(viewer.user_id, course_id)
        if stored is None:
            raise NotAllowed(f"You are not enrolled in {course_id}.")
        return (stored,)
    if not course_exists(course_id):
        raise UnknownCourse(f"There is no course {course_id!r} on this LMS.")
    return (course_id,)
