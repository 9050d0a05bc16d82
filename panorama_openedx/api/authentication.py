"""
How API requests are authenticated: the LMS's JWT cookie (edx-drf-extensions, when installed, as
the MFEs use it), then the session cookie.
"""
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated


def authentication_classes() -> tuple:
    classes = []
    try:
        from edx_rest_framework_extensions.auth.jwt.authentication import (  # pylint: disable=import-outside-toplevel
            JwtAuthentication,
        )
    except ImportError:  # outside the LMS and without edx-drf-extensions: session only
        pass
    else:
        classes.append(JwtAuthentication)
    classes.append(SessionAuthentication)
    return tuple(classes)


def permission_classes() -> tuple:
    """
    A logged-in user, and not through a restricted JWT (one issued to a third-party OAuth application
    for limited scopes): dashboards are for the people themselves, not for applications acting for them.
    """
    try:
        from edx_rest_framework_extensions.permissions import (  # pylint: disable=import-outside-toplevel
            NotJwtRestrictedApplication,
        )
    except ImportError:
        return (IsAuthenticated,)
    return (IsAuthenticated, NotJwtRestrictedApplication)
