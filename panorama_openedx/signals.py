"""
Receivers of LMS signals. User retirement (OEP-30) removes what Panorama keeps about a user: their
QuickSight identity and grants, and their name on the student-view history.
"""
import importlib

RETIREMENT_SIGNALS = "openedx.core.djangoapps.user_api.accounts.signals"  # edx-platform, absent elsewhere


def retire_user(sender, user, **kwargs):  # pylint: disable=unused-argument
    from panorama_openedx.models import StudentViewSwitch, UserAccess  # pylint: disable=import-outside-toplevel

    UserAccess.objects.filter(user=user).delete()
    StudentViewSwitch.objects.filter(changed_by=user).update(changed_by=None)


def connect_retirement() -> bool:
    """Listen to USER_RETIRE_LMS_MISC where the platform provides it; False outside the LMS."""
    try:
        signals = importlib.import_module(RETIREMENT_SIGNALS)
    except ImportError:
        return False
    signals.USER_RETIRE_LMS_MISC.connect(retire_user, dispatch_uid="panorama_openedx.retire_user")
    return True
