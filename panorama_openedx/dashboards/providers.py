"""
The provider's dashboards API (DEMO, FREE, SAAS modes): one GET returns the dashboards with their
embed URLs.

FREE and SAAS requests are signed with SigV4 (service ``execute-api``) using the PANORAMA_AWS_* keys
as an API credential. DEMO requests are anonymous and carry nothing about the user. Answers are
validated before they are passed on, so that the MFE never receives something it cannot show.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from panorama_openedx import __version__
from panorama_openedx.conf import Mode, PanoramaSettings
from panorama_openedx.dashboards.errors import Misconfigured, UpstreamFailure, UpstreamTimeout

MAX_ANSWER_BYTES = 1_000_000  # a list of dashboards; anything bigger is not one
_URL_SETTING = {Mode.DEMO: "PANORAMA_DEMO_DASHBOARDS_URL", Mode.FREE: "PANORAMA_FREE_DASHBOARDS_URL",
                Mode.SAAS: "PANORAMA_SAAS_DASHBOARDS_URL"}


@dataclass(frozen=True)
class ProviderDashboard:
    """One dashboard of the provider's answer, normalised."""

    name: str
    display_name: str
    url: str
    id: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)  # the item as the provider sent it


def provider_url(settings: PanoramaSettings) -> str:
    return {Mode.DEMO: settings.demo_dashboards_url, Mode.FREE: settings.free_dashboards_url,
            Mode.SAAS: settings.saas_dashboards_url}[settings.mode]


def query(settings: PanoramaSettings, username: str, role: str) -> dict:
    """What the provider is told. DEMO: the site and version only; FREE/SAAS: also the user and role."""
    params = {"lms": settings.lms_host, "version": __version__, "dashboard_function": role}
    if settings.mode is not Mode.DEMO:
        params["user"] = username
    return params


def signed_headers(settings: PanoramaSettings, url: str) -> dict:
    """SigV4 headers for a GET of ``url`` (the exact URL that will be sent, query included)."""
    from botocore.auth import SigV4Auth  # pylint: disable=import-outside-toplevel
    from botocore.awsrequest import AWSRequest  # pylint: disable=import-outside-toplevel
    from botocore.credentials import Credentials  # pylint: disable=import-outside-toplevel

    if not (settings.aws_access_key and settings.aws_secret_access_key):
        raise Misconfigured(f"PANORAMA_MODE = '{settings.mode}' signs its requests to the provider with the "
                            "PANORAMA_AWS_* keys, and they are not set.", setting="PANORAMA_AWS_ACCESS_KEY")
    request = AWSRequest(method="GET", url=url)
    credentials = Credentials(settings.aws_access_key.reveal(), settings.aws_secret_access_key.reveal())
    SigV4Auth(credentials, "execute-api", settings.provider_region).add_auth(request)
    return dict(request.headers.items())


def request_url(settings: PanoramaSettings, username: str, role: str) -> str:
    """
    The provider's URL with our query appended to any it already has, encoded as SigV4 canonicalises it
    (``%20``, never ``+``), so that the signature covers exactly the bytes sent.
    """
    parts = urlsplit(provider_url(settings))
    params = parse_qsl(parts.query, keep_blank_values=True) + list(query(settings, username, role).items())
    return urlunsplit(parts._replace(query=urlencode(params, quote_via=quote, safe="-_.~")))


def fetch_dashboards(settings: PanoramaSettings, username: str, role: str) -> list[ProviderDashboard]:
    """The provider's dashboards for this user and role, validated."""
    import requests  # pylint: disable=import-outside-toplevel

    setting = _URL_SETTING[settings.mode]
    url = request_url(settings, username, role)
    headers = {"Accept": "application/json"}
    if settings.mode is not Mode.DEMO:
        headers.update(signed_headers(settings, url))
    host = urlsplit(url).netloc
    seconds = settings.provider_timeout.total_seconds()
    deadline = time.monotonic() + seconds
    too_slow = UpstreamTimeout(f"The dashboards API at {host} did not answer within {seconds:g} s.")
    try:
        with requests.get(url, headers=headers, timeout=seconds, allow_redirects=False, stream=True) as response:
            if response.status_code in (401, 403):
                raise Misconfigured(f"The dashboards API at {host} refused our credentials "
                                    f"(HTTP {response.status_code}).",
                                    setting="PANORAMA_AWS_ACCESS_KEY" if settings.mode is not Mode.DEMO else setting)
            if response.status_code == 404:
                raise Misconfigured(f"The dashboards API at {host} has no such path (HTTP 404).", setting=setting)
            if response.status_code != 200:
                raise UpstreamFailure(f"The dashboards API at {host} answered HTTP {response.status_code}.")
            body = bytearray()
            for chunk in _chunks(response):  # the timeout bounds each read; the deadline, the whole answer
                body += chunk
                if time.monotonic() > deadline:
                    raise too_slow
                if len(body) > MAX_ANSWER_BYTES:
                    raise UpstreamFailure(f"The dashboards API at {host} answered more than "
                                          f"{MAX_ANSWER_BYTES // 1_000_000} MB.")
    except requests.Timeout:
        raise too_slow from None
    except requests.RequestException as exc:
        raise UpstreamFailure(f"The dashboards API at {host} cannot be reached ({type(exc).__name__}).") from None
    try:
        payload = json.loads(bytes(body))
    except ValueError:
        raise UpstreamFailure(f"The dashboards API at {host} did not answer JSON.") from None
    return parse_dashboards(payload, host)


def _chunks(response, size: int = 64 * 1024):
    """What has arrived, as it arrives (``read1``: one receive, not a full buffer, on urllib3 2)."""
    read1 = getattr(response.raw, "read1", None)
    if read1 is None:  # urllib3 1.x
        yield from response.iter_content(size)
        return
    while chunk := read1(size, decode_content=True):
        yield chunk


def parse_dashboards(payload, host: str) -> list[ProviderDashboard]:
    """Accept a list of {name, displayName | display_name, url[, id]} (also inside {"body": [...]})."""
    if isinstance(payload, dict) and "body" in payload:
        payload = payload["body"]
    if not isinstance(payload, list):
        raise UpstreamFailure(f"The dashboards API at {host} answered {type(payload).__name__}, not a list.")
    dashboards = []
    for index, item in enumerate(payload):
        if not isinstance(item, dict):
            raise UpstreamFailure(f"The dashboards API at {host}: item {index} is not an object.")
        name = item.get("name")
        display = item.get("displayName", item.get("display_name", name))
        url = item.get("url")
        problems = [key for key, value in (("name", name), ("displayName", display), ("url", url))
                    if not isinstance(value, str) or not value.strip()]
        if not problems and urlsplit(url).scheme != "https":
            problems.append("url (not https)")
        if problems:
            raise UpstreamFailure(f"The dashboards API at {host}: item {index} has no valid {', '.join(problems)}.")
        dashboards.append(ProviderDashboard(name, display, url, str(item.get("id") or ""), item))
    return dashboards
