"""Tracking events: captured from the LMS's tracker, shipped to the raw-logs bucket."""
