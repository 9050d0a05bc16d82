"""Field types of the real LMS that Django does not ship."""
from django.db import models


class UnsignedBigIntAutoField(models.BigAutoField):
    """edx-platform's ``bigint UNSIGNED AUTO_INCREMENT`` primary key (courseware, grades)."""

    def db_type(self, connection):
        if connection.vendor == "mysql":
            return "bigint UNSIGNED AUTO_INCREMENT"
        return super().db_type(connection)

    def rel_db_type(self, connection):
        if connection.vendor == "mysql":
            return "bigint UNSIGNED"
        return super().rel_db_type(connection)


class UUIDCharField(models.CharField):
    """A UUIDField as the LMS's MySQL holds it: ``char(32)`` (Django 5 on MariaDB would use ``uuid``)."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 32
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "char(32)"
