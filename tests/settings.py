"""
Test settings: the stand-in LMS on a real MariaDB unless DATABASE_URL says otherwise.

pytest-django creates (and drops) the ``test_<name>`` database next to the named one.
"""
import os

os.environ.setdefault("DATABASE_URL", "mysql://root@127.0.0.1:3306/panorama_lms")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")  # db 15 is the redis_client fixture's

from lms_stub.settings import *  # noqa: E402,F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
