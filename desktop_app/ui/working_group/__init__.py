"""working_group tab: its widgets, dialogs and table models."""
