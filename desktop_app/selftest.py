"""``desktop-app --self-test`` (completed by the installer feature)."""

from __future__ import annotations


def run_self_test() -> int:
    print("self-test not implemented yet")
    return 1
