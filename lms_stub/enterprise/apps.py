from django.apps import AppConfig


class LmsEnterpriseConfig(AppConfig):
    name = "lms_stub.enterprise"
    label = "lms_enterprise"
    verbose_name = "Stand-in edx-enterprise tables"
    default_auto_field = "django.db.models.AutoField"
