"""``python -m builder`` is the same as the ``oversikt`` command."""

import sys

from builder.cli import main

sys.exit(main())
