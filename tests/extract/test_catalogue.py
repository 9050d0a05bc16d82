"""The table catalogue: Panorama's 29 tables by default, changed by PANORAMA_TABLES."""
from types import SimpleNamespace

import pytest

from panorama_openedx.conf import validate
from panorama_openedx.extract.catalogue import DEFAULT_TABLES, TableSpec, apply_overrides


def test_defaults_are_panoramas_extract_set():
    assert len(DEFAULT_TABLES) == 30
    assert DEFAULT_TABLES[0] == TableSpec("course_structures", source="modulestore")
    assert all(spec.source == "database" for spec in DEFAULT_TABLES[1:])
    by_name = {spec.name: spec for spec in DEFAULT_TABLES}
    assert by_name["courseware_studentmodule"].partition_fields == ("course_id",)
    assert [s.name for s in DEFAULT_TABLES if s.partition_fields] == ["courseware_studentmodule"]
    assert {s.name for s in DEFAULT_TABLES if s.optional} == {
        "enterprise_enterprisecustomeruser", "enterprise_enterprisecustomer", "enterprise_pendingenterprisecustomeruser"}
    assert by_name["auth_user"].exclude_columns == {"password"}


def test_overrides_add_change_and_remove_tables():
    tables = apply_overrides({
        "survey_surveyanswer": {},
        "auth_user": {"exclude_columns": ["email"]},
        "completion_blockcompletion": {"partition_fields": ["course_key"]},
        "student_courseenrollmentallowed": None,
        "enterprise_enterprisecustomer": {"optional": False},
    })
    by_name = {spec.name: spec for spec in tables}
    assert by_name["survey_surveyanswer"] == TableSpec("survey_surveyanswer")
    assert by_name["auth_user"].exclude_columns == {"email", "password"}, "the password is never exported"
    assert by_name["completion_blockcompletion"].partition_fields == ("course_key",)
    assert "student_courseenrollmentallowed" not in by_name
    assert by_name["enterprise_enterprisecustomer"].optional is False
    assert len(tables) == 30


@pytest.mark.parametrize("overrides, message", [
    ([], "not a dictionary of table names"),
    ({"bad name": {}}, "'bad name' is not a table name"),
    ({"t": "x"}, "the options of t are not a dictionary"),
    ({"t": {"partitions": []}}, "t has unknown options ['partitions']"),
    ({"t": {"partition_fields": "course_id"}}, "t.partition_fields is not a list of column names"),
    ({"t": {"exclude_columns": ["ok", "no-way"]}}, "t.exclude_columns holds 'no-way'"),
    ({"t": {"optional": "yes"}}, "t.optional is not True or False"),
    ({"course_structures": {"partition_fields": ["course_id"]}}, "comes from the modulestore and cannot be partitioned"),
])
def test_bad_overrides_are_named(overrides, message):
    with pytest.raises(ValueError) as caught:
        apply_overrides(overrides)
    assert message in str(caught.value)


def test_settings_accept_json_text_from_the_environment():
    source = SimpleNamespace(DATABASES={"default": {}}, PANORAMA_TABLES='{"survey_surveyanswer": {}}')
    assert validate(source).settings.tables[-1].name == "survey_surveyanswer"
    broken = validate(SimpleNamespace(DATABASES={"default": {}}, PANORAMA_TABLES="{not json"))
    assert "PANORAMA_TABLES = '{not json' is not valid (it is not valid JSON" in broken.errors[0].message


def test_an_excluded_column_cannot_become_a_partition():
    """A partition value is in every path: partitioning by the password would export it."""
    with pytest.raises(ValueError, match=r"auth_user cannot be partitioned by excluded column\(s\) \['password'\]"):
        apply_overrides({"auth_user": {"partition_fields": ["password"]}})
