"""Read saved predictions: the extractor's article records as JSON Lines or a JSON list."""
from __future__ import annotations

import json
from pathlib import Path


def load_predictions(path: str | Path) -> list[dict]:
    """Article records from JSON Lines, a JSON list, or a single JSON object."""
    text = Path(path).read_text(encoding="utf-8-sig")
    stripped = text.strip()
    if not stripped:
        return []
    if stripped[0] in "[{":
        # A whole-file parse covers a list and one pretty-printed record; JSON Lines with
        # more than one record fails it and is read line by line below.
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, list):
            return [_record(d, path, i + 1) for i, d in enumerate(data)]
        if isinstance(data, dict):
            return [_record(data, path, 1)]
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(_record(json.loads(line), path, n))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON: {e.msg}") from None
    return out


def _record(d: object, path: str | Path, where: int) -> dict:
    if not isinstance(d, dict) or "article_id" not in d:
        raise ValueError(f"{path}:{where}: not an article record (no article_id)")
    return d
