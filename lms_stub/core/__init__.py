"""Stand-in for the LMS apps whose tables Panorama exports (student, courseware, grades, ...)."""
