"""User retirement: the LMS's USER_RETIRE_LMS_MISC signal removes what Panorama keeps about the user."""
import sys
import types

import pytest
from django.dispatch import Signal

from panorama_openedx import signals
from panorama_openedx.models import StudentViewSwitch, UserAccess

pytestmark = pytest.mark.django_db


def test_outside_the_lms_there_is_nothing_to_connect():
    assert signals.connect_retirement() is False


def test_retirement_removes_the_users_access_and_name(cast, monkeypatch):
    """The platform's signal module is replaced by one with a real Signal (edx-platform is not installed)."""
    retire = Signal()
    module = types.ModuleType(signals.RETIREMENT_SIGNALS)
    module.USER_RETIRE_LMS_MISC = retire
    monkeypatch.setitem(sys.modules, signals.RETIREMENT_SIGNALS, module)
    assert signals.connect_retirement() is True
    switch = StudentViewSwitch.objects.create(enabled=False, changed_by=cast["reader"])
    retire.send(sender=None, user=cast["reader"])
    assert not UserAccess.objects.filter(user=cast["reader"]).exists()
    assert UserAccess.objects.filter(user=cast["author"]).exists()  # only theirs
    switch.refresh_from_db()
    assert switch.changed_by is None and switch.enabled is False  # the history stays, without the name
