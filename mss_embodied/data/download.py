"""``mss-embodied download``: fetch the official MSSBench data from the Hugging Face hub and check it.

Only the embodied part is fetched by default (``combined.json`` and ``embodied/``). The data has no
stated license, so it is never bundled: each user downloads it. Failures (offline, no such repo,
a broken download) are reported as one clear message, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mss_embodied.data.official import DatasetError, OfficialDataset, load_official

REPO_ID = "kzhou35/mssbench"
EMBODIED_PATTERNS = ["combined.json", "combine.json", "embodied/*", "README.md"]


class DownloadError(RuntimeError):
    """The download or its check failed; the message says what to do."""


def default_dest() -> Path:
    home = Path(os.environ.get("MSS_EMBODIED_HOME", Path.home() / ".mss_embodied"))
    return home / "data" / "mssbench"


def _snapshot_download(**kwargs: Any) -> str:
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise DownloadError("downloading needs huggingface_hub: pip install 'mss-embodied[hub]'") from None
    return str(snapshot_download(**kwargs))


@dataclass
class DownloadResult:
    root: Path
    dataset: OfficialDataset

    def summary(self) -> str:
        derived, total = self.dataset.coverage
        n_episodes = sum(len(s.episodes()) for s in self.dataset.scenarios)
        return (f"MSSBench embodied data at {self.root}: {total} scenarios, {n_episodes} episodes; "
                f"symbolic states derived for {derived}/{total}.\n"
                f"Run it with: mss-embodied eval --data-root {self.root} --policy ... --judge rules")


def _offline_hint(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    offline = any(w in text.lower() for w in ("offline", "connect", "resolve", "network", "timed out",
                                              "localentrynotfound", "name or service"))
    hint = ("the hub is unreachable (offline, a proxy, or HF_HUB_OFFLINE=1). Download it on a connected "
            "machine, copy the folder over and pass --data-root" if offline else
            "check the repository id, your network and HF_TOKEN if the dataset needs one")
    return f"cannot download {REPO_ID}: {text.splitlines()[0][:300]}\n{hint}"


def download(dest: Path | None = None, revision: str | None = None, everything: bool = False,
             fetch: Callable[..., str] | None = None) -> DownloadResult:
    """Download into ``dest`` and load it with :func:`load_official` (every image checked)."""
    dest = (dest or default_dest()).expanduser()
    fetch = fetch or _snapshot_download
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"--dest {dest}: cannot create the folder ({exc})") from None
    try:
        root = Path(fetch(repo_id=REPO_ID, repo_type="dataset", local_dir=str(dest), revision=revision,
                          allow_patterns=None if everything else EMBODIED_PATTERNS))
    except DownloadError:
        raise
    except Exception as exc:
        raise DownloadError(_offline_hint(exc)) from None
    try:
        dataset = load_official(root)
    except DatasetError as exc:
        raise DownloadError(f"the download at {root} does not check out: {exc}") from None
    return DownloadResult(root, dataset)
