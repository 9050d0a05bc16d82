"""
``manage.py demo_report [--duckdb PATH]``: three answers from the embedded DuckDB catalog, the way an analyst
would ask them: enrollments per course, learners active in the last 30 days of data, grade distribution.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panorama_openedx.conf import get_settings

QUESTIONS = {
    "Enrollments per course": """
        SELECT e.course_id, c.display_name, count(*) AS enrollments, sum(e.is_active) AS active
        FROM openedx_table_student_courseenrollment e
        LEFT JOIN openedx_table_course_overviews_courseoverview c ON c.id = e.course_id
        GROUP BY e.course_id, c.display_name ORDER BY enrollments DESC, e.course_id""",
    "Learners active in the last 30 days of data, per course": """
        WITH latest AS (SELECT max(modified) AS at FROM openedx_table_courseware_studentmodule)
        SELECT m.course_id, count(DISTINCT m.student_id) AS active_learners
        FROM openedx_table_courseware_studentmodule m, latest
        WHERE m.modified > latest.at - INTERVAL 30 DAY
        GROUP BY m.course_id ORDER BY active_learners DESC, m.course_id""",
    "Grade distribution": """
        SELECT lpad(CAST(CAST(least(floor(percent_grade * 10), 9) * 10 AS INTEGER) AS VARCHAR), 2, ' ') || '-'
               || CAST(CAST(least(floor(percent_grade * 10), 9) * 10 + 10 AS INTEGER) AS VARCHAR) || '%' AS grade,
               count(*) AS learners, sum(CASE WHEN letter_grade <> '' THEN 1 ELSE 0 END) AS passed
        FROM openedx_table_grades_persistentcoursegrade GROUP BY grade ORDER BY grade""",
    "Video plays per course per day (tracking events)": """
        SELECT context.course_id AS course_id, year || '-' || month || '-' || day AS day, count(*) AS plays
        FROM openedx_tracking_logs WHERE name = 'play_video' GROUP BY ALL ORDER BY course_id, day""",
}


class Command(BaseCommand):
    help = "Print three answers from the embedded DuckDB catalog of the local datalake."

    def add_arguments(self, parser):
        parser.add_argument("--duckdb", default="", help="the DuckDB file (default: <PANORAMA_DATALAKE_DIR>/panorama.duckdb)")

    def handle(self, *args, **options):
        import duckdb  # pylint: disable=import-outside-toplevel

        settings = get_settings()
        path = Path(options["duckdb"]) if options["duckdb"] else (settings.datalake_dir or Path(".")) / "panorama.duckdb"
        if not path.is_file():
            raise CommandError(f"No DuckDB catalog at {path}: run panorama_export first")
        with duckdb.connect(str(path), read_only=True) as db:
            for title, sql in QUESTIONS.items():
                result = db.execute(sql)
                names = [d[0] for d in result.description]
                rows = result.fetchall()
                widths = [max(len(n), *(len(str(r[i])) for r in rows)) if rows else len(n) for i, n in enumerate(names)]
                self.stdout.write(f"\n{title}")
                self.stdout.write("  ".join(n.ljust(w) for n, w in zip(names, widths)))
                for row in rows:
                    self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
