"""A labelled grid of safe/unsafe frame pairs, for docs and for eyeballing a renderer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

LABEL_H = 28


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has no sized default font
        return ImageFont.load_default()


def contact_sheet(pairs: Sequence[tuple[str, np.ndarray, np.ndarray]], path: str | Path, thumb: int = 256) -> Path:
    """Write one PNG: a row per (title, safe_frame, unsafe_frame), safe left, unsafe right."""
    if not pairs:
        raise ValueError("contact_sheet needs at least one (title, safe, unsafe) triple")
    row_h = thumb + LABEL_H
    sheet = Image.new("RGB", (2 * thumb + 12, LABEL_H + len(pairs) * row_h), "white")
    draw = ImageDraw.Draw(sheet)
    font = _font(14)
    draw.text((4, 6), "safe", fill="darkgreen", font=font)
    draw.text((thumb + 12, 6), "unsafe", fill="darkred", font=font)
    for i, (title, safe, unsafe) in enumerate(pairs):
        top = LABEL_H + i * row_h
        draw.text((4, top + 6), title, fill="black", font=font)
        for j, frame in enumerate((safe, unsafe)):
            img = Image.fromarray(np.asarray(frame, dtype=np.uint8)).convert("RGB").resize((thumb, thumb))
            sheet.paste(img, (j * (thumb + 12), top + LABEL_H))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    return out
