"""Knowledge read once and kept as a pickle, like the gazetteer's index: the YAML files
parsed, the language model unpacked (its arrays memory-mapped: ``cached_mapped``).

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
import mmap
import os
import pickle
import struct
from pathlib import Path
from typing import Any, Callable


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
    return _cached(kind, source, make, _read_pickle, _write_pickle)


def cached_mapped(kind: str, source: bytes, make: Callable[[], Any]) -> Any:
    """``cached`` for knowledge made of big arrays (numpy arrays, ``pickle.PickleBuffer``):
    their bytes are written after the pickle (pickle's out-of-band buffers) and read back
    memory-mapped, read-only. Loading copies nothing: py3langid's model, a 68 MB pickle
    that took a tenth of a second of every start to read, opens in a millisecond, and the
    processes of one machine share its pages."""
    return _cached(kind, source, make, read_mapped, write_mapped)


def _cached(kind: str, source: bytes, make: Callable[[], Any], read: Callable[[Path], Any],
            write: Callable[[Any, Any], None]) -> Any:
    folder = _folder()
    if folder is None:
        return make()
    path = folder / f"{kind}-{hashlib.sha1(source).hexdigest()[:12]}.pkl"
    try:
        return read(path)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or foreign file: make it again
        pass
    value = make()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(value, f)
        os.replace(tmp, path)  # whole or not at all: other processes may be reading it
        for old in folder.glob(f"{kind}-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(missing_ok=True)
    return value


def _read_pickle(path: Path) -> Any:
    with open(path, "rb") as f:
        return pickle.load(f)


def _write_pickle(value: Any, f) -> None:
    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)


# The mapped layout: MAGIC, the lengths of the buffer table and of the pickle (two unsigned
# 64-bit little-endian numbers), the table (a pickled list of (offset, length), offsets from
# the first buffer's start), the pickle, then each buffer, starting at a multiple of ALIGN.
MAGIC = b"SRMAPPED1\n"
_LENGTHS = struct.Struct("<QQ")
ALIGN = 64


def _aligned(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def write_mapped(value: Any, f) -> None:
    buffers: list[pickle.PickleBuffer] = []
    body = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    table, at = [], 0
    for raw in raws:
        table.append((at, raw.nbytes))
        at = _aligned(at + raw.nbytes)
    head = pickle.dumps(table, protocol=5)
    f.write(MAGIC + _LENGTHS.pack(len(head), len(body)) + head + body)
    start = len(MAGIC) + _LENGTHS.size + len(head) + len(body)
    f.write(bytes(_aligned(start) - start))
    for raw, (offset, _length) in zip(raws, table):
        f.write(raw)
        f.write(bytes(_aligned(offset + raw.nbytes) - offset - raw.nbytes))


def read_mapped(path: Path) -> Any:
    with open(path, "rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)  # read-only: arrays loaded from it cannot be written to
    if view[:len(MAGIC)] != MAGIC:
        raise ValueError(f"{path} is not a mapped pickle")
    n_head, n_body = _LENGTHS.unpack_from(view, len(MAGIC))
    at = len(MAGIC) + _LENGTHS.size
    table = pickle.loads(view[at:at + n_head])
    body = view[at + n_head:at + n_head + n_body]
    start = _aligned(at + n_head + n_body)
    if table and start + table[-1][0] + table[-1][1] > len(view):
        raise ValueError(f"{path} is truncated")
    return pickle.loads(body, buffers=[view[start + o:start + o + n] for o, n in table])


# PyYAML's loaders by name, as their module and name read (what the pickles are keyed by)
_LOADERS = {"SafeLoader": "yaml.loader.SafeLoader", "CSafeLoader": "yaml.cyaml.CSafeLoader"}


def load_yaml(text: str, name: str, loader: str = "SafeLoader") -> Any:
    """``yaml.load(text, Loader=yaml.<loader>)``, kept per file ``name``; ``CSafeLoader``
    (libyaml's) is PyYAML's own where PyYAML was built without libyaml. PyYAML is imported
    only to make a pickle: importing it was 12 ms of every start."""
    source = f"{_LOADERS.get(loader, loader)}\n".encode() + text.encode("utf-8")
    return cached(f"yaml-{name.replace('/', '-')}", source, lambda: _parse_yaml(text, loader))


def _parse_yaml(text: str, loader: str) -> Any:
    import yaml
    return yaml.load(text, Loader=getattr(yaml, loader, yaml.SafeLoader))
