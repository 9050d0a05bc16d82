"""panorama-openedx: Open edX LMS plugin that feeds a Panorama-layout datalake and serves its dashboards."""

__version__ = "0.1.0"
