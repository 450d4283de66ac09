"""recover: give back the cells of tables whose cell boundaries were lost, and never guess.

import recover
result = recover.read("report.pdf")        # tables as DataFrames, rules inferred (zero-config)
rules = recover.infer("report.pdf")        # the rules alone; rules.text is the rules file
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Result", "infer", "read"]


def __getattr__(name: str) -> Any:
    """Import the API on first use, so `import recover` (and the CLI) stays cheap."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'recover' has no attribute {name!r}")
