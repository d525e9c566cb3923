"""oversikt: builds "Oversikt over interkommunale samarbeid" as DOCX and PDF.

The library API::

    from builder import build, prepare
    written, warnings = build("content", "build")          # both formats
    prepared = prepare("content")                          # validate only

Both raise :class:`builder.diagnostics.ContentError` with every problem found.
"""

__version__ = "0.1.0"

from builder.build import FORMATS, build, prepare  # noqa: E402
from builder.diagnostics import ContentError, Diagnostic, Diagnostics  # noqa: E402

__all__ = ["FORMATS", "ContentError", "Diagnostic", "Diagnostics", "build", "prepare", "__version__"]
