"""Reading the LMS: which tables, which columns, and their rows as a bounded stream."""
