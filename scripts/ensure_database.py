"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet
(`make bench` on a fresh machine; the test suite makes its own test database)."""
import os
from urllib.parse import urlparse

import psycopg2

url = urlparse(os.environ["DATABASE_URL"])
if url.scheme.startswith("postgres"):
    name = url.path.lstrip("/")
    server = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username,
                              password=url.password, dbname="postgres")
    server.autocommit = True
    with server.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
            print(f"已创建数据库 {name}")
    server.close()
