"""A static episode viewer: ``mss-embodied view RUN [RUN...] --out DIR`` writes ``index.html``,
``data.js`` and the images into DIR; the page opens from disk without a server.

One card per episode: image, instruction, prompt, and per run the answer, every judge's class and
explanation, the hazards and the executed plan; filters by variant, task, category, class, judge
disagreement and errors; several runs side by side on the same episode.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from mss_embodied.fileio import write_text_atomic
from mss_embodied.harness.report.runs import load_runs
from mss_embodied.viewer.data import build_data
from mss_embodied.viewer.page import render_page

__all__ = ["build_data", "write_site"]


def write_site(runs: Sequence[str | Path], out: Path) -> Path:
    """Write the viewer for ``runs`` into ``out``; returns the path of ``index.html``. Raises
    ReportError (naming the folder) for a folder that is not a run."""
    loaded = load_runs(runs)
    out.mkdir(parents=True, exist_ok=True)
    data = build_data(loaded, out)
    write_text_atomic(out / "data.js", "window.MSS_VIEWER_DATA = " + json.dumps(data, ensure_ascii=False) + ";\n")
    write_text_atomic(out / "index.html", render_page())
    return out / "index.html"
