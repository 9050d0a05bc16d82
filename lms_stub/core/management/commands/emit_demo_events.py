"""
``manage.py emit_demo_events [--count N] [--reset]``: tracking events for the seeded learners, handed to the
plugin's Redis-stream backend in the shape the LMS's tracking_logs router gives it (after its legacy-field
processors: the shape of a tracking.log line).
"""
import random
from datetime import datetime, timedelta, timezone

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from panorama_openedx.conf import get_settings
from panorama_openedx.tracking.backend import RedisStreamBackend
from panorama_openedx.tracking.shipper import LOCK, PENDING, POSITION

NAMES = ("play_video", "pause_video", "problem_check", "edx.ui.lms.sequence.next_selected", "edx.forum.thread.created")


class Command(BaseCommand):
    help = "Emit tracking events for seeded learners through the Panorama tracking backend."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--reset", action="store_true", help="empty the stream and the drainer's position first")

    def handle(self, *args, **options):
        import redis  # pylint: disable=import-outside-toplevel

        settings = get_settings()
        url = settings.tracking_redis_url.reveal()
        if not url:
            raise CommandError("No Redis for tracking events: set PANORAMA_TRACKING_REDIS_URL")
        if options["reset"]:
            redis.Redis.from_url(url).delete("panorama:tracking", POSITION, PENDING, LOCK)
        with connection.cursor() as cursor:
            cursor.execute("SELECT e.user_id, u.username, e.course_id FROM student_courseenrollment e "
                           "JOIN auth_user u ON u.id = e.user_id ORDER BY e.id")
            enrollments = cursor.fetchall()
        if not enrollments:
            raise CommandError("No enrollment in the stand-in LMS: run seed_lms first")
        rng = random.Random(options["seed"])
        backend = RedisStreamBackend()
        start = datetime(2026, 12, 1, tzinfo=timezone.utc)
        for n in range(options["count"]):
            user_id, username, course_id = rng.choice(enrollments)
            name = rng.choice(NAMES)
            at = start + timedelta(seconds=rng.randint(0, 3 * 86400))
            backend.send({
                "name": name, "event_type": name, "event_source": "browser" if "video" in name else "server",
                "username": username, "time": at.isoformat(), "page": f"https://local.openedx.io/learning/{course_id}",
                "session": f"{rng.getrandbits(64):016x}", "agent": "Mozilla/5.0 (X11; Linux x86_64)",
                "host": "local.openedx.io", "ip": f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                "referer": "", "accept_language": "en-US,en;q=0.9",
                "event": {"id": "video-1", "currentTime": rng.randint(0, 900)} if "video" in name else {"n": n},
                "context": {"course_id": course_id, "user_id": user_id, "org_id": course_id.split(":")[1].split("+")[0],
                            "path": "/event"},
            })
        if backend.dropped:
            raise CommandError(f"{backend.dropped} events could not reach Redis at {url.split('@')[-1]}")
        self.stdout.write(f"Emitted {options['count']} tracking events for {len(enrollments):,} enrollments")
