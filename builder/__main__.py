"""``python -m builder`` is the same as the ``oversikt`` command."""

from builder.cli import run

run()
