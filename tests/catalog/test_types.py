"""One type mapping for both catalogs; the Athena SQL it generates parses as Trino/Athena SQL."""
import pytest
import sqlglot

from panorama_openedx.catalog.glue import GlueCatalog
from panorama_openedx.catalog.tables import CatalogTable
from panorama_openedx.catalog.types import (
    BIGINT,
    DATE,
    DOUBLE,
    TIME,
    TIMESTAMP,
    VARCHAR,
    Column,
    athena_expression,
    view_names,
    view_type,
)


@pytest.mark.parametrize("source, expected", [
    ("int(11)", BIGINT), ("int", BIGINT), ("bigint(20) unsigned", BIGINT), ("smallint(6)", BIGINT),
    ("mediumint(9)", BIGINT), ("tinyint(4)", BIGINT), ("tinyint(1)", BIGINT), ("bool", BIGINT),
    ("integer unsigned", BIGINT), ("year(4)", BIGINT), ("decimal(5,2)", DOUBLE), ("double", DOUBLE),
    ("float", DOUBLE), ("real", DOUBLE), ("char(32)", VARCHAR), ("varchar(255)", VARCHAR), ("longtext", VARCHAR),
    ("text", VARCHAR), ("json", VARCHAR), ("uuid", VARCHAR), ("datetime(6)", TIMESTAMP), ("datetime", TIMESTAMP),
    ("timestamp", TIMESTAMP), ("date", DATE), ("time(6)", TIME), ("time", TIME), ("", VARCHAR),
])
def test_view_types(source, expected):
    assert view_type(source) == expected


def test_names_are_panoramas():
    assert view_names("openedx", "auth_user") == ("openedx_raw_auth_user", "openedx_table_auth_user")
    assert view_names("data/Open-edX", "t") == ("data_open_edx_raw_t", "data_open_edx_table_t")


def test_athena_view_sql_parses_as_trino_and_athena_sql():
    table = CatalogTable("probe", tuple(Column(f"c_{t.lower()}", t) for t in (BIGINT, DOUBLE, VARCHAR, TIMESTAMP,
                                                                              DATE, TIME)), ("lms", "course_id"))
    catalog = GlueCatalog(None, None, "panorama", "panorama", "bucket", "openedx", "openedx")
    sql = catalog.view_sql(table)
    for dialect in ("trino", "athena"):
        parsed = sqlglot.parse_one(sql, read=dialect)
        assert parsed.key == "create"
        assert [e.alias_or_name for e in parsed.expression.expressions] == [
            "c_bigint", "c_double", "c_varchar", "c_timestamp", "c_date", "c_time", "lms", "course_id"]
    assert 'FROM "panorama"."openedx_raw_probe"' in sql
    assert athena_expression(Column("x", TIMESTAMP)) == "TRY(date_parse(NULLIF(\"x\", ''), '%Y-%m-%d %H:%i:%s.%f'))"
    with pytest.raises(sqlglot.errors.ParseError):
        sqlglot.parse_one(sql.replace("NULLIF(", "NULLIF((", 1), read="trino")  # the parser does reject bad SQL
