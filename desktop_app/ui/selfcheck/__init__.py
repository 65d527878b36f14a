"""selfcheck tab: its widgets, dialogs and table models."""
