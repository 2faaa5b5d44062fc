"""What the benchmarks share: a fresh PostgreSQL database of their own."""

import os
import sys
import urllib.parse


def fresh_postgres_database(name, url=None):
    """Drop and create `name` on the server of DATABASE_URL (or `url`); return its URL. Exits without PostgreSQL."""
    import psycopg

    url = url or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urllib.parse.urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return parsed._replace(path=f"/{name}").geturl()
