"""
Plugin wiring: how the LMS finds our URLs and settings.

The keys of ``plugin_app`` are written as literal strings (they are the values of the constants in
``edx_django_utils.plugins``) so that this module imports without edx-platform or edx-django-utils.
"""
from django.apps import AppConfig


class PanoramaOpenedxConfig(AppConfig):
    """Django app config of the panorama-openedx LMS plugin."""

    name = "panorama_openedx"
    verbose_name = "Panorama"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "panorama",
                "regex": r"^panorama/",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
            },
        },
    }

    def ready(self):
        # Registers the system checks and the settings-cache invalidation, and listens to user retirement.
        from panorama_openedx import checks, conf, signals  # pylint: disable=import-outside-toplevel,unused-import

        signals.connect_retirement()
