"""The Qt GUI. The only package (with the entry point) that imports PySide6."""
