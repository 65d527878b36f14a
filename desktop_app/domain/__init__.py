"""Pure rules and value types. No Qt, no SQLAlchemy."""
