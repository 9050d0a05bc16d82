"""
Connection checks (``panorama_check``): every service the configured mode needs, each with a real round trip.

Panorama's own test reported Mongo as OK without contacting it and exited 0 on failures; here each check
either proves the access the export needs or says why not, and a check that does not apply to the mode is
reported as skipped.
"""
from __future__ import annotations

from dataclasses import dataclass

OK, FAILED, SKIPPED = "OK", "FAILED", "SKIPPED"
PROBE_KEY = "PanoramaConnectionTest"  # the key the seed's IAM policy lets the ELT user write and delete


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.name}: {self.status}" + (f" ({self.detail})" if self.detail else "")


def _run(name, check) -> CheckResult:
    try:
        detail = check()
    except Exception as exc:  # pylint: disable=broad-except  (every failure is reported, none raised)
        return CheckResult(name, FAILED, f"{type(exc).__name__}: {exc}".strip())
    return CheckResult(name, OK, detail or "")


def check_database(settings) -> CheckResult:
    from django.db import connections  # pylint: disable=import-outside-toplevel

    def probe():
        with connections[settings.database_alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return f"alias '{settings.database_alias}'"

    return _run("LMS database", probe)


def check_mongo(settings) -> CheckResult:
    if not settings.extracts:
        return CheckResult("MongoDB modulestore", SKIPPED, f"PANORAMA_MODE {settings.mode} exports nothing")
    if not any(spec.source == "modulestore" for spec in settings.tables):
        return CheckResult("MongoDB modulestore", SKIPPED, "course_structures is not exported")
    from panorama_openedx.extract.course_structures import (  # pylint: disable=import-outside-toplevel
        describe_mongo,
        doc_store_config,
        modulestore_database,
    )

    config = {"serverSelectionTimeoutMS": 5000, **doc_store_config(override=settings.modulestore_config)}

    def probe():
        client, database, prefix = modulestore_database(config)
        try:
            database.command("ping")
            database[f"{prefix}.structures"].find_one({}, {"_id": 1})
        finally:
            client.close()
        return describe_mongo(config)

    return _run("MongoDB modulestore", probe)


def check_bucket(settings, bucket: str, name: str) -> CheckResult:
    from panorama_openedx import aws  # pylint: disable=import-outside-toplevel

    def probe():
        client = aws.client(settings, "s3", attempts=1)  # a check answers now rather than after retries
        client.put_object(Bucket=bucket, Key=PROBE_KEY, Body=b"")
        client.delete_object(Bucket=bucket, Key=PROBE_KEY)
        return f"s3://{bucket}: put and delete {PROBE_KEY}"

    return _run(name, probe)


def check_athena(settings) -> CheckResult:
    from panorama_openedx import aws  # pylint: disable=import-outside-toplevel

    def probe():
        from panorama_openedx.catalog.glue import GlueCatalog  # pylint: disable=import-outside-toplevel

        glue = aws.client(settings, "glue", attempts=1)
        glue.get_database(Name=settings.datalake_database)
        # A real query in the workgroup, with only the actions the ELT user's policy grants.
        GlueCatalog(glue, aws.client(settings, "athena", attempts=1), settings.datalake_database,
                    settings.datalake_workgroup, settings.bucket, settings.base_prefix, settings.base_prefix,
                    poll_seconds=0.5, timeout_seconds=60).run_query("SELECT 1")
        return f"database {settings.datalake_database}, workgroup {settings.datalake_workgroup}"

    return _run("Glue/Athena", probe)


def check_folder(settings) -> CheckResult:
    from panorama_openedx.datalake.storage import LocalStorage  # pylint: disable=import-outside-toplevel

    def probe():
        storage = LocalStorage(settings.datalake_dir / settings.base_prefix)
        storage.check()
        storage.close()
        return str(storage.root)

    return _run("Local datalake folder", probe)


def check_quicksight(settings) -> CheckResult:
    """
    The dashboards and users typed into Django admin exist in QuickSight (ids and ARNs are typed by hand,
    and a typo otherwise shows only when someone opens the dashboard).
    """
    from panorama_openedx import aws  # pylint: disable=import-outside-toplevel
    from panorama_openedx.models import Audience, Dashboard, UserAccess  # pylint: disable=import-outside-toplevel

    def probe():
        client = aws.client(settings, "quicksight", attempts=1)
        dashboards = list(Dashboard.objects.order_by("priority", "name"))
        arns = set(UserAccess.objects.exclude(arn="").values_list("arn", flat=True))
        if settings.default_user_arn and any(d.audience == Audience.ADMIN for d in dashboards):
            arns.add(settings.default_user_arn)
        problems = []
        for dashboard in dashboards:
            problems += _quicksight_problem(f"dashboard '{dashboard.name}' ({dashboard.dashboard_id})",
                                            client.describe_dashboard, AwsAccountId=settings.aws_account_id,
                                            DashboardId=dashboard.dashboard_id)
        for arn in sorted(arns):
            namespace, user_name = arn.split(":user/", 1)[1].split("/", 1)
            problems += _quicksight_problem(f"user {arn}", client.describe_user, AwsAccountId=settings.aws_account_id,
                                            Namespace=namespace, UserName=user_name)
        if problems:
            raise LookupError("; ".join(problems))
        return f"{len(dashboards)} dashboard(s), {len(arns)} user(s) found in account {settings.aws_account_id}"

    return _run("QuickSight", probe)


def _quicksight_problem(subject: str, call, **params) -> list[str]:
    from botocore.exceptions import ClientError  # pylint: disable=import-outside-toplevel

    try:
        call(**params)
    except ClientError as exc:
        return [f"{subject}: {exc.response.get('Error', {}).get('Code', 'error')}"]
    return []


def run_checks(settings) -> list[CheckResult]:
    """Every check, in order; those that do not apply to the mode are SKIPPED with the reason."""
    from panorama_openedx.conf import Mode  # pylint: disable=import-outside-toplevel

    results = [check_database(settings), check_mongo(settings)]
    if settings.extracts and settings.bucket:
        results.append(check_bucket(settings, settings.bucket, "Data bucket"))
    else:
        results.append(CheckResult("Data bucket", SKIPPED, "no PANORAMA_BUCKET" if settings.extracts
                                   else f"PANORAMA_MODE {settings.mode} exports nothing"))
    if settings.mode.ships_tracking_logs and settings.raw_logs_bucket:
        results.append(check_bucket(settings, settings.raw_logs_bucket, "Raw-logs bucket"))
    else:
        results.append(CheckResult("Raw-logs bucket", SKIPPED, f"PANORAMA_MODE {settings.mode} ships no tracking logs"
                                   if not settings.mode.ships_tracking_logs else "no PANORAMA_RAW_LOGS_BUCKET"))
    if settings.mode is Mode.CUSTOM and settings.bucket:
        results.append(check_athena(settings))
    else:
        results.append(CheckResult("Glue/Athena", SKIPPED, "only in CUSTOM mode with an S3 datalake"))
    results.append(_quicksight_or_skip(settings, Mode))
    if settings.extracts and settings.uses_local_datalake:
        results.append(check_folder(settings))
    else:
        results.append(CheckResult("Local datalake folder", SKIPPED, "the datalake is not a local folder"
                                   if settings.extracts else f"PANORAMA_MODE {settings.mode} exports nothing"))
    return results


def _quicksight_or_skip(settings, mode) -> CheckResult:
    from panorama_openedx.models import Dashboard  # pylint: disable=import-outside-toplevel

    if settings.mode is not mode.CUSTOM:
        return CheckResult("QuickSight", SKIPPED, f"PANORAMA_MODE {settings.mode}: the provider serves the dashboards")
    if not settings.aws_account_id:
        return CheckResult("QuickSight", FAILED, "PANORAMA_AWS_ACCOUNT_ID is empty: no dashboard can be embedded")
    if not Dashboard.objects.exists():
        return CheckResult("QuickSight", SKIPPED, "no dashboard in Django admin (Panorama > Dashboards)")
    return check_quicksight(settings)
