"""numpy imported with its BLAS on one thread: whichever of sitrep's models imports it first
(the language identifier's or spaCy's) must not start OpenBLAS's thread pool."""
from __future__ import annotations

import os
import sys


def import_numpy_on_one_thread() -> None:
    """Import numpy, its BLAS told to use one thread unless the user said otherwise: OpenBLAS
    reads the setting once, when numpy loads it. Its threads would take both cores for the
    networks' small products, at more CPU for the same parses, and a pool of extraction
    processes already uses every core (two workers with two BLAS threads each ran slower
    than one process)."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]  # not passed on to the programs sitrep runs
