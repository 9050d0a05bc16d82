"""
The stand-in LMS's Celery app, configured like ``lms/celery.py``: from Django settings without a
namespace, so the LMS's old upper-case names apply (BROKER_URL, CELERYBEAT_SCHEDULE, ...).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_stub.settings")

APP = Celery("lms_stub")
APP.config_from_object("django.conf:settings")
APP.autodiscover_tasks()
