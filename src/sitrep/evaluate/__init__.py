"""Scorers for extractor output: against gold files and against FA-KES-style CSVs.

The scoring rules are written out in ``gold`` (incident matching and field accuracy) and
``fakes`` (article summaries against crowd fields); reports are plain JSON-able dicts that
``format_report`` renders for a terminal.
"""
from __future__ import annotations

from .fakes import disagreements, score_fakes
from .gold import score_gold
from .predictions import load_predictions
from .report import format_report

__all__ = ["score_gold", "score_fakes", "format_report", "load_predictions", "disagreements"]
