"""Import spaCy without its command line: a third of its import time.

``spacy/__init__.py`` imports ``spacy.cli.info`` for ``spacy.info``, and with it every spaCy
command (download, init config, which reads a YAML file, debug ...): about 0.25 s of CPU at
each start of a sitrep command that extracts, for nothing sitrep uses. ``import_spacy``
imports spaCy with a stand-in for ``spacy.cli.info`` whose ``info`` imports the real one when
called, then removes the stand-ins, so that a later ``import spacy.cli`` (or ``spacy.info()``)
imports the real command line as usual. Everything else is spaCy's own import.
"""
from __future__ import annotations

import importlib.util
import sys
import types


def _info(*args, **kwargs):
    from spacy.cli.info import info
    return info(*args, **kwargs)


def import_spacy():
    """The ``spacy`` module, imported without ``spacy.cli`` where it is not imported yet."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy
        return spacy
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        import spacy  # not installed: the ImportError the caller expects
        return spacy
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [f"{p}/cli" for p in spec.submodule_search_locations]
    info = types.ModuleType("spacy.cli.info")
    info.info = _info
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, info
    try:
        import spacy
    finally:
        # ``spacy.cli._util`` and others the stand-in let in stay: they are spaCy's own
        for name in ("spacy.cli.info", "spacy.cli"):
            if sys.modules.get(name) in (cli, info):
                del sys.modules[name]
        mod = sys.modules.get("spacy")
        if mod is not None and mod.__dict__.get("cli") is cli:
            del mod.__dict__["cli"]
    return spacy
