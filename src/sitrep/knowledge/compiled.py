"""Knowledge read once and kept as a pickle, like the gazetteer's index: the YAML files
parsed, the language model unpacked.

Parsing the YAML files (actors, event types, lexicons) and unpacking py3langid's compressed
model took more than a second of every command that extracts; a pickle loads in a few
milliseconds. Each pickle is named by a hash of what it was made from (the YAML text and its
loader; the model file's bytes and the package's version), so an edited file is read again,
and the pickle it replaces is removed. Where no cache folder is writable the knowledge is
made each time, as before.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable

import yaml


@functools.lru_cache(maxsize=1)
def _folder() -> Path | None:
    from .gazetteer import cache_dir
    try:
        return cache_dir()
    except RuntimeError:
        return None


def cached(kind: str, source: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, from the pickle of an earlier call with the same ``source`` when there is
    one. ``kind`` names the knowledge (one pickle per kind is kept)."""
    folder = _folder()
    if folder is None:
        return make()
    path = folder / f"{kind}-{hashlib.sha1(source).hexdigest()[:12]}.pkl"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or foreign file: make it again
        pass
    value = make()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all: other processes may be reading it
        for old in folder.glob(f"{kind}-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(missing_ok=True)
    return value


def load_yaml(text: str, name: str, loader: type = yaml.SafeLoader) -> Any:
    """``yaml.load(text, Loader=loader)``, kept per file ``name``."""
    source = f"{loader.__module__}.{loader.__qualname__}\n".encode() + text.encode("utf-8")
    return cached(f"yaml-{name.replace('/', '-')}", source, lambda: yaml.load(text, Loader=loader))
