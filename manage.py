#!/usr/bin/env python
"""Management commands of the stand-in LMS (``python manage.py migrate``, ``seed_lms``, ``panorama_*``)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_stub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
