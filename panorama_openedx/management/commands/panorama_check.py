"""``./manage.py lms panorama_check``: one line per service the mode needs (OK / FAILED / SKIPPED); exit 1 on a failure."""
from django.core.management.base import BaseCommand, CommandError

from panorama_openedx.conf import get_settings
from panorama_openedx.connections import FAILED, run_checks


class Command(BaseCommand):
    help = "Check the connections Panorama needs: LMS database, MongoDB, buckets, Glue/Athena, local folder."

    def handle(self, *args, **options):
        results = run_checks(get_settings())
        for result in results:
            self.stdout.write(result.line())
        failed = [r.name for r in results if r.status == FAILED]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed: {', '.join(failed)}", returncode=1)
