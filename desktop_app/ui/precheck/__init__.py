"""precheck tab: its widgets, dialogs and table models."""
