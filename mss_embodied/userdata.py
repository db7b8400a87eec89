"""One safe reader for the YAML and JSON files users hand us: scene files, prices, protocols, the
official annotations.

Why one reader: every such file is untrusted input, and each check must hold for all of them.
A file must be a regular file (a FIFO would block, a folder is a mistake) of bounded size, strict
UTF-8 text, nested no deeper than :data:`MAX_DEPTH` (checked on the token stream before anything
recursive runs, so a hostile file gets a clear line instead of "maximum recursion depth
exceeded"), with YAML aliases expanding to at most :data:`MAX_ALIAS_NODES` nodes (a "billion
laughs" file is refused), no Python tags (safe loader), and no unpaired surrogates in any string
(JSON and YAML escapes can produce them; they are not text and crash every later encode). Every
error is a :class:`DataFileError` naming the file and, where there is one, the field.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml

#: Deepest nesting of lists and mappings accepted (the project's own files need fewer than 10).
MAX_DEPTH = 32
#: Nodes that YAML aliases may add when expanded, over the whole file.
MAX_ALIAS_NODES = 100_000
#: Largest data file read (the official annotations are about 1 MB).
MAX_BYTES = 64 * 1024 * 1024

Format = Literal["json", "yaml"]
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 20x faster
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class DataFileError(ValueError):
    """A data file that cannot be read; the message names the file and, where known, the field."""


def format_of(path: Path) -> Format:
    return "json" if path.suffix.lower() == ".json" else "yaml"


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """A regular file's text, strict UTF-8 (a BOM is dropped); errors name the file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise DataFileError(f"{path}: is {kind}, not a data file")
    if info.st_size > max_bytes:
        raise DataFileError(f"{path}: {info.st_size:,} bytes is larger than the {max_bytes:,} bytes accepted")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_utf8(data, str(path))


def decode_utf8(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataFileError(f"{source}: not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, "
                            f"column {column}); save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def parse_text(text: str, fmt: Format, source: str) -> Any:
    """Parse ``text`` as JSON or YAML with every check of this module; ``source`` names it in errors."""
    if fmt == "json":
        _check_json_depth(text, source)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{source}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
                                ) from None
        except RecursionError:  # the depth check makes this unreachable; kept as a last line of defence
            raise DataFileError(f"{source}: nested deeper than {MAX_DEPTH} levels") from None
    else:
        _check_yaml_events(text, source)
        try:
            data = yaml.load(text, Loader=_SAFE_LOADER)  # the safe loader (C or Python)
        except yaml.YAMLError as exc:
            raise DataFileError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from None
        except RecursionError:
            raise DataFileError(f"{source}: nested deeper than {MAX_DEPTH} levels") from None
    where = next(_unpaired_surrogates(data), None)
    if where is not None:
        field = f" field '{where}'" if where else ""
        raise DataFileError(f"{source}:{field}: holds an unpaired UTF-16 surrogate (an escape such as \\ud800 "
                            "alone), which is not text")
    return data


def read_data_file(path: Path, fmt: Format | None = None, max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse one data file (JSON for ``.json``, else YAML, unless ``fmt`` says)."""
    return parse_text(read_text(path, max_bytes), fmt or format_of(path), str(path))


def _check_json_depth(text: str, source: str) -> None:
    """Bracket depth outside strings, in one linear pass (``json`` itself recurses)."""
    depth = 0
    stripped = _JSON_STRING.sub('""', text)
    for match in _JSON_BRACKET.finditer(stripped):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = stripped.count("\n", 0, match.start()) + 1
            raise DataFileError(f"{source}: nested deeper than {MAX_DEPTH} levels (at line {line} after strings "
                                "are set aside)")


def _check_yaml_events(text: str, source: str) -> None:
    """Depth and alias expansion over the event stream (iterative), before any node is built."""
    sizes: dict[str, int] = {}  # anchor -> nodes in its value
    stack: list[list[Any]] = []  # per open collection: [anchor, nodes so far]
    alias_nodes = 0
    try:
        for event in yaml.parse(text, Loader=_SAFE_LOADER):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else "?"
                    raise DataFileError(f"{source}: nested deeper than {MAX_DEPTH} levels (at line {line})")
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, n = stack.pop()
                if anchor is not None:
                    sizes[anchor] = n
            elif isinstance(event, yaml.ScalarEvent):
                n = 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                n = sizes.get(event.anchor or "", 1)
                alias_nodes += n
                if alias_nodes > MAX_ALIAS_NODES:
                    raise DataFileError(f"{source}: YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes "
                                        "(an alias bomb?); write the values out instead")
            else:
                continue
            if stack:
                stack[-1][1] += n
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from None


def _unpaired_surrogates(data: Any) -> Iterator[str]:
    """Dotted paths (``safe.instructions.0``) of strings holding unpaired surrogates, iteratively."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                yield where
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and not _encodable(key):
                    yield name
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{where}.{i}" if where else str(i), item) for i, item in enumerate(value))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
