"""Renderers turn a symbolic state into an egocentric RGB frame."""

from mss_embodied.render.base import Renderer, ViewSpec, get_renderer, register_renderer

__all__ = ["Renderer", "ViewSpec", "get_renderer", "register_renderer"]
