"""One small lazy registry for every pluggable kind: policies, judges, renderers and scene packs.

Built-in entries name their factory as ``"package.module:attribute"`` so heavy libraries (torch,
MuJoCo, ai2thor, openai) load only when that entry is used; a missing optional dependency becomes
one line naming the pip extra. Third-party packages plug in through an entry-point group, e.g. in
their ``pyproject.toml``::

    [project.entry-points."mss_embodied.policies"]
    mymodel = "my_package.policy:make_policy"

A name is ``kind`` or ``kind:argument`` (``openai:gpt-4o``): the factory is called as
``factory(argument or None, *args, **options)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class RegistryError(ValueError):
    """An unknown name, or an entry whose optional dependency is not installed."""


@dataclass(frozen=True)
class Entry:
    """``target`` is a factory or ``"module:attribute"``; ``extra`` is the pip extra it needs."""

    name: str
    target: str | Callable[..., Any]
    extra: str | None = None
    summary: str = ""


def _missing_extra(kind: str, entry: Entry, exc: ImportError) -> RegistryError:
    missing = exc.name or str(exc)
    if entry.extra:
        return RegistryError(f"{kind} {entry.name!r} needs the '{entry.extra}' extra: "
                             f"pip install 'mss-embodied[{entry.extra}]' (missing module {missing!r})")
    return RegistryError(f"{kind} {entry.name!r} cannot be loaded: missing module {missing!r}")


def _own_module(exc: ImportError) -> bool:
    """An import error inside this package is a bug to show, not a missing extra."""
    return bool(exc.name) and (exc.name == "mss_embodied" or str(exc.name).startswith("mss_embodied."))


class Registry(Generic[T]):
    """Entries by name; ``kind`` names them in errors ("policy"), ``group`` is the entry-point group."""

    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group
        self._entries: dict[str, Entry] = {}
        self._loaded: dict[str, Callable[..., T]] = {}
        self._plugins_read = False

    def register(self, name: str, target: str | Callable[..., T], *, extra: str | None = None,
                 summary: str = "") -> None:
        """Add or replace ``name``. ``target``: a factory, or ``"module:attribute"`` imported on first use."""
        if not name or ":" in name:
            raise RegistryError(f"{self.kind} name {name!r}: must be non-empty and without ':'")
        self._entries[name] = Entry(name, target, extra, summary)
        self._loaded.pop(name, None)

    def _read_plugins(self) -> None:
        if self._plugins_read:
            return
        self._plugins_read = True
        for ep in metadata.entry_points(group=self.group):
            if ep.name not in self._entries:  # built-ins keep their names
                self._entries[ep.name] = Entry(ep.name, ep.value, summary=f"plugin {ep.value}")

    def names(self) -> list[str]:
        self._read_plugins()
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def entry(self, name: str) -> Entry:
        self._read_plugins()
        if name not in self._entries:
            raise RegistryError(f"unknown {self.kind} {name!r}; known: {', '.join(self.names())}")
        return self._entries[name]

    def factory(self, name: str) -> Callable[..., T]:
        """The factory of ``name``, importing its module the first time."""
        if name in self._loaded:
            return self._loaded[name]
        entry = self.entry(name)
        target = entry.target
        if isinstance(target, str):
            module_name, _, attribute = target.partition(":")
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                if _own_module(exc):
                    raise
                raise _missing_extra(self.kind, entry, exc) from None
            try:
                target = getattr(module, attribute)
            except AttributeError:
                raise RegistryError(f"{self.kind} {name!r}: {module_name} has no {attribute!r}") from None
        self._loaded[name] = target  # type: ignore[assignment]
        return target  # type: ignore[return-value]

    def create(self, spec: str, *args: Any, **options: Any) -> T:
        """Build ``kind`` or ``kind:argument`` (the argument may itself hold colons)."""
        kind, _, argument = spec.partition(":")
        factory = self.factory(kind)
        try:
            return factory(argument or None, *args, **options)
        except ImportError as exc:
            if _own_module(exc):
                raise
            raise _missing_extra(self.kind, self.entry(kind), exc) from None
