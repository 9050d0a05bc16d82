"""Deterministic seed data for the stand-in LMS (``manage.py seed_lms``)."""
