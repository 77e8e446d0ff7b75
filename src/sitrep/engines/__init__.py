"""Where extraction runs: in this process (``local``, the default), in worker processes on this
machine's cores (``processes``) or on a Ray cluster (``ray``).

An engine has one method, ``pipe(articles)``, with the contract of ``Pipeline.pipe``: it yields
``(article, record or exception)`` for every article, in input order, and never raises for one
bad article. The CLI picks one with ``--engine``; nothing here imports Ray unless asked.

    from sitrep.engines import make_engine
    with make_engine("ray", num_workers=4) as engine:
        for article, result in engine.pipe(articles):
            ...
"""
from __future__ import annotations

ENGINES = ("local", "processes", "ray")


class EngineError(RuntimeError):
    """An engine cannot start (Ray missing, cluster unreachable): one clear sentence."""


def make_engine(name: str = "local", *, address: str | None = None, num_workers: int | None = None):
    if name == "local":
        from .local import LocalEngine
        return LocalEngine()
    if name == "processes":
        from .processes import ProcessEngine
        return ProcessEngine(num_workers=num_workers)
    if name == "ray":
        from .ray_engine import RayEngine
        return RayEngine(address=address, num_workers=num_workers)
    raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")


def add_engine_options(parser) -> None:
    """The --engine, --address and --num-workers options, shared by extract and ingest."""
    parser.add_argument("--engine", choices=ENGINES, default="local",
                        help="where extraction runs: this process (default), worker processes on "
                             "this machine's cores, or a Ray cluster")
    parser.add_argument("--address", metavar="ADDRESS",
                        help="(--engine ray) the Ray cluster to join, e.g. ray://HOST:10001 or auto; "
                             "default: start a local Ray")
    parser.add_argument("--num-workers", type=int, metavar="N",
                        help="(--engine processes|ray) extraction workers, each loading the "
                             "pipeline once (default: the machine's or the cluster's CPUs)")


__all__ = ["ENGINES", "EngineError", "make_engine", "add_engine_options"]
