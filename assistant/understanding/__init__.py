"""Understanding: turn one answer or transcript segment into proposed charter entries.

`Understanding` is the interface; `BuiltinUnderstanding` (offline, deterministic) is the default.
The built-in implementation is imported lazily so that importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.understanding.interface import Understanding

if TYPE_CHECKING:
    from assistant.understanding.builtin import BuiltinUnderstanding

__all__ = ["BuiltinUnderstanding", "Understanding"]


def __getattr__(name: str) -> Any:
    if name == "BuiltinUnderstanding":
        from assistant.understanding.builtin import BuiltinUnderstanding

        return BuiltinUnderstanding
    raise AttributeError(name)
