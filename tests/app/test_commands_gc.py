"""The batch commands run without the cyclic collector and give it back as they found it."""

from __future__ import annotations

import gc

import pytest

from desktop_app.commands import without_cyclic_gc


def test_the_collector_is_off_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), without_cyclic_gc():
        assert not gc.isenabled()
        raise RuntimeError("the command failed")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with without_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
