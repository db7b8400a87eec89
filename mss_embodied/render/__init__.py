"""Renderers turn a symbolic state into an egocentric RGB frame."""

from mss_embodied.render.base import RENDERERS, Renderer, ViewSpec, get_renderer

__all__ = ["RENDERERS", "Renderer", "ViewSpec", "get_renderer"]
