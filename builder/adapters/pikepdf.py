"""pikepdf's internals that the PDF's finishing uses, in one place.

- :func:`srgb_profile`: the sRGB ICC profile pikepdf bundles for its PDF/A
  support (``pikepdf/pdfa/data/sRGB.icc``, a data file, not an API). Why:
  PDF/A needs an output intent with an ICC profile, and this one is
  installed with pikepdf. Could be replaced by shipping a freely licensed
  sRGB profile in builder/data ourselves.

tests/test_adapters.py checks that the file is there.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

SRGB_PROFILE = "pdfa/data/sRGB.icc"  # one argument: Python 3.10's Traversable.joinpath takes no more
RELIES_ON: tuple[tuple[Any, str], ...] = ()


def srgb_profile() -> bytes:
    """The bytes of pikepdf's bundled sRGB ICC profile."""
    return resources.files("pikepdf").joinpath(SRGB_PROFILE).read_bytes()
