"""The database, SQLite or PostgreSQL: engines, their dialects, migrations, and the shared
quotas."""
