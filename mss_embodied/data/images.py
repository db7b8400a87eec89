"""Image loading and letterboxing: one fixed observation shape, the original kept for policies.

Images come from user folders, so they are untrusted: a path must stay inside its folder
(:func:`confined_path`, the rule the official loader and scene files share), and a file is decoded
only within a pixel budget (:data:`MAX_PIXELS`), so a decompression bomb is an error, not an
out-of-memory kill halfway through a run.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
from PIL import Image

#: Largest image decoded, in pixels (an 8000x6000 photo fits; a decompression bomb does not).
MAX_PIXELS = 50_000_000


class ImageError(ValueError):
    """A missing or unreadable image, naming the file."""


def confined_path(root: Path, name: str, where: str) -> Path:
    """``root / name`` when ``name`` is a relative path without ``..`` that stays inside ``root``
    once symbolic links are followed; ``where`` names the root in the error ("the scene folder")."""
    if not name.strip():
        raise ImageError("image path is empty")
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or Path(name).is_absolute() or PureWindowsPath(name).drive or ".." in posix.parts:
        raise ImageError(f"image path {name!r} escapes {where} (it must be relative, without '..')")
    path = root / name
    real_root, real = root.resolve(), path.resolve()
    if real != real_root and not real.is_relative_to(real_root):
        raise ImageError(f"image path {name!r} leads out of {where} through a symbolic link (to {real})")
    return path


def _decode(path: Path, max_pixels: int) -> Image.Image:
    """The decoded image; every failure (missing, not a file, too large, truncated, not an image)
    is an ImageError naming the file."""
    if not path.exists():
        raise ImageError(f"image {path} is missing")
    if not path.is_file():
        raise ImageError(f"image {path} is not a regular file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own budget decides
            img = Image.open(path)
        with img:
            width, height = img.size
            if width * height > max_pixels:
                raise ImageError(f"image {path} is {width}x{height} pixels, more than the {max_pixels:,} decoded "
                                 "(a decompression bomb, or far larger than any model sees)")
            if width < 1 or height < 1:
                raise ImageError(f"image {path} has no pixels ({width}x{height})")
            img.load()
            return img.convert("RGB")
    except ImageError:
        raise
    except Exception as exc:  # PIL raises many kinds on hostile files (OSError, SyntaxError, ValueError, ...)
        raise ImageError(f"image {path} is unreadable ({' '.join(str(exc).split()) or type(exc).__name__})"
                         ) from None


def check_image(path: Path, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """Decode ``path`` fully (as a run would) and return its (width, height); raises ImageError."""
    return _decode(path, max_pixels).size


def load_rgb(path: Path, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read an image file as HxWx3 uint8 RGB."""
    return np.asarray(_decode(path, max_pixels), dtype=np.uint8).copy()


def letterbox(image: np.ndarray, size: int) -> np.ndarray:
    """Fit ``image`` into a size x size black square, keeping its aspect ratio."""
    h, w = image.shape[:2]
    if (h, w) == (size, size):
        return image
    scale = size / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    resized = np.asarray(Image.fromarray(image).resize((nw, nh), Image.Resampling.BILINEAR))
    out = np.zeros((size, size, 3), dtype=np.uint8)
    top, left = (size - nh) // 2, (size - nw) // 2
    out[top:top + nh, left:left + nw] = resized
    return out


def image_id(image: np.ndarray) -> str:
    """A content hash: backends encode each distinct image once."""
    return hashlib.sha256(image.tobytes() + str(image.shape).encode()).hexdigest()[:16]
