"""What tests that start other processes on the test database share."""

import sqlite3

from django.db import connection


def database_url_for_others(tmp_path) -> str:
    """The test database, for other processes: SQLite's (in memory) copied to
    a file, PostgreSQL's as it is. Ask for `transactional_db`, so that what
    the test wrote is committed for them to read."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    settings = connection.settings_dict
    address = f"{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    return f"postgres://{settings['USER']}:{settings['PASSWORD']}@{address}"
