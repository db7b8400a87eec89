"""What every command shares: exit codes, option parsing, one-line errors, flag names."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def parse_option(text: str, flag: str) -> tuple[str, Any]:
    """``key=value``; the value is read as JSON when it parses (numbers, true/false, null), else text."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise ValueError(f"{flag} {text!r}: expected key=value with a name like max_tokens")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def parse_options(items: Sequence[str] | None, flag: str) -> dict[str, Any]:
    return dict(parse_option(item, flag) for item in items or [])


def err(message: str) -> None:
    """One error line on stderr, with every secret this process knows redacted (it is a log too)."""
    from mss_embodied.redaction import redact_text

    print(redact_text(f"mss-embodied: error: {message}"), file=sys.stderr)


#: RunSpec / ExecOptions fields whose flag is not simply ``--field-name``.
FLAGS: dict[str, str] = {"judges": "--judge", "policy_options": "--policy-opt", "judge_options": "--judge-opt",
                         "plugins": "--plugin", "out": "--out", "tasks": "--task"}


def print_options(args: Any) -> int:
    """``--policy-opt help`` / ``--judge-opt help``: the options of the named policy or judges, read
    from the registry (signatures and docstrings), after importing ``--plugin`` modules."""
    import importlib

    from mss_embodied.policies.base import POLICIES
    from mss_embodied.registry import Registry, RegistryError
    from mss_embodied.scoring.judges import JUDGES

    def show(registry: Registry[Any], name: str) -> None:
        kind = name.partition(":")[0]
        entry = registry.entry(kind)
        print(f"{registry.kind} {kind!r}" + (f": {entry.summary}" if entry.summary else ""))
        options = registry.options(name)
        for option in options:
            print(f"  {option.describe()}")
        if not options:
            print("  (no options)")
        if kind == "multiagent" and name.partition(":")[2]:
            print("the remaining options build the inner policy:")
            show(registry, name.partition(":")[2])

    try:
        for module in args.plugin or []:
            importlib.import_module(module)
        if "help" in (args.policy_opt or []):
            show(POLICIES, args.policy)
        if "help" in (args.judge_opt or []):
            for judge in args.judge or ["rules"]:
                show(JUDGES, judge)
    except (RegistryError, ImportError) as exc:
        err(str(exc))
        return EXIT_USAGE
    return EXIT_OK


def flag_of(field: str) -> str:
    return FLAGS.get(field, "--" + field.replace("_", "-"))


def eval_error(exc: Any) -> str:
    """An EvalError in the command line's words: the fields it names become flags."""
    return str(exc.render(flag_of))


def default_out(policy: str, setting: str, variant: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", policy).strip("-") or "run"
    return Path("runs") / (f"{slug}-{setting}" + ("" if variant == "both" else f"-{variant}"))
