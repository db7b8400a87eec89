"""Import the official MSSBench prompts and judge rubric from the user's own copy, as data.

The project never ships the official wording. A user points ``import_protocol`` at their clone of
the MSSBench repository (``utils/prompts.py`` and ``utils/gpt4_eval.py`` are read with ``ast`` and
never executed: module-level string assignments, concatenations and dict literals) or at a JSON
file with the same variables, and the strings are stored under ``protocol_dir()/<name>.json``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from mss_embodied.fileio import write_text_atomic
from mss_embodied.protocol.prompts import SETTINGS, check_judge_strings, check_protocol_name, protocol_dir
from mss_embodied.userdata import DataFileError, read_data_file, read_text

#: Official variable per setting / agent stage (names from eric-ai-lab/MSSBench ``utils/prompts.py``).
SETTING_VARS: dict[str, str] = {
    "if": "PROMPT_EMBODIED_IF",
    "qc": "PROMPT_EMBODIED_QC",
    "ic": "PROMPT_EMBODIED_IC",
    "ic_cap": "PROMPT_EMBODIED_IC_CAP",
    "cot": "PROMPT_COT_EMBODIED",
}
AGENT_VARS: dict[str, str] = {"important_point": "PROMPT_IMPORTANT_POINT_AGENT", "response": "PROMPT_RESPONSE_AGENT"}
#: Judge variables in ``utils/gpt4_eval.py``; the embodied pair is required, the chat pair kept if present.
JUDGE_REQUIRED: tuple[str, ...] = ("prompt_embodied", "annotation_aspects_embodied")
JUDGE_OPTIONAL: tuple[str, ...] = ("prompt_chat", "annotation_aspects_chat")

#: The glue the official inference scripts put between parts (string literals in
#: ``utils/infer_on_data.py`` and ``utils/infer_on_multiagent.py``, MIT License); not in the
#: variables above, so kept here. A JSON file may override them under ``"joiners"``.
OFFICIAL_JOINERS: dict[str, str] = {"caption": "\nThe caption is: ", "point": " A point to consider is: "}


class ProtocolImportError(ValueError):
    """Raised with the file and the variable that is missing or unreadable."""


class _Unsupported(Exception):
    pass


def _literal(node: ast.expr, env: dict[str, Any]) -> Any:
    """Evaluate a constant expression: literals, str/list ``+``, dicts, lists, names bound earlier."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        return node.value
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, env), _literal(node.right, env)
        if type(left) is type(right) and isinstance(left, (str, list, tuple)):
            return left + right
        raise _Unsupported
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _Unsupported
        pairs = zip(node.keys, node.values, strict=True)
        return {_literal(k, env): _literal(v, env) for k, v in pairs if k is not None}
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_literal(e, env) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    raise _Unsupported


def read_module_constants(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Module-level names bound to constant expressions, and the lines of those that are not."""
    try:
        tree = ast.parse(read_text(path), filename=str(path))
    except DataFileError as exc:
        raise ProtocolImportError(str(exc)) from None
    except (SyntaxError, RecursionError, MemoryError) as exc:
        if not isinstance(exc, SyntaxError):
            raise ProtocolImportError(f"{path}: cannot parse (nested too deeply)") from None
        raise ProtocolImportError(f"{path}: cannot parse ({exc.msg}, line {exc.lineno})") from None
    env: dict[str, Any] = {}
    unreadable: dict[str, int] = {}
    for stmt in tree.body:
        targets: list[str]
        value: ast.expr
        if isinstance(stmt, ast.Assign):
            targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
            value = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            targets, value = [stmt.target.id], stmt.value
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and isinstance(stmt.op, ast.Add):
            targets = [stmt.target.id]
            value = ast.BinOp(left=ast.Name(id=stmt.target.id, ctx=ast.Load()), op=ast.Add(), right=stmt.value)
        else:
            continue
        try:
            result = _literal(value, env)
        except _Unsupported:
            for t in targets:
                env.pop(t, None)
                unreadable[t] = stmt.lineno
            continue
        for t in targets:
            env[t] = result
            unreadable.pop(t, None)
    return env, unreadable


def _need(env: dict[str, Any], unreadable: dict[str, int], var: str, path: Path, why: str, kind: type) -> Any:
    if var not in env:
        if var in unreadable:
            raise ProtocolImportError(f"{path}: variable {var} (line {unreadable[var]}) is not a constant "
                                      f"expression that can be read without running the file ({why})")
        raise ProtocolImportError(f"{path}: missing variable {var} ({why})")
    if not isinstance(env[var], kind):
        raise ProtocolImportError(f"{path}: variable {var} is a {type(env[var]).__name__}, expected a "
                                  f"{kind.__name__} ({why})")
    return env[var]


def _check_judge(judge: dict[str, Any], path: Path) -> None:
    try:
        check_judge_strings(judge, str(path))
    except ValueError as exc:
        raise ProtocolImportError(str(exc)) from None


def _from_variables(prompts_env: dict[str, Any], prompts_bad: dict[str, int], prompts_path: Path,
                    judge_env: dict[str, Any], judge_bad: dict[str, int], judge_path: Path) -> dict[str, Any]:
    prompts = {s: _need(prompts_env, prompts_bad, var, prompts_path, f"prompt of setting {s!r}", str)
               for s, var in SETTING_VARS.items()}
    agents = {a: _need(prompts_env, prompts_bad, var, prompts_path, f"multi-agent stage {a!r}", str)
              for a, var in AGENT_VARS.items()}
    judge = {v: _need(judge_env, judge_bad, v, judge_path, "LLM judge", dict) for v in JUDGE_REQUIRED}
    judge.update({v: judge_env[v] for v in JUDGE_OPTIONAL if isinstance(judge_env.get(v), dict)})
    _check_judge(judge, judge_path)
    return {"prompts": prompts, "agent_prompts": agents, "judge": judge}


def _from_repo(root: Path) -> dict[str, Any]:
    base = root / "utils" if (root / "utils" / "prompts.py").exists() else root
    prompts_path, judge_path = base / "prompts.py", base / "gpt4_eval.py"
    for p in (prompts_path, judge_path):
        if not p.exists():
            raise ProtocolImportError(f"{p}: file not found (expected a copy of the MSSBench repository "
                                      "with utils/prompts.py and utils/gpt4_eval.py)")
    data = _from_variables(*read_module_constants(prompts_path), prompts_path,
                           *read_module_constants(judge_path), judge_path)
    data["source"] = f"MSSBench repository copy at {root}"
    data["joiners"] = dict(OFFICIAL_JOINERS)
    return data


def _from_json(path: Path) -> dict[str, Any]:
    try:
        raw = read_data_file(path, "json")
    except DataFileError as exc:
        raise ProtocolImportError(f"cannot read JSON: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("prompts"), dict):
        raise ProtocolImportError(f"{path}: missing variable prompts (an object of prompt strings)")
    if not isinstance(raw.get("judge"), dict):
        raise ProtocolImportError(f"{path}: missing variable judge (the judge prompts and rubric)")
    variables = dict(raw["prompts"])
    if all(s in variables for s in SETTINGS):  # already in our shape: settings as keys
        variables.update({SETTING_VARS[s]: variables[s] for s in SETTINGS})
        agent = raw.get("agent_prompts") or {}
        variables.update({AGENT_VARS[a]: agent[a] for a in AGENT_VARS if a in agent})
    data = _from_variables(variables, {}, path, dict(raw["judge"]), {}, path)
    data["source"] = str(raw.get("source") or path)
    joiners = raw.get("joiners")
    data["joiners"] = {**OFFICIAL_JOINERS, **(joiners if isinstance(joiners, dict) else {})}
    return data


def read_protocol_source(path: Path) -> dict[str, Any]:
    """The protocol data (shape that ``load_protocol`` reads) from a repository copy or a JSON file."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ProtocolImportError(f"{path}: no such file or directory")
    if path.is_dir():
        return _from_repo(path)
    if path.suffix == ".py":
        return _from_repo(path.parent)
    return _from_json(path)


def import_protocol(path: Path, name: str = "official") -> Path:
    """Read the official strings from ``path`` and store them as protocol ``name``; returns the file."""
    if name == "default":
        raise ValueError("invalid protocol name 'default' (the built-in wording is never replaced)")
    check_protocol_name(name)
    data = {"name": name, **read_protocol_source(path)}
    out_dir = protocol_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.json"
    write_text_atomic(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return target
