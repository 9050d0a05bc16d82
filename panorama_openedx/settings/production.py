"""
Production overrides: PANORAMA_* values from the LMS YAML (``ENV_TOKENS``) win over the defaults.

Recent LMS releases also copy the YAML into the settings module directly; reading ``ENV_TOKENS`` as
well keeps older releases working, and both paths give the same value.
"""
from panorama_openedx.settings import common


def plugin_settings(settings):
    """Apply the defaults, then every PANORAMA_* key of the YAML."""
    common.plugin_settings(settings)
    env_tokens = getattr(settings, "ENV_TOKENS", None) or {}
    for name, value in env_tokens.items():
        if name.startswith("PANORAMA_"):
            setattr(settings, name, value)
