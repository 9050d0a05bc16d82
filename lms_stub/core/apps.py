from django.apps import AppConfig
from django.conf import settings


class LmsCoreConfig(AppConfig):
    name = "lms_stub.core"
    label = "lms_core"
    verbose_name = "Stand-in LMS tables"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        if settings.LMS_STUB_MONGOMOCK:
            from lms_stub.seed.modulestore import serve_with_mongomock  # pylint: disable=import-outside-toplevel

            serve_with_mongomock(settings.DOC_STORE_CONFIG, settings.VAR_DIR)
