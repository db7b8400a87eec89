"""Starting AI2-THOR: the pinned build, the platform choice, and errors that say what to do.

Written against the ai2thor 5.0.0 wheel: ``ai2thor/_builds.py`` pins the Unity build commit below,
``ai2thor/build.py`` names the build folder ``~/.ai2thor/releases/thor-<Platform>-<commit>``, and
``ai2thor/platform.py`` validates CloudRendering by looking for the Vulkan loader.
"""

from __future__ import annotations

import ctypes.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The ai2thor release this backend is written and tested against (the ``thor`` extra pins it).
AI2THOR_VERSION = "5.0.0"
#: ``ai2thor._builds.COMMIT_ID`` in the 5.0.0 wheel: the Unity build the Python side expects.
AI2THOR_COMMIT_ID = "f0825767cd50d69f666c7f282e54abfe58f1e917"
#: ``Controller.base_dir`` in the wheel (``~/.ai2thor``); builds unpack under ``releases/``.
THOR_HOME = Path("~/.ai2thor")


class ThorError(RuntimeError):
    """AI2-THOR could not be used; the message says why and what to do."""


class ThorNotInstalledError(ThorError):
    pass


class ThorStartupError(ThorError):
    pass


class ThorTimeoutError(ThorError, TimeoutError):
    pass


def build_name(platform: str, commit_id: str = AI2THOR_COMMIT_ID) -> str:
    """``ai2thor.build.build_name`` for public builds."""
    return f"thor-{platform}-{commit_id}"


def build_dir(platform: str, commit_id: str = AI2THOR_COMMIT_ID, home: Path | None = None) -> Path:
    """Where the ai2thor wheel looks for (and unpacks) the Unity build."""
    return (home or THOR_HOME).expanduser() / "releases" / build_name(platform, commit_id)


def select_platform(env: dict[str, str] | None = None) -> str:
    """``Linux64`` (X11) when ``DISPLAY`` is set, else headless ``CloudRendering`` (Vulkan)."""
    env = dict(os.environ) if env is None else env
    return "Linux64" if env.get("DISPLAY") else "CloudRendering"


def vulkan_available() -> bool:
    """The same check as ``ai2thor.platform.CloudRendering.validate``."""
    return ctypes.util.find_library("vulkan") is not None


@dataclass
class ThorConfig:
    """How to start THOR. ``controller_kwargs`` go straight to ``ai2thor.controller.Controller``."""

    platform: str | None = None  # None: select_platform()
    commit_id: str = AI2THOR_COMMIT_ID
    width: int = 512
    height: int = 512
    x_display: str | None = None
    gpu_device: int | None = None
    start_timeout: float = 300.0  # Controller(server_start_timeout=...)
    step_timeout: float = 100.0  # Controller(server_timeout=...)
    local_executable_path: str | None = None  # an unpacked build elsewhere (X11 only in ai2thor 5.0.0)
    check_version: bool = True
    controller_kwargs: dict[str, Any] = field(default_factory=dict)

    def resolved_platform(self) -> str:
        return self.platform or select_platform()


def _missing_build_message(platform: str, commit_id: str) -> str:
    where = build_dir(platform, commit_id)
    return (f"the AI2-THOR {platform} build for commit {commit_id[:10]} is not in {where} and could not be "
            "downloaded (the wheel fetches it from s3-us-west-2.amazonaws.com/ai2-thor-public/builds/"
            f"{build_name(platform, commit_id)}.zip on first start). Pre-seed it: on a machine with network run "
            f"`python -c \"from ai2thor.controller import Controller; Controller(platform=__import__('ai2thor."
            f"platform').platform.{platform}, download_only=True)\"` and copy {where} (with its metadata.json) to "
            "the same path here; see docs/thor.md")


def check_environment(config: ThorConfig) -> None:
    """Fail fast, before ai2thor tries to download or launch anything, with an actionable message."""
    try:
        import ai2thor
    except ImportError:
        raise ThorNotInstalledError("ai2thor is not installed: pip install 'mss-embodied[thor]' "
                                    f"(pins ai2thor=={AI2THOR_VERSION})") from None
    version = getattr(ai2thor, "__version__", None)
    if config.check_version and version is not None and version != AI2THOR_VERSION:
        raise ThorStartupError(f"ai2thor {version} is installed but this backend is written against "
                               f"{AI2THOR_VERSION} (build {AI2THOR_COMMIT_ID[:10]}); install the pinned version or "
                               "pass ThorConfig(check_version=False)")
    platform = config.resolved_platform()
    if platform == "CloudRendering" and config.local_executable_path is None and not vulkan_available():
        raise ThorStartupError(
            "CloudRendering needs the Vulkan loader (libvulkan.so.1), which is missing: apt-get install libvulkan1 "
            "(plus the NVIDIA driver's Vulkan ICD). In a container use the NVIDIA container toolkit with "
            "NVIDIA_DRIVER_CAPABILITIES=all (or graphics,utility,compute); or set DISPLAY to use an X server "
            "(Linux64 platform); see docs/thor.md")


def _platform_class(name: str) -> Any:
    import ai2thor.platform

    try:
        return ai2thor.platform.STR_PLATFORM_MAP[name]
    except KeyError:
        raise ThorStartupError(f"unknown AI2-THOR platform {name!r}; known: "
                               f"{sorted(ai2thor.platform.STR_PLATFORM_MAP)}") from None


def controller_arguments(config: ThorConfig, scene: str) -> dict[str, Any]:
    """Keyword arguments for ``ai2thor.controller.Controller`` (all exist in the 5.0.0 signature)."""
    kwargs: dict[str, Any] = {
        "scene": scene, "width": config.width, "height": config.height, "commit_id": config.commit_id,
        "server_timeout": config.step_timeout, "server_start_timeout": config.start_timeout,
        # Initialize parameters (passed through **unity_initialization_parameters):
        "agentMode": "default", "gridSize": 0.25, "snapToGrid": False, "rotateStepDegrees": 90,
        "visibilityDistance": 1.5, "fieldOfView": 90, "renderDepthImage": False,
        "renderInstanceSegmentation": False,
    }
    if config.local_executable_path:
        kwargs["local_executable_path"] = config.local_executable_path
    if config.gpu_device is not None:
        kwargs["gpu_device"] = config.gpu_device
    platform = config.resolved_platform()
    if platform == "Linux64":
        kwargs["x_display"] = config.x_display or os.environ.get("DISPLAY")
    kwargs.update(config.controller_kwargs)
    return kwargs


def start_controller(config: ThorConfig, scene: str,
                     factory: Callable[..., Any] | None = None) -> Any:
    """A started ``Controller`` on ``scene``; ai2thor's own failures are re-raised as :class:`ThorError`."""
    kwargs = controller_arguments(config, scene)
    platform = config.resolved_platform()
    if factory is None:
        check_environment(config)
        from ai2thor.controller import Controller

        factory = Controller
        if config.local_executable_path is None:
            kwargs["platform"] = _platform_class(platform)
    try:
        return factory(**kwargs)
    except TimeoutError as exc:
        raise ThorTimeoutError(
            f"AI2-THOR did not answer within {config.start_timeout:.0f}s while starting {scene} ({exc}). The first "
            "start compiles shaders and can be slow: raise ThorConfig.start_timeout; check "
            f"{THOR_HOME}/log/unity.log and ~/.config/unity3d/Allen Institute for Artificial Intelligence/AI2-THOR/"
            "Player.log") from exc
    except ThorError:
        raise
    except Exception as exc:
        text = str(exc)
        if "no build exists" in text or "Invalid commit_id" in text or "ConnectionError" in type(exc).__name__:
            raise ThorStartupError(_missing_build_message(platform, config.commit_id)) from exc
        if "Vulkan" in text or "Unity process has exited" in text:
            raise ThorStartupError(f"the Unity player exited at start ({text}); Vulkan is probably misconfigured: "
                                   "run `vulkaninfo` and see docs/thor.md") from exc
        if "X display" in text or "GLX" in text or "DISPLAY" in text:
            raise ThorStartupError(f"the X display cannot run Unity ({text}); unset DISPLAY to render headless "
                                   "with CloudRendering, or start an X server with GLX (sudo ai2thor-xorg start)"
                                   ) from exc
        raise ThorStartupError(f"AI2-THOR failed to start on {scene}: {type(exc).__name__}: {text}") from exc


def installed_build(config: ThorConfig) -> Path | None:
    """The unpacked build this config would use, when present (the ``thor`` tests need one)."""
    if config.local_executable_path:
        path = Path(config.local_executable_path)
        return path if path.exists() else None
    where = build_dir(config.resolved_platform(), config.commit_id)
    return where if where.is_dir() else None
