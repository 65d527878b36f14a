"""`desktop-app calendar …` sub-commands (owned by the calendar feature)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this feature's sub-commands (none yet)."""
