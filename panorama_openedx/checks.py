"""
System checks: ``manage.py check`` (and every management command) fails on an invalid PANORAMA_* value.

The checks only report what ``conf.validate()`` finds, so the LMS, the commands and the tests all agree
on what is valid.
"""
from django.core import checks

from panorama_openedx import conf


@checks.register("panorama")
def check_panorama_settings(app_configs=None, **kwargs):  # pylint: disable=unused-argument
    """One Error per invalid setting, one Warning per suspicious one."""
    result = conf.validate()
    return [
        checks.Error(problem.message, hint=problem.hint, obj="panorama_openedx", id=problem.check_id)
        for problem in result.errors
    ] + [
        checks.Warning(problem.message, hint=problem.hint, obj="panorama_openedx",
                       id=problem.check_id.replace(".E", ".W"))
        for problem in result.warnings
    ]
