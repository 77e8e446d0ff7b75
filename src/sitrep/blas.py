"""numpy imported with its BLAS on one thread: whichever of sitrep's models imports it first
(the language identifier's or spaCy's) must not start OpenBLAS's thread pool."""
from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def numpy_on_one_thread():
    """Whatever imports numpy inside has its BLAS use one thread unless the user said
    otherwise: OpenBLAS reads the setting once, when numpy loads it. Its threads would take
    both cores for the networks' small products, at more CPU for the same parses, and a pool
    of extraction processes already uses every core (two workers with two BLAS threads each
    ran slower than one process). A command module that imports numpy for its own work
    (verification) would otherwise start the pool for the parses that follow."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        yield
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        yield
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]  # not passed on to the programs sitrep runs


def import_numpy_on_one_thread() -> None:
    """Import numpy, its BLAS on one thread (``numpy_on_one_thread``)."""
    with numpy_on_one_thread():
        import numpy  # noqa: F401
