"""Where scenarios come from (a scene pack, a scene folder, the official data) and which episodes
a run or an env selects from them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mss_embodied.data.scenario import Episode, Scenario
from mss_embodied.registry import Registry
from mss_embodied.vocabulary import Setting, VariantChoice, parse_setting, parse_variant_choice

#: Named scene folders. A factory returns the folder; third-party packs register through the
#: ``mss_embodied.scene_packs`` entry-point group and are then usable as ``scenes="<name>"``.
SCENE_PACKS: Registry[Path] = Registry("scene pack", "mss_embodied.scene_packs")
SCENE_PACKS.register("bundled", "mss_embodied.scenes:bundled_scenes_dir",
                     summary="the 76 bundled safe/unsafe pairs with pre-rendered images")


def scene_folder(scenes: str | Path) -> Path:
    """A scene pack's folder by name, or ``scenes`` itself as a path."""
    if isinstance(scenes, str) and scenes in SCENE_PACKS:
        return SCENE_PACKS.factory(scenes)()
    return Path(scenes)


def load_scenarios(data_root: str | Path | None = None,
                   scenes: str | Path | Sequence[Scenario] | None = None,
                   check_images: bool = True) -> list[Scenario]:
    """Scenarios from ``scenes`` (a pack name, a folder or a list), or the official data at
    ``data_root``, or the bundled pack when neither is given."""
    if data_root is not None and scenes is not None:
        raise ValueError("pass either data_root (official MSSBench) or scenes, not both")
    if data_root is not None:
        from mss_embodied.data.official import load_official

        return load_official(data_root, check_images=check_images).scenarios
    if scenes is None:
        scenes = "bundled"
    if isinstance(scenes, (str, Path)):
        from mss_embodied.data.scene_files import load_scenes

        return load_scenes(scene_folder(scenes))
    return list(scenes)


def select_episodes(scenarios: Sequence[Scenario], variant: VariantChoice | str = "both",
                    setting: Setting | str = "if") -> tuple[Episode, ...]:
    """The episodes of ``variant`` in ``setting`` (classification settings: one per image)."""
    choice = parse_variant_choice(variant)
    episodes = [e for s in scenarios for e in s.episodes(parse_setting(setting)) if choice in ("both", e.variant)]
    if not episodes:
        raise ValueError("no episodes to run")
    return tuple(episodes)
