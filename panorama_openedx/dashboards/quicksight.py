"""
QuickSight embed URLs (CUSTOM mode): one boto3 client per process, one call per requested dashboard.

Registered users (global staff, granted dashboards, the console) are embedded as their QuickSight user.
Course staff and learners are embedded anonymously with session tags (``lms``, and ``course_id`` or
``user_id``) that the datasets' tag-based row-level security matches, so the rows they see are
decided here and not by the browser (README, "QuickSight setup").
"""
from __future__ import annotations

import hashlib
import threading

from panorama_openedx import aws
from panorama_openedx.conf import PanoramaSettings
from panorama_openedx.dashboards.errors import Misconfigured, UpstreamFailure, UpstreamTimeout

URL_LIFETIME_SECONDS = 5 * 60  # an embed URL must be opened within five minutes (QuickSight's rule)
TAG_VALUE_MAX = 256  # QuickSight's limit on a session tag value

_lock = threading.Lock()


_CLIENTS: dict = {}


def client(settings: PanoramaSettings):
    """The process's QuickSight client for these settings (boto3 clients are thread-safe once built)."""
    credentials = f"{settings.aws_access_key.reveal()}\0{settings.aws_secret_access_key.reveal()}"
    key = (settings.region, hashlib.sha256(credentials.encode()).hexdigest())  # no clear secret kept as a key
    with _lock:
        cached = _CLIENTS.get(key)
        if cached is None:
            cached = _CLIENTS[key] = aws.client(settings, "quicksight", attempts=2, read_timeout=15)  # a person waits
        return cached


def dashboard_arn(settings: PanoramaSettings, dashboard_id: str) -> str:
    return f"arn:aws:quicksight:{settings.region}:{settings.aws_account_id}:dashboard/{dashboard_id}"


def _account(settings: PanoramaSettings) -> str:
    if not settings.aws_account_id:
        raise Misconfigured("QuickSight embedding needs the AWS account that owns the dashboards.",
                            setting="PANORAMA_AWS_ACCOUNT_ID")
    return settings.aws_account_id


def _common(settings: PanoramaSettings) -> dict:
    if not settings.embed_allowed_domains:
        raise Misconfigured("No domain may embed the dashboards: the LMS host is unknown.",
                            setting="PANORAMA_EMBED_ALLOWED_DOMAINS")
    return {
        "AwsAccountId": _account(settings),
        "SessionLifetimeInMinutes": settings.embed_session_minutes,
        "AllowedDomains": list(settings.embed_allowed_domains),
    }


def registered_dashboard_url(settings: PanoramaSettings, user_arn: str, dashboard_id: str) -> str:
    params = {**_common(settings), "UserArn": user_arn,
              "ExperienceConfiguration": {"Dashboard": {"InitialDashboardId": dashboard_id}}}
    return _call(settings, "generate_embed_url_for_registered_user", params,
                 f"the QuickSight user {user_arn} or the dashboard {dashboard_id}")


def console_url(settings: PanoramaSettings, user_arn: str) -> str:
    params = {**_common(settings), "UserArn": user_arn, "ExperienceConfiguration": {"QuickSightConsole": {
        "InitialPath": "/start", "FeatureConfigurations": {"StatePersistence": {"Enabled": True}}}}}
    return _call(settings, "generate_embed_url_for_registered_user", params, f"the QuickSight user {user_arn}")


def anonymous_dashboard_url(settings: PanoramaSettings, dashboard_id: str, tags: dict[str, str]) -> str:
    params = {
        **_common(settings),
        "Namespace": "default",
        "AuthorizedResourceArns": [dashboard_arn(settings, dashboard_id)],
        "ExperienceConfiguration": {"Dashboard": {"InitialDashboardId": dashboard_id}},
        "SessionTags": [{"Key": key, "Value": value} for key, value in tags.items()],
    }
    return _call(settings, "generate_embed_url_for_anonymous_user", params, f"the dashboard {dashboard_id}")


# AWS error codes that mean the configuration (ids, ARNs, account, pricing, credentials) is wrong.
_CONFIGURATION_ERRORS = {
    "AccessDeniedException": "PANORAMA_AWS_ACCESS_KEY",
    "UnrecognizedClientException": "PANORAMA_AWS_ACCESS_KEY",
    "InvalidClientTokenId": "PANORAMA_AWS_ACCESS_KEY",
    "SignatureDoesNotMatch": "PANORAMA_AWS_SECRET_ACCESS_KEY",
    "ExpiredTokenException": "PANORAMA_AWS_ACCESS_KEY",
    "ResourceNotFoundException": "",
    "QuickSightUserNotFoundException": "PANORAMA_DEFAULT_USER_ARN",
    "UnsupportedUserEditionException": "PANORAMA_AWS_ACCOUNT_ID",
    "UnsupportedPricingPlanException": "PANORAMA_AWS_ACCOUNT_ID",
    "SessionLifetimeInMinutesInvalidException": "PANORAMA_EMBED_SESSION_MINUTES",
    "InvalidParameterValueException": "",
}


def _call(settings: PanoramaSettings, operation: str, params: dict, subject: str) -> str:
    from botocore.exceptions import (  # pylint: disable=import-outside-toplevel
        BotoCoreError, ClientError, ConnectTimeoutError, NoCredentialsError, ParamValidationError, ReadTimeoutError,
    )

    action = "".join(part.title() for part in operation.split("_"))
    try:
        return getattr(client(settings), operation)(**params)["EmbedUrl"]
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, detail = error.get("Code", "Unknown"), error.get("Message", "")
        message = f"QuickSight refused {action}: {code}: {detail}".rstrip(": ")
        if code in _CONFIGURATION_ERRORS:
            setting = _CONFIGURATION_ERRORS[code]
            if code in ("ResourceNotFoundException", "QuickSightUserNotFoundException"):
                message += f" (check {subject})"
            raise Misconfigured(message, setting=setting) from None
        raise UpstreamFailure(message) from None
    except (ConnectTimeoutError, ReadTimeoutError):
        raise UpstreamTimeout(f"QuickSight did not answer {action} in time.") from None
    except NoCredentialsError:
        raise Misconfigured("No AWS credentials for QuickSight.", setting="PANORAMA_AWS_ACCESS_KEY") from None
    except ParamValidationError as exc:
        raise Misconfigured(f"QuickSight {action} parameters are invalid: {exc}") from None
    except BotoCoreError as exc:
        raise UpstreamFailure(f"QuickSight {action} failed: {type(exc).__name__}") from None
