"""``DATABASE_URL`` → a Django DATABASES entry (mysql:// on MariaDB/MySQL, sqlite:/// for the embedded default)."""
from urllib.parse import parse_qsl, unquote, urlsplit


def database_from_url(url: str) -> dict:
    """Parse ``mysql://user:pass@host:port/name`` or ``sqlite:///path``; raise ValueError on anything else."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/file.db and sqlite:////absolute/file.db, as dj-database-url and SQLAlchemy read them
        path = unquote(parts.netloc + parts.path)[1:]
        if not path:
            raise ValueError(f"DATABASE_URL {url!r} names no SQLite file: use sqlite:////absolute/path.db")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parts.scheme in ("mysql", "mariadb"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError(f"DATABASE_URL {url!r} names no database: mysql://user:pass@host:port/name")
        options = {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}
        options.update(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": str(parts.port or 3306),
            "OPTIONS": options,
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    raise ValueError(f"DATABASE_URL {url!r} is not supported: use mysql://... or sqlite:///...")
