"""One small lazy registry for every pluggable kind: policies, judges, renderers and scene packs.

Built-in entries name their factory as ``"package.module:attribute"`` so heavy libraries (torch,
MuJoCo, ai2thor, openai) load only when that entry is used; a missing optional dependency becomes
one line naming the pip extra. Third-party packages plug in through an entry-point group, e.g. in
their ``pyproject.toml``::

    [project.entry-points."mss_embodied.policies"]
    mymodel = "my_package.policy:make_policy"

A name is ``kind`` or ``kind:argument`` (``openai:gpt-4o``): the factory is called as
``factory(argument or None, *args, **options)``. An entry may declare the options it takes as a
typed model (``options="module:Model"``, see :mod:`mss_embodied.options`): they are then checked
(names, types, ranges, the argument) before the factory runs, wherever the entry is built from.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T")


class RegistryError(ValueError):
    """An unknown name, or an entry whose optional dependency is not installed."""


class OptionsError(ValueError):
    """Options (or an argument) an entry does not take; names the entry and the option. ``option``
    is the option at fault, None when the name's argument is (``openai`` without a model)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Entry:
    """``target`` is a factory or ``"module:attribute"``; ``extra`` is the pip extra it needs.
    ``options`` is the entry's options model (or ``"module:Model"``; None: not declared, nothing is
    checked); ``forwards_options`` entries pass their options to the entry their argument names."""

    name: str
    target: str | Callable[..., Any]
    extra: str | None = None
    summary: str = ""
    options: str | type[BaseModel] | None = None
    forwards_options: bool = False


def _load(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _problem(exc: ValidationError) -> tuple[str, str]:
    """(option name, what is wrong) for the first error of a validation."""
    error = exc.errors()[0]
    name = ".".join(str(p) for p in error["loc"]) or "?"
    message = str(error["msg"]).removeprefix("Value error, ")
    return name, f"{message[0].lower()}{message[1:]}, got {error.get('input')!r}"


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


def _model_options(model: type[BaseModel]) -> list[OptionInfo]:
    """The options a declared model takes, with their types, defaults and descriptions."""
    out = []
    for name, info in model.model_fields.items():
        annotation = str(info.annotation).replace("typing.", "")
        if isinstance(info.annotation, type):
            annotation = info.annotation.__name__
        required = info.is_required()
        out.append(OptionInfo(name, annotation, None if required else info.default, required, info.description or ""))
    return out


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
                 summary: str = "", options: str | type[BaseModel] | None = None,
                 forwards_options: bool = False) -> None:
        """Add or replace ``name``. ``target``: a factory, or ``"module:attribute"`` imported on first use;
        ``options``: the typed model of the options it takes (see :class:`Entry`)."""
        if not name or ":" in name:
            raise RegistryError(f"{self.kind} name {name!r}: must be non-empty and without ':'")
        self._entries[name] = Entry(name, target, extra, summary, options, forwards_options)
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

    def options_model(self, spec: str) -> type[BaseModel] | None:
        """The options model of ``spec``'s entry (following forwarding entries); None: undeclared."""
        kind, _, argument = spec.partition(":")
        entry = self.entry(kind)
        if entry.forwards_options:
            return self.options_model(argument) if argument else None
        model = entry.options
        return _load(model) if isinstance(model, str) else model

    def check_options(self, spec: str, options: Mapping[str, Any]) -> dict[str, Any]:
        """``options`` checked against ``spec``'s model (and its argument): the validated values, or
        OptionsError naming the entry and option. Undeclared entries get theirs unchecked."""
        kind, _, argument = spec.partition(":")
        entry = self.entry(kind)
        if entry.forwards_options:
            if not argument:
                raise OptionsError(f"{self.kind} {kind!r} needs the {self.kind} it wraps: {kind}:<{self.kind}>")
            return self.check_options(argument, options)
        model = self.options_model(kind)
        if model is None:
            return dict(options)
        described = getattr(model, "argument", None)
        if argument and described is None:
            raise OptionsError(f"{self.kind} {kind!r} takes no argument, got {spec!r}")
        if not argument and getattr(model, "argument_required", False):
            raise OptionsError(f"{self.kind} {kind!r} needs a {described}: {kind}:<{described}>")
        known = sorted(model.model_fields)
        unknown = sorted(set(options) - set(known))
        if unknown:
            takes = f"it takes {', '.join(known)}" if known else "it takes no options"
            raise OptionsError(f"unknown option {unknown[0]!r} for {self.kind} {kind!r} ({takes})", unknown[0])
        try:
            validated = model.model_validate(dict(options))
        except ValidationError as exc:
            name, problem = _problem(exc)
            raise OptionsError(f"option {name!r} of {self.kind} {kind!r}: {problem}", name) from None
        return {name: getattr(validated, name) for name in options}

    def options(self, name: str) -> list[OptionInfo]:
        """The options ``name`` (``kind`` or ``kind:argument``) accepts: its declared model's fields, or
        for an undeclared entry (a plugin) its factory's keyword parameters. The one place option lists
        come from (``--policy-opt help``)."""
        model = self.options_model(name)
        if model is not None:
            return sorted(_model_options(model), key=lambda o: o.name)
        return sorted(_keyword_options(self.factory(name.partition(":")[0]), skip_leading=2), key=lambda o: o.name)

    def create(self, spec: str, *args: Any, **options: Any) -> T:
        """Build ``kind`` or ``kind:argument`` (the argument may itself hold colons); declared options
        are checked first."""
        kind, _, argument = spec.partition(":")
        if not self.entry(kind).forwards_options:  # a forwarding entry's options are checked when the
            options = self.check_options(spec, options)  # entry it wraps is built (it may be given as an object)
        factory = self.factory(kind)
        try:
            return factory(argument or None, *args, **options)
        except ImportError as exc:
            if _own_module(exc):
                raise
            raise _missing_extra(self.kind, self.entry(kind), exc) from None
