"""The embedded DuckDB catalog on exported files: every row, with the right types, NULLs and empty strings."""
import datetime
import io
from decimal import Decimal

import duckdb
import pytest
from django.core.management import call_command
from django.db import connection

from tests.export_helpers import HOST

pytestmark = pytest.mark.django_db(transaction=True)

PROBE = """CREATE TABLE panorama_types_probe (
    id int NOT NULL PRIMARY KEY, small smallint NULL, big bigint unsigned NULL, flag tinyint(1) NULL,
    price decimal(8,3) NULL, ratio double NULL, code char(32) NULL, name varchar(50) NULL, body longtext NULL,
    doc json NULL, happened datetime(6) NULL, happened0 datetime NULL, day date NULL, clock time NULL, yr year NULL)"""
ROWS = [
    (1, -3, 18446744073709551, 1, Decimal("12.500"), 0.1, "a" * 32, 'quote " and, comma', "line\nbreak\\",
     '{"k": "v"}', datetime.datetime(2025, 1, 2, 3, 4, 5, 678901), datetime.datetime(2025, 1, 2, 3, 4, 5),
     datetime.date(2025, 1, 2), datetime.time(13, 14, 15), 2024),
    (2, None, None, None, None, None, None, None, None, None, None, None, None, None, None),
    (3, 0, 0, 0, Decimal("0.000"), 0.0, "", "", "", "[]", datetime.datetime(1999, 12, 31, 23, 59, 59),
     datetime.datetime(1999, 12, 31), datetime.date(1999, 12, 31), datetime.time(0, 0), 1999),
]


@pytest.fixture
def probe_table(settings, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute(PROBE)
        cursor.executemany(f"INSERT INTO panorama_types_probe VALUES ({', '.join(['%s'] * 15)})", ROWS)
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    settings.PANORAMA_TABLES = {"panorama_types_probe": {}}
    yield tmp_path
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE panorama_types_probe")


def test_typed_view_returns_every_row_with_its_type(probe_table):
    call_command("panorama_export", "--tables", "panorama_types_probe", stdout=io.StringIO(), stderr=io.StringIO())
    with duckdb.connect(str(probe_table / "panorama.duckdb"), read_only=True) as db:
        types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'openedx_table_panorama_types_probe'").fetchall())
        rows = db.execute("SELECT * EXCLUDE (lms), lms FROM openedx_table_panorama_types_probe ORDER BY id").fetchall()
        raw = db.execute("SELECT name, body FROM openedx_raw_panorama_types_probe ORDER BY id").fetchall()
    assert types == {"id": "BIGINT", "small": "BIGINT", "big": "BIGINT", "flag": "BIGINT", "price": "DOUBLE",
                     "ratio": "DOUBLE", "code": "VARCHAR", "name": "VARCHAR", "body": "VARCHAR", "doc": "VARCHAR",
                     "happened": "TIMESTAMP", "happened0": "TIMESTAMP", "day": "DATE", "clock": "TIME",
                     "yr": "BIGINT", "lms": "VARCHAR"}
    assert rows[0] == (1, -3, 18446744073709551, 1, 12.5, 0.1, "a" * 32, 'quote " and, comma', "line\\nbreak\\",
                       '{"k": "v"}', datetime.datetime(2025, 1, 2, 3, 4, 5, 678901),
                       datetime.datetime(2025, 1, 2, 3, 4, 5), datetime.date(2025, 1, 2), datetime.time(13, 14, 15),
                       2024, HOST)
    assert rows[1] == (2, *([None] * 14), HOST)
    assert rows[2] == (3, 0, 0, 0, 0.0, 0.0, "", "", "", "[]", datetime.datetime(1999, 12, 31, 23, 59, 59),
                       datetime.datetime(1999, 12, 31), datetime.date(1999, 12, 31), datetime.time(0, 0), 1999, HOST)
    assert raw[1] == (None, None) and raw[2] == ("", "")


def test_demo_style_count_matches_the_database(probe_table, serve_modulestore):
    call_command("seed_lms", "--scale", "0.01", "--modulestore-dir", str(probe_table / "ms"), stdout=io.StringIO())
    serve_modulestore(probe_table / "ms")
    call_command("panorama_export", stdout=io.StringIO(), stderr=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM auth_user")
        users = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM courseware_studentmodule")
        modules = cursor.fetchone()[0]
    with duckdb.connect(str(probe_table / "panorama.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM openedx_table_auth_user").fetchone()[0] == users
        assert db.execute("SELECT count(*) FROM openedx_table_courseware_studentmodule").fetchone()[0] == modules
        assert db.execute("SELECT count(DISTINCT course_id) FROM openedx_table_courseware_studentmodule").fetchone()[0] == 4
        joined = db.execute("""SELECT count(*) FROM openedx_table_courseware_studentmodule m
                               JOIN openedx_table_course_structures s ON s.module_location = m.module_id""").fetchone()
        assert joined[0] == modules


def test_a_locked_duckdb_file_is_a_clear_catalog_error(tmp_path):
    """An analyst's open DuckDB session holds the write lock (here: another process, as in real life)."""
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel

    from panorama_openedx.catalog.duckdb import DuckDBCatalog  # pylint: disable=import-outside-toplevel
    from panorama_openedx.catalog.tables import CatalogError, CatalogTable  # pylint: disable=import-outside-toplevel

    path = tmp_path / "panorama.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(CatalogError, match=f"cannot open the DuckDB catalog {path}"):
            DuckDBCatalog(path, tmp_path, "openedx").sync([CatalogTable("t", (), ("lms",))])
    finally:
        holder.kill()
        holder.wait()
