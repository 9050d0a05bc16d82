from django.apps import AppConfig


class LmsCoreConfig(AppConfig):
    name = "lms_stub.core"
    label = "lms_core"
    verbose_name = "Stand-in LMS tables"
    default_auto_field = "django.db.models.AutoField"
