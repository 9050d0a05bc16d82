"""
tutor-contrib-panorama: the Tutor hooks.

What the plugin does, by hook:

* ``CONFIG_DEFAULTS``: every ``PANORAMA_*`` key (``settings.config_defaults()``);
* ``ENV_PATCHES``: the files of ``patches/`` (image install, LMS settings, Celery beat service and Deployment,
  Kubernetes job memory, Panorama MFE URL);
* ``CLI_DO_COMMANDS``: ``do panorama-export``, ``do panorama-catalog`` and ``do panorama-check``;
* ``CLI_DO_INIT_TASKS``: ``panorama_check`` (and ``panorama_catalog`` in CUSTOM) in the lms container;
* ``MOUNTED_DIRECTORIES``: ``tutor mounts add /path/to/panorama-openedx`` installs a checkout in the image;
* tutor-mfe's ``MFE_APPS`` (only when tutor-mfe is installed): the Panorama MFE, when ``PANORAMA_MFE_ENABLED``.
"""
from __future__ import annotations

import os
import shlex
import sys
import typing as t
from glob import glob
from importlib.resources import files

import click
import jinja2
from tutor import exceptions, hooks

from tutorpanorama import jobs
from tutorpanorama.settings import (
    LMS_DEFAULTS,
    PREFIX,
    TUTOR_DEFAULTS,
    ConfigError,
    config_defaults,
    memory_quantity,
    mode_of,
    render_lms_settings,
)

try:  # tutor-mfe is optional: without it there is no MFE to register
    from tutormfe.hooks import MFE_APPS
except ImportError:  # pragma: no cover - depends on the installation
    MFE_APPS = None

MFE_NAME = "panorama"

########################################
# CONFIGURATION
########################################

hooks.Filters.CONFIG_DEFAULTS.add_items(list(config_defaults().items()))

# The PANORAMA_* values of the last configuration loaded. Tutor's filters (MFE apps, init tasks) are applied
# without the configuration, so they read it from here; until a configuration is loaded the defaults apply.
_LOADED: dict[str, t.Any] = {}


@hooks.Actions.CONFIG_LOADED.add()
def _remember_config(config: dict[str, t.Any]) -> None:
    _LOADED.clear()
    _LOADED.update({name: value for name, value in config.items() if name.startswith(PREFIX)})
    _forget_mfe_caches()
    for name in ("K8S_JOB_MEMORY", "K8S_JOB_MEMORY_REQUEST", "K8S_JOB_MEMORY_LIMIT"):
        try:
            memory_quantity(PREFIX + name, _LOADED.get(PREFIX + name))
        except ConfigError as exc:
            raise exceptions.TutorError(str(exc)) from exc


@hooks.Filters.IMAGES_BUILD_REQUIRED.add()
def _build_openedx_on_launch(image_names: list[str], context_name: str) -> list[str]:
    """
    `tutor local launch` builds the openedx image (the stock one has no panorama-openedx) and, when the
    Panorama MFE is registered, the mfe image (the stock one does not hold it).
    """
    if context_name != "local":
        return image_names
    wanted = ["openedx"] + (["mfe"] if MFE_APPS is not None and _panorama_mfe() is not None else [])
    return image_names + [name for name in wanted if name not in image_names]


def _value(name: str) -> t.Any:
    if PREFIX + name in _LOADED:
        return _LOADED[PREFIX + name]
    return {**LMS_DEFAULTS, **TUTOR_DEFAULTS}.get(name)


def _as_bool(name: str) -> bool:
    """A boolean setting, read as the app reads it; anything else stops `tutor config save` with its name."""
    value = _value(name)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise exceptions.TutorError(f"{PREFIX}{name} = {value!r} is not valid: expected True or False.")


########################################
# TEMPLATE HELPERS
########################################


@jinja2.pass_context
def panorama_lms_settings(context: jinja2.runtime.Context) -> str:
    """The PANORAMA_* settings block of the LMS (between marker comments), every value a Python literal."""
    try:
        return render_lms_settings(context.get_all())
    except ConfigError as exc:
        raise exceptions.TutorError(str(exc)) from exc


def panorama_shell_quote(value: t.Any) -> str:
    """One shell word (e.g. the pip requirement of PANORAMA_PACKAGE), quoted for sh in a Dockerfile RUN line."""
    text = "" if value is None else str(value)
    if "\n" in text or "\r" in text:
        raise exceptions.TutorError(f"{text!r} contains a line break: it cannot go into a Dockerfile RUN line.")
    return shlex.quote(text)


hooks.Filters.ENV_TEMPLATE_VARIABLES.add_item(("panorama_lms_settings", panorama_lms_settings))
hooks.Filters.ENV_TEMPLATE_FILTERS.add_item(("panorama_shell_quote", panorama_shell_quote))

########################################
# PATCHES
########################################

for _path in sorted(glob(str(files("tutorpanorama") / "patches" / "*"))):
    if not os.path.isfile(_path):
        continue
    with open(_path, encoding="utf-8") as _patch_file:
        hooks.Filters.ENV_PATCHES.add_item((os.path.basename(_path), _patch_file.read()))

# `tutor mounts add /path/to/panorama-openedx`: installed from the checkout at build time, bind-mounted at run time.
hooks.Filters.MOUNTED_DIRECTORIES.add_item(("openedx", "panorama-openedx"))

########################################
# JOBS: `tutor {local,dev,k8s} do ...` and init
########################################


@click.command(name="panorama-export", help="Export the LMS tables to the Panorama datalake "
               "(./manage.py lms panorama_export in the lms container).")
@click.option("--tables", default="", help="Comma-separated table names (default: all).")
@click.option("--destination", default="", help="file:///absolute/path or s3://bucket/prefix "
              "(default: from the settings).")
@click.option("--dry-run", is_flag=True, help="Print the plan (tables, target keys) only.")
@click.option("--no-catalog", is_flag=True, help="Write the files only; update the catalog later "
              "with panorama-catalog.")
def panorama_export(tables: str, destination: str, dry_run: bool, no_catalog: bool) -> t.Iterable[tuple[str, str]]:
    yield ("lms", jobs.export_script(tables=tables, destination=destination, dry_run=dry_run,
                                     no_catalog=no_catalog))


@click.command(name="panorama-catalog", help="Create or update the catalog of the datalake: Glue tables and "
               "Athena views (./manage.py lms panorama_catalog in the lms container).")
@click.option("--tables", default="", help="Comma-separated table names (default: all).")
@click.option("--destination", default="", help="file:///absolute/path or s3://bucket/prefix.")
def panorama_catalog(tables: str, destination: str) -> t.Iterable[tuple[str, str]]:
    yield ("lms", jobs.catalog_script(tables=tables, destination=destination))


@click.command(name="panorama-check", help="Check the connections Panorama needs "
               "(./manage.py lms panorama_check in the lms container).")
def panorama_check() -> t.Iterable[tuple[str, str]]:
    yield ("lms", jobs.check_script())


hooks.Filters.CLI_DO_COMMANDS.add_items([panorama_export, panorama_catalog, panorama_check])


@hooks.Filters.CLI_DO_INIT_TASKS.add(priority=hooks.priorities.LOW)
def _add_init_task(tasks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """After Tutor's lms init (migrations). No job at all in DEMO once the configuration is known."""
    try:
        demo = bool(_LOADED) and mode_of(_LOADED) == "DEMO"
    except ConfigError:
        demo = False  # the script itself runs panorama_check, which names the bad value
    if not demo:
        tasks.append(("lms", jobs.INIT_TASK))
    return tasks


########################################
# MFE (tutor-mfe)
########################################


def _panorama_mfe() -> dict[str, t.Any] | None:
    """The MFE_APPS entry of the Panorama MFE, or None when PANORAMA_MFE_ENABLED is false."""
    if not _as_bool("MFE_ENABLED"):
        return None
    port = _value("MFE_PORT")
    if isinstance(port, bool) or not str(port).strip().isdigit() or not 1 <= int(str(port).strip()) <= 65535:
        raise exceptions.TutorError(f"PANORAMA_MFE_PORT = {port!r} is not a port number (1-65535).")
    port = int(str(port).strip())
    return {
        "repository": str(_value("MFE_REPOSITORY")),
        "port": port,
        "version": str(_value("MFE_VERSION")),
    }


def _forget_mfe_caches() -> None:
    """tutor-mfe caches the MFE list; a configuration loaded later may add or remove the Panorama MFE."""
    mfe_plugin = sys.modules.get("tutormfe.plugin")
    for name in ("get_mfes", "get_plugin_slots"):
        cache_clear = getattr(getattr(mfe_plugin, name, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


if MFE_APPS is not None:

    @MFE_APPS.add()
    def _add_panorama_mfe(apps: dict[str, t.Any]) -> dict[str, t.Any]:
        app = _panorama_mfe()
        if app is not None:
            apps[MFE_NAME] = app
        else:
            apps.pop(MFE_NAME, None)
        return apps
