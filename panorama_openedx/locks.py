"""At most one export at a time, across workers and hosts, through the LMS's shared cache."""
import uuid
from contextlib import contextmanager

from django.core.cache import cache

EXPORT_LOCK = "panorama_openedx:export:lock"
LOCK_SECONDS = 6 * 3600  # longer than any export; a crashed run's lock expires by itself


@contextmanager
def single_run(key=EXPORT_LOCK, seconds=LOCK_SECONDS):
    """Yields whether this run holds the lock; a run that does not hold it must not start."""
    token = uuid.uuid4().hex
    acquired = cache.add(key, token, seconds)
    try:
        yield acquired
    finally:
        if acquired and cache.get(key) == token:
            cache.delete(key)
