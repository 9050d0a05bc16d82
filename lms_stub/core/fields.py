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
