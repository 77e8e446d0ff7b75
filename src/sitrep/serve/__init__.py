"""The serve stage: the HTTP API and the web page over the incident database.

Reads every stage before it (store, link, reconcile, export, extract); nothing imports it
but the `sitrep serve` and `sitrep basemap` commands. ``create_app`` is imported on first use
so that `sitrep basemap build` does not load FastAPI.
"""
from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(name)
