"""
``manage.py lms panorama_settings``: print the validated PANORAMA_* settings, secrets masked.

The system checks run first (as for every command), so invalid settings end the command with a
non-zero exit and the checks' messages.
"""
from django.core.management.base import BaseCommand

from panorama_openedx.conf import get_settings


class Command(BaseCommand):
    help = "Print the validated Panorama settings (secrets masked)."

    def handle(self, *args, **options):
        rows = get_settings().describe()
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            self.stdout.write(f"{name.ljust(width)}  {value}")
