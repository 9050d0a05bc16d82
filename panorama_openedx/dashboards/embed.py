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


def _require_access(viewer: access.Viewer):
    if not access.has_access(viewer):
        raise NotAllowed("You do not have access to Panorama dashboards.")


def list_dashboards(viewer: access.Viewer, settings: PanoramaSettings) -> list[dict]:
    """The dashboards this user may open, without URLs (no embed call in CUSTOM mode)."""
    _require_access(viewer)
    if settings.mode is not Mode.CUSTOM:
        return [{"name": d.name, "display_name": d.display_name, "courses": []}
                for d in providers.fetch_dashboards(settings, viewer.username, viewer.role)]
    return [
        {"name": dashboard.name, "display_name": dashboard.display_name,
         "courses": list(viewer.taught_courses) if how == access.COURSES else []}
        for dashboard, how in access.visible_dashboards(viewer)
    ]


def embed_dashboard(viewer: access.Viewer, settings: PanoramaSettings, name: str,
                    course_id: str | None = None) -> Embed:
    """The embed URL of one dashboard, limited to what this user may see."""
    _require_access(viewer)
    if settings.mode is not Mode.CUSTOM:
        if course_id:
            raise BadParameter(f"course_id applies to the CUSTOM mode only; PANORAMA_MODE is '{settings.mode}'.")
        for dashboard in providers.fetch_dashboards(settings, viewer.username, viewer.role):
            if dashboard.name == name:
                return _provider_embed(dashboard)
        raise UnknownDashboard(f"There is no dashboard {name!r} for you.")
    for dashboard, how in access.visible_dashboards(viewer):
        if dashboard.name == name:
            return _custom_embed(viewer, settings, dashboard, how, course_id)
    raise UnknownDashboard(f"There is no dashboard {name!r} for you.")


def embed_all(viewer: access.Viewer, settings: PanoramaSettings) -> list[Embed]:
    """
    Every dashboard with its URL, for the Panorama MFE's ``get-embed-url`` (which needs them all at
    once). New clients call ``dashboards`` then ``embed-url`` for the one they show.
    """
    _require_access(viewer)
    if settings.mode is not Mode.CUSTOM:
        return [_provider_embed(d) for d in providers.fetch_dashboards(settings, viewer.username, viewer.role)]
    return [_custom_embed(viewer, settings, dashboard, how, None)
            for dashboard, how in access.visible_dashboards(viewer)]


def embed_console(viewer: access.Viewer, settings: PanoramaSettings) -> Embed:
    """The QuickSight console, for AUTHORs, as their own QuickSight user (never the shared default)."""
    if not access.may_open_console(viewer):
        raise NotAllowed("The QuickSight console is for users with the AUTHOR role in the CUSTOM mode.")
    if not viewer.grant.arn:
        raise Misconfigured(f"User {viewer.username!r} has the AUTHOR role but no QuickSight user ARN: set it "
                            "in Django admin (Panorama > User access).", setting="UserAccess.arn")
    url = quicksight.console_url(settings, viewer.grant.arn)
    log.info("Panorama: QuickSight console for user %s", viewer.user_id)
    return Embed("console", "Console", url, _expiry())


def _provider_embed(dashboard: providers.ProviderDashboard) -> Embed:
    return Embed(dashboard.name, dashboard.display_name, dashboard.url, _expiry(), dashboard.id, dashboard.raw)


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
    """The row-level-security tags of an anonymous session: its LMS, and the user's courses or their id."""
    tags = {"lms": settings.lms_host}
    if how == access.SELF:
        tags["user_id"] = str(viewer.user_id)
        if courses:
            tags["course_id"] = courses[0]
        return tags
    value = ",".join(courses)
    if len(value) > quicksight.TAG_VALUE_MAX:
        raise BadParameter(f"You are on the team of {len(courses)} courses, more than one QuickSight session can "
                           "carry: choose one with course_id=<course key>.")
    tags["course_id"] = value
    return tags


def _custom_embed(viewer, settings, dashboard, how, course_id) -> Embed:
    courses = access.course_scope(viewer, how, course_id)
    if how == access.REGISTERED:
        url = quicksight.registered_dashboard_url(settings, _user_arn(viewer, settings), dashboard.dashboard_id)
        if courses:  # a display filter only: registered users' rows are set by their QuickSight permissions
            url += ("&" if "#" in url else "#") + f"p.course_id={quote(courses[0], safe='')}"
    else:
        url = quicksight.anonymous_dashboard_url(settings, dashboard.dashboard_id,
                                                 session_tags(viewer, settings, how, courses))
    # An audit line; never the URL itself, which opens the dashboard for whoever holds it.
    log.info("Panorama: dashboard %s for user %s (%s%s)", dashboard.name, viewer.user_id, how,
             f", {len(courses)} course(s)" if courses else "")
    return Embed(dashboard.name, dashboard.display_name, url, _expiry(), dashboard.dashboard_id)
