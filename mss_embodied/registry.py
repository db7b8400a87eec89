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
import inspect
import re
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
    #: Where the factory's ``**options`` go ("module:attribute" or callables, e.g. a policy class and
    #: its client): their keyword parameters are the entry's options.
    options_from: tuple[str | Callable[..., Any], ...] = ()


@dataclass(frozen=True)
class OptionInfo:
    """One option of an entry, read from a signature: its name, type, default and docstring help."""

    name: str
    annotation: str = ""
    default: Any = None
    required: bool = False
    help: str = ""

    def describe(self) -> str:
        kind = f": {self.annotation}" if self.annotation else ""
        default = " (required)" if self.required else f" = {self.default!r}"
        return f"{self.name}{kind}{default}" + (f"  {self.help}" if self.help else "")


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
                 summary: str = "", options_from: tuple[str | Callable[..., Any], ...] = ()) -> None:
        """Add or replace ``name``. ``target``: a factory, or ``"module:attribute"`` imported on first use;
        ``options_from``: where the factory's ``**options`` end up (for :meth:`options`)."""
        if not name or ":" in name:
            raise RegistryError(f"{self.kind} name {name!r}: must be non-empty and without ':'")
        self._entries[name] = Entry(name, target, extra, summary, tuple(options_from))
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

    def _resolve(self, entry: Entry, target: str | Callable[..., Any]) -> Callable[..., Any]:
        if not isinstance(target, str):
            return target
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if _own_module(exc):
                raise
            raise _missing_extra(self.kind, entry, exc) from None
        try:
            return getattr(module, attribute)  # type: ignore[no-any-return]
        except AttributeError:
            raise RegistryError(f"{self.kind} {entry.name!r}: {module_name} has no {attribute!r}") from None

    def factory(self, name: str) -> Callable[..., T]:
        """The factory of ``name``, importing its module the first time."""
        if name in self._loaded:
            return self._loaded[name]
        target = self._resolve(self.entry(name), self.entry(name).target)
        self._loaded[name] = target
        return target

    def options(self, name: str) -> list[OptionInfo]:
        """The options ``name`` (``kind`` or ``kind:argument``) accepts, from the keyword parameters of
        its factory and of what its ``**options`` are passed to, with help from their docstrings.
        The one place option lists come from (``--policy-opt help``)."""
        kind = name.partition(":")[0]
        entry = self.entry(kind)
        found: dict[str, OptionInfo] = {}
        targets = [self.factory(kind), *(self._resolve(entry, t) for t in entry.options_from)]
        for i, target in enumerate(targets):
            for option in _keyword_options(target, skip_leading=2 if i == 0 else 1):
                found.setdefault(option.name, option)
        return sorted(found.values(), key=lambda o: o.name)

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


#: Parameters the factories fill in themselves, never options a user passes.
_FILLED_IN = frozenset({"context", "protocol", "retry", "client"})


def _doc_help(doc: str) -> dict[str, str]:
    """``name: text`` or ``name (default): text`` lines of a docstring (Args sections and the like)."""
    out: dict[str, str] = {}
    for line in doc.splitlines():
        match = re.match(r"\s*``?(\w+)``?(?:\s*\([^)]*\))?\s*:\s+(\S.*)", line)
        if match:
            out.setdefault(match.group(1), match.group(2).strip())
    return out


def _keyword_options(target: Callable[..., Any], skip_leading: int) -> list[OptionInfo]:
    """Keyword parameters of ``target`` (a function or a class's ``__init__``), without the leading
    positional ones the registry fills in (the ``kind:argument`` and the build context)."""
    function = target.__init__ if inspect.isclass(target) else target  # type: ignore[misc]
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    helps = _doc_help(inspect.getdoc(target) or "")
    if inspect.isclass(target):
        helps = {**_doc_help(inspect.getdoc(function) or ""), **helps}
    params = [p for p in signature.parameters.values() if p.name != "self"]
    out = []
    for position, p in enumerate(params):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.kind == p.POSITIONAL_ONLY:
            continue
        if (position < skip_leading and p.kind == p.POSITIONAL_OR_KEYWORD) or p.name in _FILLED_IN:
            continue
        annotation = "" if p.annotation is p.empty else str(p.annotation).replace("typing.", "")
        out.append(OptionInfo(p.name, annotation, None if p.default is p.empty else p.default,
                              p.default is p.empty, helps.get(p.name, "")))
    return out
