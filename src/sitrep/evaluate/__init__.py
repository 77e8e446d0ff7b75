"""Scorers for extractor output: against gold files, FA-KES-style CSVs, SATP incident
summaries and CASE news snippets.

The scoring rules are written out in ``gold`` (incident matching and field accuracy, with
the strict place rule of ``places`` and the error classes of ``errors``), ``fakes``
(article summaries against crowd fields), ``satp`` (counts and places of short summaries)
and ``case`` (refusals and incident yield per label); reports are plain JSON-able dicts
that ``format_report`` renders for a terminal.
"""
from __future__ import annotations

from .case import read_case, score_case
from .fakes import disagreements, score_fakes
from .gold import score_gold
from .predictions import load_predictions
from .report import format_report
from .satp import read_satp, score_satp

__all__ = ["score_gold", "score_fakes", "score_satp", "score_case", "read_satp", "read_case",
           "format_report", "load_predictions", "disagreements"]
