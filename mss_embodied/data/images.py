"""Image loading and letterboxing: one fixed observation shape, the original kept for policies."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError


class ImageError(ValueError):
    """A missing or unreadable image, naming the file."""


def load_rgb(path: Path) -> np.ndarray:
    """Read an image file as HxWx3 uint8 RGB."""
    if not path.is_file():
        raise ImageError(f"image {path} is missing")
    try:
        with Image.open(path) as img:
            return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError(f"image {path} is unreadable ({exc})") from None


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
