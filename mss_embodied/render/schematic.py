"""A schematic 2-D renderer with Pillow: no OpenGL, always available.

It draws the receptacle the robot faces, what is in/on it (labelled), the held object in the
gripper at the bottom centre, and state cues (a running device glows, water is blue, a lit candle
has a flame). A scene's own types are drawn in their look's colour and outline, with its label.
It draws every type, so it is the fallback for live re-rendering where MuJoCo is not installed,
and a readable debugging view.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image, ImageDraw

from mss_embodied.data.looks import LookSpec
from mss_embodied.render.base import Renderer, ViewSpec
from mss_embodied.world.state import ObjectState, WorldState

_ROOM_COLOURS = {"kitchen": (214, 208, 190), "living_room": (200, 190, 170), "bedroom": (190, 196, 214),
                 "study": (205, 200, 185), "bathroom": (200, 220, 225)}


def supports(type_name: str) -> bool:
    """Every type can be drawn (unknown ones as a labelled shape in a colour of their own)."""
    return True


def _colour(type_name: str, looks: dict[str, LookSpec] | None = None) -> tuple[int, int, int]:
    look = (looks or {}).get(type_name)
    if look is not None:
        r, g, b = look.primitives()[0].colour if look.shape == "composite" else look.colour
        return round(r * 255), round(g * 255), round(b * 255)
    digest = hashlib.md5(type_name.encode()).digest()
    return 60 + digest[0] % 160, 60 + digest[1] % 160, 60 + digest[2] % 160


def _name(obj: ObjectState, looks: dict[str, LookSpec]) -> str:
    look = looks.get(obj.type)
    return look.label if look is not None and look.label else obj.type


def _flame(draw: ImageDraw.ImageDraw, cx: int, top: int, r: int) -> None:
    draw.polygon([(cx - r // 2, top), (cx + r // 2, top), (cx, top - r * 2)], fill=(255, 150, 20),
                 outline=(220, 60, 0))


def _focus(state: WorldState, view: ViewSpec) -> str | None:
    if view.focus and view.focus in state.objects:
        return view.focus
    if state.agent_at in state.objects:
        return state.agent_at
    fixtures = [o.id for o in state.objects.values() if not o.portable and state.children(o.id)]
    return fixtures[0] if fixtures else None


class SchematicRenderer(Renderer):
    name = "schematic"

    def render(self, state: WorldState, view: ViewSpec, size: tuple[int, int] = (512, 512),
               seed: int = 0) -> np.ndarray:
        w, h = size
        looks = view.looks
        img = Image.new("RGB", (w, h), _ROOM_COLOURS.get(view.room, (205, 200, 190)))
        draw = ImageDraw.Draw(img)
        draw.rectangle([0, int(h * 0.62), w, h], fill=(150, 130, 110))  # floor
        focus = _focus(state, view)
        if focus is not None:
            recep = state.objects[focus]
            box = (int(w * 0.15), int(h * 0.18), int(w * 0.85), int(h * 0.62))
            fill = (255, 140, 40) if recep.is_on else _colour(recep.type, looks)
            draw.rectangle(box, fill=fill, outline=(30, 30, 30), width=3)
            draw.text((box[0] + 6, box[1] + 6), _name(recep, looks) + (" (ON)" if recep.is_on else ""),
                      fill=(0, 0, 0))
            items = [o for o in state.contents(focus) if o.id != state.holding]
            for k, obj in enumerate(items):
                cx = box[0] + (k + 1) * (box[2] - box[0]) // (len(items) + 1)
                cy = (box[1] + box[3]) // 2
                r = max(10, w // 18)
                colour = (60, 120, 230) if obj.has("liquid") else _colour(obj.type, looks)
                look = looks.get(obj.type)
                shape = draw.rectangle if look is not None and look.shape == "box" else draw.ellipse
                shape([cx - r, cy - r, cx + r, cy + r], fill=colour, outline=(0, 0, 0))
                if obj.has("lit"):
                    _flame(draw, cx, cy - r, r)
                draw.text((cx - r, cy + r + 4), _name(obj, looks), fill=(0, 0, 0))
        for obj in state.objects.values():  # running taps and lit burners elsewhere in view
            if obj.is_on and obj.id != focus:
                draw.text((8, 8), f"{obj.type} is ON", fill=(200, 0, 0))
        if state.holding is not None:
            held = state.objects[state.holding]
            gx, gy = w // 2, int(h * 0.86)
            draw.rectangle([gx - w // 6, gy - h // 14, gx + w // 6, h], fill=(90, 90, 95))  # gripper
            draw.ellipse([gx - w // 9, gy - h // 7, gx + w // 9, gy + h // 20], fill=_colour(held.type, looks),
                         outline=(0, 0, 0), width=2)
            if held.has("lit"):
                _flame(draw, gx, gy - h // 7, w // 18)
            draw.text((gx - w // 9, gy - h // 7 - 14), f"holding {_name(held, looks)}", fill=(0, 0, 0))
        return np.asarray(img, dtype=np.uint8).copy()


