"""Text that may be written: unpaired surrogates repaired, length bounded.

A model (or a server error body) can return a lone UTF-16 surrogate (``\\ud800``): Python holds it
in a ``str`` but cannot encode it as UTF-8, so the first write of that text crashes; once cached,
every resume crashes again. Text crossing into the harness is therefore repaired here (a valid
pair of surrogates is joined, a lone one becomes U+FFFD) and the repair is counted, so the row can
say so. Replies are also bounded: a 20 MB answer would make a 41 MB results line.
"""

from __future__ import annotations

from typing import Any

REPLACEMENT = "\ufffd"


def repair(text: str) -> tuple[str, int]:
    """``text`` made encodable, and how many characters were replaced."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return fixed, max(1, fixed.count(REPLACEMENT) - text.count(REPLACEMENT))
    return text, 0


def repair_data(value: Any) -> tuple[Any, int]:
    """A copy of JSON-like data with every string (keys too) repaired, and the total replaced."""
    total = 0

    def fix(v: Any) -> Any:
        nonlocal total
        if isinstance(v, str):
            out, n = repair(v)
            total += n
            return out
        if isinstance(v, dict):
            return {fix(k): fix(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [fix(x) for x in v]
        return v

    return fix(value), total


def cap(text: str, limit: int) -> tuple[str, int | None]:
    """``text`` cut to ``limit`` characters, and its original length when it was cut (else None)."""
    if len(text) <= limit:
        return text, None
    return text[:limit], len(text)
