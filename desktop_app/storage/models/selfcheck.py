"""自我檢核: filled self-check forms (owned by the self-check feature; migration slot 0005)."""

from __future__ import annotations

__all__: list[str] = []
