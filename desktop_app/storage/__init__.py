"""SQLAlchemy 2 storage: engine and sessions, typed models, Alembic migrations, backups."""
