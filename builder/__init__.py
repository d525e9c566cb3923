"""oversikt: builds "Oversikt over interkommunale samarbeid" as DOCX and PDF.

The library API::

    from builder import build, prepare
    written, warnings = build("content", "build")          # DOCX and PDF
    build("content", "build", formats=("html",))           # or any of FORMATS
    prepared = prepare("content")                          # validate only

Both raise :class:`builder.diagnostics.ContentError` with every problem found.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# The API's names are loaded when first asked for: a render process imports
# only its writer and the model, not the readers and everything they use.
_API = {
    "FORMATS": "builder.writers",
    "DEFAULT_FORMATS": "builder.writers",
    "build": "builder.build",
    "prepare": "builder.build",
    "ContentError": "builder.diagnostics",
    "Diagnostic": "builder.diagnostics",
    "Diagnostics": "builder.diagnostics",
}

__all__ = ["DEFAULT_FORMATS", "FORMATS", "ContentError", "Diagnostic", "Diagnostics", "build", "prepare", "__version__"]


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'builder' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value
