"""The plugin's version: always the version of the panorama-openedx app it installs."""

__version__ = "0.1.0"
