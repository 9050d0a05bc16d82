"""
AWS clients built from the Panorama settings: credentials (or the default chain), region, timeouts, retries.

``PANORAMA_S3_ENDPOINT_URL`` points S3 at an S3-compatible store; other services take botocore's own
``AWS_ENDPOINT_URL_<SERVICE>`` environment variables (tests point them at a local moto server).
"""
from __future__ import annotations


def client(settings, service: str, attempts: int = 5, read_timeout: int = 60):
    """A boto3 client for ``service`` ("s3", "glue", "athena", "quicksight", ...); ``attempts`` counts retries too."""
    import boto3  # pylint: disable=import-outside-toplevel
    from botocore.config import Config  # pylint: disable=import-outside-toplevel

    credentials = {}
    if settings.aws_access_key:
        credentials = {"aws_access_key_id": settings.aws_access_key.reveal(),
                       "aws_secret_access_key": settings.aws_secret_access_key.reveal()}
    endpoint = (settings.s3_endpoint_url or None) if service == "s3" else None
    return boto3.client(
        service, region_name=settings.region, endpoint_url=endpoint,
        config=Config(connect_timeout=10, read_timeout=read_timeout, retries={"max_attempts": attempts, "mode": "standard"}),
        **credentials,
    )
