"""Shared UI helpers: per-user window settings, file dialogs, window placement."""
