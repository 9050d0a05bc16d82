"""
panorama_export on MariaDB with seed_lms data: the layout, every value read back, and the faults.

Everything is real (MariaDB, moto's S3 over HTTP, files on disk) except where a docstring says otherwise.
"""
import io
import re

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import LocalStorage, S3Storage
from panorama_openedx.export import FAILED, OK, SKIPPED, export, reader_for
from panorama_openedx.extract.catalogue import DEFAULT_TABLES
from panorama_openedx.extract.tables import TableReader
from tests.conftest import run_manage
from tests.export_helpers import HOST, compare_table, read_csv, snapshot

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TABLES = [spec for spec in DEFAULT_TABLES if spec.source == "database"]


@pytest.fixture
def seeded(tmp_path, settings, serve_modulestore):
    """The stand-in LMS seeded at scale 0.01 (500 users, 4 courses, ~10,000 studentmodule rows), modulestore too."""
    call_command("seed_lms", "--scale", "0.01", "--modulestore-dir", str(tmp_path / "modulestore"),
                 stdout=io.StringIO())
    serve_modulestore(tmp_path / "modulestore")
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path / "lake")
    settings.LMS_BASE = HOST
    return tmp_path / "lake" / "openedx"


def rows_in(table, where=""):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} {where}")
        return cursor.fetchone()[0]


def course_ids():
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT course_id FROM courseware_studentmodule ORDER BY course_id")
        return [row[0] for row in cursor.fetchall()]


def expected_keys():
    from urllib.parse import quote  # pylint: disable=import-outside-toplevel

    keys = {f"{spec.name}/lms={HOST}/{spec.name}.csv" for spec in DEFAULT_TABLES
            if spec.name != "courseware_studentmodule"}
    keys |= {f"courseware_studentmodule/lms={HOST}/course_id={quote(course, safe='')}/courseware_studentmodule.csv"
             for course in course_ids()}
    return keys


def export_command(*args, stdout=None):
    out = stdout or io.StringIO()
    call_command("panorama_export", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_to_a_local_folder_gives_the_layout_and_every_value(seeded):
    output = export_command()
    assert set(snapshot(seeded)) == expected_keys()
    assert "total" in output and "failed" not in output
    for spec in DATABASE_TABLES:
        checked = compare_table(seeded, spec.name)
        assert checked == rows_in(spec.name), spec.name
    header, rows = read_csv(seeded / f"auth_user/lms={HOST}/auth_user.csv")
    assert "password" not in header and len(rows) == 500
    raw_line = (seeded / f"auth_user/lms={HOST}/auth_user.csv").read_text(encoding="utf-8").splitlines()[1]
    assert re.match(r'1,"?[^,]*"?,1,"admin","","","admin@example.com",1,1,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$',
                    raw_line), raw_line
    assert not any(b"pbkdf2_sha256$" in path.read_bytes() for path in seeded.rglob("*.csv"))
    assert not (seeded / ".panorama-staging").exists()


def test_export_to_s3_writes_the_same_objects(seeded, aws, settings, request):
    export_command()  # the local export, for comparison
    local = {key: (seeded / key).read_bytes() for key in snapshot(seeded) if not key.endswith(".duckdb")}
    s3 = request.getfixturevalue("aws_datalake")
    output = export_command()
    assert "Datalake s3://panorama-lake/openedx" in output
    objects = {item["Key"]: item for page in s3.get_paginator("list_objects_v2").paginate(Bucket="panorama-lake")
               for item in page["Contents"]}
    assert {key for key in objects if not key.startswith("athena/")} == {f"openedx/{key}" for key in local}
    for key, content in local.items():
        assert s3.get_object(Bucket="panorama-lake", Key=f"openedx/{key}")["Body"].read() == content, key


def test_columns_follow_the_database(seeded):
    """A column an LMS upgrade adds flows through; one it removes does not break the run."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE student_courseaccessrole ADD COLUMN added_later varchar(20) NULL")
        cursor.execute("UPDATE student_courseaccessrole SET added_later = 'new, \"value\"' WHERE id = 1")
    try:
        export_command("--tables", "student_courseaccessrole")
        header, rows = read_csv(seeded / f"student_courseaccessrole/lms={HOST}/student_courseaccessrole.csv")
        assert header[-1] == "added_later"
        assert compare_table(seeded, "student_courseaccessrole") == rows_in("student_courseaccessrole")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE student_courseaccessrole DROP COLUMN added_later")
    export_command("--tables", "student_courseaccessrole")
    assert "added_later" not in read_csv(seeded / f"student_courseaccessrole/lms={HOST}/student_courseaccessrole.csv")[0]


def test_stale_partitions_are_removed_and_legacy_keys_stay_one_folder(seeded):
    export_command("--tables", "courseware_studentmodule")
    gone = course_ids()[0]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM courseware_studentmodule WHERE course_id = %s", [gone])
        cursor.execute("UPDATE courseware_studentmodule SET course_id = 'OldOrg/CS101/2014_Fall' WHERE id = 5")
    export_command("--tables", "courseware_studentmodule")
    keys = set(snapshot(seeded))
    assert keys == expected_keys() - {k for k in expected_keys() if not k.startswith("courseware_studentmodule")}
    assert f"courseware_studentmodule/lms={HOST}/course_id=OldOrg%2FCS101%2F2014_Fall/courseware_studentmodule.csv" in keys
    assert compare_table(seeded, "courseware_studentmodule") == rows_in("courseware_studentmodule")


def test_dry_run_prints_the_plan_and_writes_nothing(seeded):
    output = export_command("--dry-run", "--tables", "auth_user,courseware_studentmodule")
    assert f"{seeded.as_uri()}/auth_user/lms={HOST}/auth_user.csv" in output
    assert f"courseware_studentmodule: {len(course_ids())} file(s)" in output
    assert not seeded.exists()


def test_demo_mode_exports_nothing_without_a_destination(seeded, settings, tmp_path):
    settings.PANORAMA_MODE = "DEMO"
    assert "nothing is exported" in export_command()
    assert not seeded.exists()
    export_command("--tables", "auth_user", "--destination", (tmp_path / "explicit").as_uri())
    assert (tmp_path / "explicit" / f"auth_user/lms={HOST}/auth_user.csv").is_file()


# --- faults ---------------------------------------------------------------------------------------------

class KillingReader(TableReader):
    """Kills its own MariaDB connection (a real KILL from another session) after the first page."""

    def __init__(self, spec, alias):
        super().__init__(spec, alias, page_rows=500)

    def open(self, strategy=None):
        stream = super().open(strategy)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT CONNECTION_ID()")
            victim = cursor.fetchone()[0]

        def pages():
            for number, page in enumerate(stream.pages):
                yield page
                if number == 0:
                    import MySQLdb  # pylint: disable=import-outside-toplevel

                    killer = MySQLdb.connect(host="127.0.0.1", user="root", password="")
                    killer.cursor().execute(f"KILL {victim}")
                    killer.close()

        stream.pages = pages()
        return stream


def killing_reader(spec, alias):
    return KillingReader(spec, alias) if spec.name == "courseware_studentmodule" else reader_for(spec, alias)


def test_database_connection_killed_in_the_middle_of_a_table(seeded):
    export_command()
    before = snapshot(seeded)
    settings = get_settings()
    report = export(settings.tables, LocalStorage(seeded), HOST, reader_factory=killing_reader)
    failed = {t.table: t for t in report.tables if t.status == FAILED}
    assert list(failed) == ["courseware_studentmodule"]
    assert "database error while reading courseware_studentmodule" in failed["courseware_studentmodule"].message
    assert all(t.status == OK for t in report.tables if t.table != "courseware_studentmodule")
    after = snapshot(seeded)
    studentmodule = {k for k in before if k.startswith("courseware_studentmodule/")}
    assert {k: after[k] for k in studentmodule} == {k: before[k] for k in studentmodule}
    assert set(after) == set(before)


def test_s3_error_in_the_middle_of_an_upload_keeps_the_previous_objects(seeded, aws_datalake):
    """
    moto cannot be told to fail one request, so a botocore event hook makes S3 refuse the upload of
    the auth_user file (after the other tables went through the real HTTP path).
    """
    s3 = aws_datalake
    export_command()
    before = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket="panorama-lake", Prefix="openedx/")["Contents"]}
    storage = S3Storage(s3, "panorama-lake", "openedx")

    def refuse(params, **kwargs):
        if params["Key"].endswith("/auth_user.csv"):
            from botocore.exceptions import ClientError  # pylint: disable=import-outside-toplevel

            raise ClientError({"Error": {"Code": "InternalError", "Message": "We encountered an internal error"}},
                              "PutObject")

    s3.meta.events.register("before-parameter-build.s3.PutObject", refuse)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET first_name = 'changed' WHERE id = 2")
    report = export(get_settings().tables, storage, HOST)
    assert [t.table for t in report.failed] == ["auth_user"]
    assert "Upload of s3://panorama-lake/openedx/auth_user/" in report.failed[0].message
    after = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket="panorama-lake", Prefix="openedx/")["Contents"]}
    assert after == before  # the data did not change elsewhere, and auth_user kept its previous object
    assert s3.list_multipart_uploads(Bucket="panorama-lake").get("Uploads", []) == []


def test_unwritable_folder_is_a_clear_error(seeded, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_manage("panorama_export", "--destination", (blocker / "lake").as_uri(),
                        env={"PANORAMA_MODE": "CUSTOM", "PANORAMA_DATALAKE_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert f"Cannot write to the datalake folder {blocker / 'lake'}: Not a directory" in result.stderr
    assert blocker.read_text() == "not a folder"


def test_missing_optional_table_is_a_warning_and_missing_required_table_fails(seeded, settings):
    export_command()
    before = snapshot(seeded)
    settings.PANORAMA_TABLES = {"an_optional_plugin_table": {"optional": True}, "a_required_table": {}}
    with pytest.raises(CommandError) as caught:
        export_command()
    message = str(caught.value)
    assert "Export failed for a_required_table (table a_required_table does not exist" in message
    assert "an_optional_plugin_table" not in message
    after = snapshot(seeded)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    settings.PANORAMA_TABLES = {"an_optional_plugin_table": {"optional": True}}
    out = io.StringIO()
    export_command(stdout=out)
    assert "SKIPPED: an_optional_plugin_table: table an_optional_plugin_table does not exist" in out.getvalue()


def test_command_exit_codes(seeded, tmp_path):
    env = {"PANORAMA_MODE": "CUSTOM", "PANORAMA_DATALAKE_DIR": str(tmp_path / "lake")}
    unknown = run_manage("panorama_export", "--tables", "auth_user,no_such_table", env=env)
    assert unknown.returncode == 2
    assert "unknown table(s): no_such_table. Known tables:" in unknown.stderr
    bad = run_manage("panorama_export", "--destination", "ftp://example.com/x", env=env)
    assert bad.returncode == 2 and "is not file:///absolute/path or s3://bucket/prefix" in bad.stderr
    missing = run_manage("panorama_export", "--tables", "auth_user,a_required_table",
                         env={**env, "PANORAMA_TABLES": '{"a_required_table": {}}'})
    assert missing.returncode == 1
    assert "Export failed for a_required_table" in missing.stderr
    assert "auth_user                                            ok" in missing.stdout


def test_report_statuses(seeded):
    settings = get_settings()
    specs = [s for s in settings.tables if s.name == "auth_user"]
    report = export(specs, LocalStorage(seeded), HOST)
    assert [(t.table, t.status, t.rows, t.files) for t in report.tables] == [("auth_user", OK, 500, 1)]
    assert SKIPPED != OK
