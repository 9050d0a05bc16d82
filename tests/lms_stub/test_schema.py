"""After ``migrate``, the stand-in's tables have the real LMS's columns and types (expected_columns.txt)."""
import re
from pathlib import Path

import pytest
from django.db import connection

EXPECTED_FILE = Path(__file__).with_name("expected_columns.txt")
INTEGER_WIDTH = re.compile(r"^(bigint|int|smallint|mediumint)\(\d+\)")


def expected_columns():
    tables, current = {}, None
    for line in EXPECTED_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = tables.setdefault(line.strip("[]"), {})
            continue
        name, *rest = line.split(" ")
        nullable = rest[-1] == "null"
        current[name] = (" ".join(rest[:-1] if nullable else rest), nullable)
    return tables


def actual_columns(tables):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({})".format(", ".join(["%s"] * len(tables))),
            list(tables),
        )
        found = {}
        for table, column, column_type, nullable in cursor.fetchall():
            found.setdefault(table, {})[column] = (INTEGER_WIDTH.sub(r"\1", column_type.lower()), nullable == "YES")
    return found


@pytest.mark.django_db
def test_every_panorama_table_matches_the_real_lms_schema():
    expected = expected_columns()
    assert len(expected) == 32  # the 29 of the extract set + course index, subsection grades, visible blocks
    if connection.vendor == "mysql":
        actual = actual_columns(expected)
    else:  # SQLite has no MySQL types: check names and nullability, the rest runs on MariaDB
        actual = {t: {c.name: (expected[t].get(c.name, ("?",))[0], bool(c.null_ok))
                      for c in connection.introspection.get_table_description(connection.cursor(), t)}
                  for t in expected}
    assert sorted(actual) == sorted(expected)
    mismatches = [
        f"{table}.{column}: expected {want}, found {actual[table].get(column)}"
        for table, columns in expected.items() for column, want in columns.items()
        if actual[table].get(column) != want
    ] + [f"{table}.{column}: not in the real LMS" for table in expected for column in actual[table]
         if column not in expected[table]]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_the_panorama_extract_set_is_all_there():
    """The 29 tables of Panorama's default extract set (panorama-system.md section 5)."""
    extract_set = """submissions_score submissions_scoreannotation submissions_scoresummary submissions_studentitem
        submissions_submission submissions_teamsubmission student_anonymoususerid site_configuration_siteconfiguration
        auth_user student_courseenrollment auth_userprofile student_courseaccessrole course_overviews_courseoverview
        courseware_studentmodule grades_persistentcoursegrade student_manualenrollmentaudit
        student_courseenrollmentallowed certificates_generatedcertificate course_groups_cohortmembership
        course_groups_coursecohort course_groups_coursecohortssettings course_groups_courseusergroup
        course_groups_courseusergroup_users course_groups_courseusergrouppartitiongroup
        course_groups_unregisteredlearnercohortassignments completion_blockcompletion
        enterprise_enterprisecustomeruser enterprise_enterprisecustomer enterprise_pendingenterprisecustomeruser""".split()
    assert len(extract_set) == 29
    present = set(connection.introspection.table_names())
    assert set(extract_set) <= present
    assert {"split_modulestore_django_splitmodulestorecourseindex", "grades_persistentsubsectiongrade"} <= present
