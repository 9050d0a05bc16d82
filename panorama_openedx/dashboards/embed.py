"""
The dashboards a user may open and their embed URLs, by mode: what the API views call.

CUSTOM mints one QuickSight URL per requested dashboard; DEMO, FREE and SAAS ask the provider, whose
single answer carries every URL.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from panorama_openedx.conf import Mode, PanoramaSettings
from panorama_openedx.dashboards import access, providers, quicksight
from panorama_openedx.dashboards.errors import BadParameter, Misconfigured, NotAllowed, UnknownDashboard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Embed:
    """One embed URL and what it shows."""

    name: str
    display_name: str
    url: str
    expires_at: datetime
    dashboard_id: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)  # a provider's item, as it sent it


def _expiry() -> datetime:
    return (datetime.now(timezone.utc) + timedelta(seconds=quicksight.URL_LIFETIME_SECONDS)).replace(microsecond=0)


def _refused() -> NotAllowed:
    return NotAllowed("You do not have access to Panorama dashboards.")


def _provider_role(viewer: access.Viewer) -> str:
    """DEMO, FREE, SAAS: the role the provider is asked for; refused without one."""
    if viewer.role is None:
        raise _refused()
    return viewer.role


def _visible(viewer: access.Viewer) -> list:
    """CUSTOM: the user's dashboards (one query); refused when Panorama has nothing for them."""
    visible = access.visible_dashboards(viewer)
    if not visible and not access.may_open_console(viewer):
        raise _refused()
    return visible


def list_dashboards(viewer: access.Viewer, settings: PanoramaSettings) -> list[dict]:
    """The dashboards this user may open, without URLs (no embed call in CUSTOM mode)."""
    if settings.mode is not Mode.CUSTOM:
        return [{"name": d.name, "display_name": d.display_name, "courses": []}
                for d in providers.fetch_dashboards(settings, viewer.username, _provider_role(viewer))]
    return [
        {"name": dashboard.name, "display_name": dashboard.display_name,
         "courses": list(viewer.taught_courses) if how == access.COURSES else []}
        for dashboard, how in _visible(viewer)
    ]


def embed_dashboard(viewer: access.Viewer, settings: PanoramaSettings, name: str,
                    course_id: str | None = None) -> Embed:
    """The embed URL of one dashboard, limited to what this user may see."""
    if settings.mode is not Mode.CUSTOM:
        role = _provider_role(viewer)
        if course_id:
            raise BadParameter(f"course_id applies to the CUSTOM mode only; PANORAMA_MODE is '{settings.mode}'.")
        for embed in _provider_embeds(viewer, settings, role):
            if embed.name == name:
                return embed
        raise UnknownDashboard(f"There is no dashboard {name!r} for you.")
    for dashboard, how in _visible(viewer):
        if dashboard.name == name:
            return _custom_embed(viewer, settings, dashboard, how, course_id)
    raise UnknownDashboard(f"There is no dashboard {name!r} for you.")


def embed_all(viewer: access.Viewer, settings: PanoramaSettings) -> list[Embed]:
    """
    Every dashboard with its URL, for the Panorama MFE's ``get-embed-url`` (which needs them all at
    once). New clients call ``dashboards`` then ``embed-url`` for the one they show.
    """
    if settings.mode is not Mode.CUSTOM:
        return _provider_embeds(viewer, settings, _provider_role(viewer))
    visible = _visible(viewer)
    if not visible:  # the MFE cannot show an empty list (an AUTHOR with only the console, say)
        raise UnknownDashboard("No dashboard is configured for you" + (
            "; the QuickSight console is at get-studio-url." if access.may_open_console(viewer) else "."))
    embeds, refused = [], []
    for dashboard, how in visible:
        try:
            embeds.append(_custom_embed(viewer, settings, dashboard, how, None))
        except BadParameter as exc:  # too wide a scope for one session: the others are still shown
            log.warning("Panorama: dashboard %s left out for user %s: %s", dashboard.name, viewer.user_id, exc)
            refused.append(exc)
    if not embeds:
        raise refused[0]
    return embeds


def embed_console(viewer: access.Viewer, settings: PanoramaSettings) -> Embed:
    """The QuickSight console, for AUTHORs, as their own QuickSight user (never the shared default)."""
    if not access.may_open_console(viewer):
        raise NotAllowed("The QuickSight console is for users with the AUTHOR role in the CUSTOM mode.")
    if not viewer.grant.arn:
        raise Misconfigured(f"User {viewer.username!r} has the AUTHOR role but no QuickSight user ARN: set it "
                            "in Django admin (Panorama > User access).", setting="UserAccess.arn")
    expires_at = _expiry()  # before the call: the URL's five minutes start when QuickSight mints it
    url = quicksight.console_url(settings, viewer.grant.arn)
    log.info("Panorama: QuickSight console for user %s", viewer.user_id)
    return Embed("console", "Console", url, expires_at)


def _provider_embeds(viewer: access.Viewer, settings: PanoramaSettings, role: str) -> list[Embed]:
    """The provider's answer; it does not say how long its URLs last, so QuickSight's five minutes are assumed."""
    expires_at = _expiry()
    return [Embed(d.name, d.display_name, d.url, expires_at, d.id, d.raw)
            for d in providers.fetch_dashboards(settings, viewer.username, role)]


def _user_arn(viewer: access.Viewer, settings: PanoramaSettings) -> str:
    """The user's own QuickSight ARN, else the default ARN, which only global staff may use."""
    if viewer.grant is not None and viewer.grant.arn:
        return viewer.grant.arn
    if viewer.global_staff and settings.default_user_arn:
        return settings.default_user_arn
    raise Misconfigured(f"User {viewer.username!r} has no QuickSight user ARN: set it in Django admin "
                        "(Panorama > User access)" + (", or PANORAMA_DEFAULT_USER_ARN" if viewer.global_staff else ""),
                        setting="UserAccess.arn" if not viewer.global_staff else "PANORAMA_DEFAULT_USER_ARN")


def session_tags(viewer: access.Viewer, settings: PanoramaSettings, how: str,
                 courses: tuple[str, ...]) -> dict[str, str]:
    """
    The row-level-security tags of an anonymous session: its LMS, and the user's id (SELF) or where they
    teach (COURSES): the chosen course, else their course-level courses and their organisations.
    """
    tags = {"lms": settings.lms_host}
    if how == access.SELF:
        tags["user_id"] = str(viewer.user_id)
        if courses:
            tags["course_id"] = courses[0]
        return tags
    teaching = viewer.teaching
    if courses:
        tags["course_id"] = courses[0]
        return tags
    by_course = [course for course in teaching.courses if course not in teaching.org_courses]
    for key, values in (("course_id", by_course), ("org", teaching.orgs)):
        value = ",".join(values)
        if len(value) > quicksight.TAG_VALUE_MAX:
            what = "courses" if key == "course_id" else "organisations"
            raise BadParameter(f"You are on the team of {len(values)} {what}, more than one QuickSight session "
                               "can carry: choose a course with course_id=<course key>.")
        if value:
            tags[key] = value
    return tags


def display_parameters(viewer: access.Viewer, settings: PanoramaSettings, how: str,
                       courses: tuple[str, ...]) -> dict[str, str]:
    """
    Dashboard parameters put in the URL fragment, as Panorama did (its learner dashboards filter on
    ``userId`` and ``lms``). Display filters only: the rows are limited by the session tags or by the
    registered user's permissions, so a user who edits them sees nothing more.
    """
    parameters = {"userId": str(viewer.user_id), "lms": settings.lms_host} if how == access.SELF else {}
    if courses and how != access.COURSES:
        parameters["course_id"] = courses[0]
    return parameters


def with_parameters(url: str, parameters: dict[str, str]) -> str:
    """``url`` with ``p.<name>=<value>`` appended to its fragment (an existing fragment is kept)."""
    if not parameters:
        return url
    encoded = "&".join(f"p.{name}={quote(value, safe='')}" for name, value in parameters.items())
    return f"{url}{'&' if '#' in url else '#'}{encoded}"


def _custom_embed(viewer, settings, dashboard, how, course_id) -> Embed:
    courses = access.course_scope(viewer, how, course_id)
    expires_at = _expiry()  # before the call: the URL's five minutes start when QuickSight mints it
    if how == access.REGISTERED:
        url = quicksight.registered_dashboard_url(settings, _user_arn(viewer, settings), dashboard.dashboard_id)
    else:
        url = quicksight.anonymous_dashboard_url(settings, dashboard.dashboard_id,
                                                 session_tags(viewer, settings, how, courses))
    url = with_parameters(url, display_parameters(viewer, settings, how, courses))
    # An audit line; never the URL itself, which opens the dashboard for whoever holds it.
    log.info("Panorama: dashboard %s for user %s (%s%s)", dashboard.name, viewer.user_id, how,
             f", {len(courses)} course(s)" if courses else "")
    return Embed(dashboard.name, dashboard.display_name, url, expires_at, dashboard.dashboard_id)
