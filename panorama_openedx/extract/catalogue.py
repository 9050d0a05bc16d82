"""
The tables exported, declared once as data.

The default set is Panorama's: the course structures, then its 29 MySQL tables (``panorama-system.md`` §5),
in Panorama's order. Columns
are not listed: they are discovered from the database at run time, so a column that an LMS upgrade adds
flows through and one it removes does not break the run. Operators change the set with
``PANORAMA_TABLES`` (validated by ``conf``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

# Never exported, whatever PANORAMA_TABLES says: password hashes have no analytics use.
ALWAYS_EXCLUDED = {"auth_user": frozenset({"password"})}


@dataclass(frozen=True)
class TableSpec:
    """One exported table: its name, Hive field partitions, columns left out, and whether it may be absent."""

    name: str
    partition_fields: tuple[str, ...] = ()
    exclude_columns: frozenset[str] = frozenset()
    optional: bool = False
    source: str = "database"  # or "modulestore": the course structures, flattened from MongoDB

    def __post_init__(self):
        forced = ALWAYS_EXCLUDED.get(self.name, frozenset())
        object.__setattr__(self, "exclude_columns", frozenset(self.exclude_columns) | forced)
        hidden = set(self.partition_fields) & self.exclude_columns
        if hidden:  # a partition value is written in every path: it would export the excluded column
            raise ValueError(f"{self.name} cannot be partitioned by excluded column(s) {sorted(hidden)}")


_ENTERPRISE = {"optional": True}  # present only where edx-enterprise is installed

DEFAULT_TABLES: tuple[TableSpec, ...] = tuple(
    TableSpec(name, **options) for name, options in (
        ("course_structures", {"source": "modulestore"}),
        ("submissions_score", {}),
        ("submissions_scoreannotation", {}),
        ("submissions_scoresummary", {}),
        ("submissions_studentitem", {}),
        ("submissions_submission", {}),
        ("submissions_teamsubmission", {}),
        ("student_anonymoususerid", {}),
        ("site_configuration_siteconfiguration", {}),
        ("auth_user", {}),
        ("student_courseenrollment", {}),
        ("auth_userprofile", {}),
        ("student_courseaccessrole", {}),
        ("course_overviews_courseoverview", {}),
        ("courseware_studentmodule", {"partition_fields": ("course_id",)}),
        ("grades_persistentcoursegrade", {}),
        ("student_manualenrollmentaudit", {}),
        ("student_courseenrollmentallowed", {}),
        ("certificates_generatedcertificate", {}),
        ("course_groups_cohortmembership", {}),
        ("course_groups_coursecohort", {}),
        ("course_groups_coursecohortssettings", {}),
        ("course_groups_courseusergroup", {}),
        ("course_groups_courseusergroup_users", {}),
        ("course_groups_courseusergrouppartitiongroup", {}),
        ("course_groups_unregisteredlearnercohortassignments", {}),
        ("completion_blockcompletion", {}),
        ("enterprise_enterprisecustomeruser", _ENTERPRISE),
        ("enterprise_enterprisecustomer", _ENTERPRISE),
        ("enterprise_pendingenterprisecustomeruser", _ENTERPRISE),
    )
)

_OVERRIDE_KEYS = {"partition_fields", "exclude_columns", "optional"}


def apply_overrides(overrides) -> tuple[TableSpec, ...]:
    """
    The default tables changed by ``PANORAMA_TABLES``: ``{table: {option: value}}`` adds or changes a
    table, ``{table: None}`` stops exporting it. Raises ValueError naming what is wrong.
    """
    if overrides is None:
        return DEFAULT_TABLES
    if not isinstance(overrides, dict):
        raise ValueError("it is not a dictionary of table names")
    tables = {spec.name: spec for spec in DEFAULT_TABLES}
    for name, options in overrides.items():
        if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
            raise ValueError(f"{name!r} is not a table name")
        if options is None or options is False:
            tables.pop(name, None)
            continue
        if not isinstance(options, dict):
            raise ValueError(f"the options of {name} are not a dictionary")
        unknown = set(options) - _OVERRIDE_KEYS
        if unknown:
            raise ValueError(f"{name} has unknown options {sorted(unknown)} (known: {sorted(_OVERRIDE_KEYS)})")
        changes = {}
        for key in ("partition_fields", "exclude_columns"):
            if key in options:
                changes[key] = _names(name, key, options[key])
        if "optional" in options:
            if not isinstance(options["optional"], bool):
                raise ValueError(f"{name}.optional is not True or False")
            changes["optional"] = options["optional"]
        if "exclude_columns" in changes:
            changes["exclude_columns"] = frozenset(changes["exclude_columns"])
        current = tables.get(name, TableSpec(name))
        if current.source != "database" and "partition_fields" in changes:
            raise ValueError(f"{name} comes from the modulestore and cannot be partitioned")
        tables[name] = replace(current, **changes)
    return tuple(tables.values())


def _names(table, key, value) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{table}.{key} is not a list of column names")
    for column in value:
        if not isinstance(column, str) or not IDENTIFIER.fullmatch(column):
            raise ValueError(f"{table}.{key} holds {column!r}, which is not a column name")
    return tuple(value)
