"""
Shell scripts of the plugin's ``do`` jobs and init tasks. Pure Python, no Tutor import.

Tutor runs a job script as ``sh -e -c SCRIPT`` in the job container (``lms-job``) after rendering it as a Jinja
template with the configuration. Every word an operator types is therefore quoted twice: for the shell
(``shlex.quote``) and for Jinja (each ``{`` becomes the expression ``{{ "{" }}``), so that neither ``;``,
``$(...)``, quotes nor ``{{ SOME_PASSWORD }}`` in, say, a table list can do anything but reach
``manage.py`` as one argument.
"""
from __future__ import annotations

import shlex
from typing import Iterable

MANAGE = ("./manage.py", "lms")


def jinja_escape(text: str) -> str:
    """``text`` as a Jinja template that renders to ``text`` exactly (no tag, variable or comment can start)."""
    return text.replace("{", '{{ "{" }}')


def manage_lms(command: str, args: Iterable[str] = ()) -> str:
    """The script line ``./manage.py lms COMMAND ARGS...``, every word quoted for sh and for Jinja."""
    words = [*MANAGE, command, *args]
    return jinja_escape(" ".join(shlex.quote(str(word)) for word in words))


def export_args(tables: str = "", destination: str = "", dry_run: bool = False,
                no_catalog: bool = False) -> list[str]:
    """Arguments of ``panorama_export``; ``--name=value`` so that a value starting with ``-`` stays a value."""
    args = []
    if tables:
        args.append(f"--tables={tables}")
    if destination:
        args.append(f"--destination={destination}")
    if dry_run:
        args.append("--dry-run")
    if no_catalog:
        args.append("--no-catalog")
    return args


def catalog_args(tables: str = "", destination: str = "") -> list[str]:
    """Arguments of ``panorama_catalog``."""
    args = []
    if tables:
        args.append(f"--tables={tables}")
    if destination:
        args.append(f"--destination={destination}")
    return args


def export_script(**options) -> str:
    """The ``do panorama-export`` script."""
    return manage_lms("panorama_export", export_args(**options))


def catalog_script(**options) -> str:
    """The ``do panorama-catalog`` script."""
    return manage_lms("panorama_catalog", catalog_args(**options))


def check_script() -> str:
    """The ``do panorama-check`` script."""
    return manage_lms("panorama_check")


# The lms init task (priority LOW: after Tutor's own lms init, which runs the migrations, the app's included).
# Never makemigrations: the app ships its migrations.
INIT_TASK = """\
{% if PANORAMA_MODE|upper != "DEMO" -%}
echo "Panorama: checking the connections"
./manage.py lms panorama_check || echo "Panorama: some connections failed (above); exports fail until they are fixed, \
the launch goes on. Check again with 'tutor local|k8s do panorama-check'."
{%- endif %}
{% if PANORAMA_MODE|upper == "CUSTOM" -%}
echo "Panorama: creating or updating the catalog (Glue tables, Athena views)"
./manage.py lms panorama_catalog
{%- endif %}
{% if PANORAMA_MODE|upper == "DEMO" -%}
echo "Panorama: DEMO mode, nothing to initialise"
{%- endif %}
"""
