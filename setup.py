"""Packaging for panorama-openedx (cookiecutter-django-app conventions)."""
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def get_version(*file_paths):
    """Read ``__version__`` from the package without importing it."""
    with open(os.path.join(HERE, *file_paths), encoding="utf-8") as handle:
        match = re.search(r"^__version__ = ['\"]([^'\"]*)['\"]", handle.read(), re.M)
    if not match:
        raise RuntimeError("Unable to find version string.")
    return match.group(1)


def load_requirements(*requirements_paths):
    """
    Requirements from ``.in`` files: the loose ranges, never the compiled pins.

    The LMS pins its own versions; a plugin that declared exact pins would fight them.
    """
    requirements = []
    for path in requirements_paths:
        with open(os.path.join(HERE, path), encoding="utf-8") as handle:
            for line in handle:
                line = line.split("#", 1)[0].strip()
                if line and not line.startswith(("-r", "-c", "-e", "git+")):
                    requirements.append(line)
    return requirements


with open(os.path.join(HERE, "README.md"), encoding="utf-8") as readme:
    LONG_DESCRIPTION = readme.read()

setup(
    name="panorama-openedx",
    version=get_version("panorama_openedx", "__init__.py"),
    description="Open edX LMS plugin: Panorama-layout learning-analytics datalake and dashboards",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    author="panorama-openedx contributors",
    url="https://github.com/panorama-openedx/panorama-openedx",
    packages=find_packages(include=["panorama_openedx", "panorama_openedx.*"], exclude=["*tests"]),
    include_package_data=True,
    install_requires=load_requirements("requirements/base.in"),
    python_requires=">=3.11",
    license="AGPL-3.0-or-later",
    zip_safe=False,
    entry_points={
        "lms.djangoapp": [
            "panorama_openedx = panorama_openedx.apps:PanoramaOpenedxConfig",
        ],
    },
    classifiers=[
        "Development Status :: 3 - Alpha",
        "Framework :: Django",
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "Intended Audience :: Developers",
        "Natural Language :: English",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
