"""
What administrators configure in Django admin: the dashboards, who gets a QuickSight identity or the
console, and whether learners see their own dashboards.

Access itself is not stored here: it follows the user's Open edX roles (``dashboards/access.py``).
"""
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

QUICKSIGHT_USER_ARN = r"^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:user/[A-Za-z0-9_.@+=,-]+/[^\s/]+$"


class Audience(models.TextChoices):
    """Who a dashboard is made for; it decides who may open it and how its rows are limited."""

    ADMIN = "admin", _("Administrators (global staff): every course")
    INSTRUCTOR = "instructor", _("Course staff and instructors: their courses")
    LEARNER = "learner", _("Learners: themselves only")


class Role(models.TextChoices):
    """The Panorama role of a user with an access entry."""

    READER = "READER", _("Reader: dashboards")
    AUTHOR = "AUTHOR", _("Author: dashboards and the QuickSight console")


class Dashboard(models.Model):
    """
    A QuickSight dashboard offered in the CUSTOM mode.

    .. no_pii:
    """

    dashboard_id = models.CharField(
        _("QuickSight dashboard id"), max_length=512, unique=True,
        validators=[RegexValidator(r"^[\w-]+$", _("A QuickSight dashboard id holds letters, digits, '_' and '-'."))],
        help_text=_("The id in the dashboard's QuickSight URL: .../dashboards/<id>."),
    )
    name = models.SlugField(
        _("name"), max_length=50, unique=True,
        help_text=_("Short stable name used by the API (?dashboard=<name>) and by the Panorama MFE."),
    )
    display_name = models.CharField(_("display name"), max_length=100, help_text=_("Tab label."))
    priority = models.IntegerField(_("priority"), default=10, help_text=_("Menu order, lowest first."))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.ADMIN)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("priority", "name")

    def __str__(self):
        return f"{self.display_name} ({self.name})"


class UserAccess(models.Model):
    """
    A user's own QuickSight identity and role, and dashboards granted to them by name.

    .. pii: The QuickSight user ARN may contain the user's name.
    .. pii_types: username
    .. pii_retirement: consumer_api (deleted on USER_RETIRE_LMS_MISC, panorama_openedx/signals.py)
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panorama_access")
    arn = models.CharField(
        _("QuickSight user ARN"), max_length=255, blank=True, default="",
        validators=[RegexValidator(QUICKSIGHT_USER_ARN, _(
            "Expected a QuickSight user ARN: arn:aws:quicksight:<region>:<12-digit account>:user/<namespace>/<name>."
        ))],
        help_text=_("Empty: PANORAMA_DEFAULT_USER_ARN (dashboards only; the console needs the user's own ARN)."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    dashboards = models.ManyToManyField(
        Dashboard, blank=True, related_name="granted_to", limit_choices_to={"audience": Audience.ADMIN},
        help_text=_("Administrators' dashboards this user may open besides those of their Open edX roles, shown "
                    "through their QuickSight user (its QuickSight permissions apply). Instructor and learner "
                    "dashboards cannot be granted: their rows are limited by session tags, which a QuickSight "
                    "user's embedding ignores."),
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user access")
        verbose_name_plural = _("user access")

    def __str__(self):
        return f"{self.user} ({self.role})"


class StudentViewSwitch(models.Model):
    """
    One row per change of the student-view switch; the newest row is in force.

    Rows are only ever added, so the table is also the record of who changed it and when.

    .. no_pii:
    """

    enabled = models.BooleanField(_("learners see their own dashboards"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-changed_at", "-id")
        get_latest_by = ("changed_at", "id")
        verbose_name = _("student view switch")
        verbose_name_plural = _("student view switch")

    def __str__(self):
        return f"{'on' if self.enabled else 'off'} since {self.changed_at:%Y-%m-%d %H:%M:%S} UTC"

    @classmethod
    def is_enabled(cls, default: bool) -> bool:
        """The switch as admins last set it; ``default`` (PANORAMA_ENABLE_STUDENT_VIEW) until then."""
        latest = cls.objects.order_by("-changed_at", "-id").values_list("enabled", flat=True).first()
        return default if latest is None else latest
