"""Every class of user error from the fault audit (issue 11), run through the command line: each
gets exactly one line naming the file, field or flag, exit code 2, and never a traceback.

The table is the audit's list: non-UTF-8 data files, hostile images, bad ``--out``/``--cache-dir``,
damaged run folders, damaged protocols and plugins, ``scenes render --size 0``, a full disk, Ray
failing to start, deep nesting, and out-of-range or unknown options.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from mss_embodied.cli import main
from tests.support.harness import scene_subset


@dataclass
class Env:
    tmp: Path
    scenes: Path  # shared, read-only: 2 scenes, 20 episodes
    finished: Path  # a finished run of `comply` on them, shared read-only

    def eval(self, *extra: str, out: str | None = None, scenes: Path | None = None) -> list[str]:
        return ["eval", "--policy", "comply", "--scenes", str(scenes or self.scenes), "--quiet",
                "--out", str(self.tmp / "run") if out is None else out, *extra]

    def scenes_copy(self) -> Path:
        dest = self.tmp / "scenes"
        shutil.copytree(self.scenes, dest)
        return dest

    def run_copy(self) -> Path:
        dest = self.tmp / "finished"
        shutil.copytree(self.finished, dest)
        return dest


Setup = Callable[[Env, pytest.MonkeyPatch], list[str]]


@dataclass(frozen=True)
class Case:
    klass: str
    name: str
    setup: Setup
    expect: tuple[str, ...]  # every piece must be in the one error line
    code: int = 2


# -- the cases ------------------------------------------------------------------------------------
def _scene_file(env: Env, name: str, data: bytes) -> list[str]:
    scenes = env.scenes_copy()
    (scenes / name).write_bytes(data)
    return env.eval(scenes=scenes)


def _edit_line(run: Path, index: int, edit: Callable[[dict], None]) -> None:
    lines = (run / "results.jsonl").read_text().splitlines()
    row = json.loads(lines[index])
    edit(row)
    lines[index] = json.dumps(row)
    (run / "results.jsonl").write_text("\n".join(lines) + "\n")


def _resume(env: Env, run: Path) -> list[str]:
    return env.eval("--resume", out=str(run))


def non_utf8_scene(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    return _scene_file(env, "zz_latin1.yaml", "id: caf\xe9\ntask: Place\n".encode("latin-1"))


def non_utf8_prices(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    prices = env.tmp / "prices.yaml"
    prices.write_bytes("gpt-4o: {input: 2.5, output: 10}  # \xa3\n".encode("latin-1"))
    return env.eval("--prices", str(prices))


def lone_surrogate_official(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    root = env.tmp / "mss"
    (root / "embodied").mkdir(parents=True)
    for name in ("a.png", "b.png"):
        Image.new("RGB", (8, 8)).save(root / "embodied" / name)
    record = {"task": "Place", "category": "property_damage", "safe": "a.png", "unsafe": "b.png",
              "observation_safe": "The robot is holding a Apple.", "observation_unsafe": "The robot is holding a Fork.",
              "safe_instructions": ["Put it in the microwave. \\ud800"], "unsafe_instructions": ["Put it away."]}
    (root / "combined.json").write_text(json.dumps({"embodied": [record]}).replace("\\\\ud800", "\\ud800"))
    return ["eval", "--policy", "comply", "--data-root", str(root), "--quiet", "--out", str(env.tmp / "run")]


def bomb_image(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    scenes = env.scenes_copy()
    target = sorted((scenes / "images").iterdir())[0]
    Image.new("1", (8000, 8000)).save(target)  # 64 megapixels in a few kilobytes
    return env.eval(scenes=scenes)


def out_is_file(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    (env.tmp / "file").write_text("x")
    return env.eval(out=str(env.tmp / "file"))


def out_under_file(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    (env.tmp / "file").write_text("x")
    return env.eval(out=str(env.tmp / "file" / "run"))


def out_unwritable(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    """The tests may run as root, whom permissions do not stop: the refusal is simulated."""
    real = Path.mkdir
    locked = env.tmp / "readonly"

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self == locked or locked in self.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    mp.setattr(Path, "mkdir", mkdir)
    return env.eval(out=str(locked / "run"))


def out_empty(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    return env.eval(out="")


def cache_dir_is_file(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    (env.tmp / "cachefile").write_text("x")
    return env.eval("--cache-dir", str(env.tmp / "cachefile"))


def corrupt_config(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    run = env.run_copy()
    (run / "config.json").write_text('{"format": 2, "policy": ')
    return _resume(env, run)


def config_wrong_shape(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    run = env.run_copy()
    config = json.loads((run / "config.json").read_text())
    config["policy"] = "comply"
    (run / "config.json").write_text(json.dumps(config))
    return _resume(env, run)


def row_without_scores(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    run = env.run_copy()
    _edit_line(run, 2, lambda r: r.pop("scores"))
    return _resume(env, run)


def row_without_primary_score(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    run = env.run_copy()
    _edit_line(run, 2, lambda r: r.update(scores={}))
    return ["report", str(run)]


def row_wrong_type(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    run = env.run_copy()
    _edit_line(run, 1, lambda r: r["scores"]["rules"].update(label="two"))
    return ["report", str(run)]


def results_is_folder(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    run = env.run_copy()
    (run / "results.jsonl").unlink()
    (run / "results.jsonl").mkdir()
    return ["report", str(run)]


def results_is_folder_resume(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    results_is_folder(env, mp)
    return _resume(env, env.tmp / "finished")


def malformed_protocol(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    mp.setenv("MSS_EMBODIED_HOME", str(env.tmp / "home"))
    (env.tmp / "home" / "protocols").mkdir(parents=True)
    (env.tmp / "home" / "protocols" / "broken.json").write_text('{"prompts": {"if": 3}}')
    return env.eval("--protocol", "broken")


def protocol_escapes(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    return env.eval("--protocol", "../../x")


def plugin_syntax_error(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    (env.tmp / "plugins").mkdir()
    (env.tmp / "plugins" / "broken_plugin_i11.py").write_text("def oops(:\n")
    mp.syspath_prepend(str(env.tmp / "plugins"))
    return env.eval("--plugin", "broken_plugin_i11")


def render_size_zero(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    return ["scenes", "render", str(env.scenes), "--renderer", "schematic", "--size", "0"]


def disk_full(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    fill_disk_after(mp, 5)
    return env.eval("--concurrency", "1")


def fill_disk_after(mp: pytest.MonkeyPatch, rows: int) -> None:
    """The results file's disk fills after ``rows`` lines: the next write stores half its line and
    comes back short (what the kernel does), the one after fails with ENOSPC."""
    real = os.write
    seen = {"n": 0}

    def write(fd: int, data: bytes) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.endswith("results.jsonl"):
            seen["n"] += 1
            if seen["n"] > rows + 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            if seen["n"] > rows:
                return real(fd, bytes(data)[: len(data) // 2])
        return real(fd, data)

    mp.setattr(os, "write", write)


def ray_fails(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    ray = pytest.importorskip("ray")

    def init(*args: object, **kwargs: object) -> None:
        raise TimeoutError("The current node timed out during startup")

    mp.setattr(ray, "init", init)
    mp.setattr(ray, "is_initialized", lambda: False)
    return env.eval("--executor", "ray")


def deep_yaml(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    text = "id: deep\ntask: Place\n" + "".join("  " * i + "a:\n" for i in range(2000)) + "  " * 2000 + "b: 1\n"
    return _scene_file(env, "zz_deep.yaml", text.encode())


def deep_json(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    return _scene_file(env, "zz_deep.json", b'{"id": "deep", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def yaml_alias_bomb(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return _scene_file(env, "zz_bomb.yaml", ("\n".join(lines) + "\n").encode())


def task_as_list(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    scenes = env.scenes_copy()
    first = sorted(scenes.glob("*.yaml"))[0]
    text = first.read_text()
    task = next(line for line in text.splitlines() if line.startswith("task: "))
    first.write_text(text.replace(task, f'task: ["{task.split()[1]}"]', 1))
    return env.eval(scenes=scenes)


def flag(*extra: str) -> Setup:
    return lambda env, mp: env.eval(*extra)


def nan_prices_file(env: Env, mp: pytest.MonkeyPatch) -> list[str]:
    prices = env.tmp / "prices.yaml"
    prices.write_text("comply: {input: .nan, output: 1}\n")
    return env.eval("--prices", str(prices))


CASES = [
    Case("non-UTF-8 data file", "scene file", non_utf8_scene, ("zz_latin1.yaml", "not UTF-8 text", "line 1")),
    Case("non-UTF-8 data file", "prices file", non_utf8_prices, ("prices.yaml", "not UTF-8 text")),
    Case("non-UTF-8 data file", "lone surrogate in combined.json", lone_surrogate_official,
         ("combined.json", "embodied.0.safe_instructions.0", "unpaired UTF-16 surrogate")),
    Case("image", "decompression bomb", bomb_image, ("8000x8000 pixels", "--resume")),
    Case("--out / --cache-dir", "--out is a file", out_is_file, ("--out:", "is a file, not a folder")),
    Case("--out / --cache-dir", "--out under a file", out_under_file, ("--out:", "cannot be created", "is a file")),
    Case("--out / --cache-dir", "--out unwritable", out_unwritable, ("--out:", "Permission denied")),
    Case("--out / --cache-dir", "--out empty", out_empty, ("--out: must name a folder",)),
    Case("--out / --cache-dir", "--cache-dir is a file", cache_dir_is_file, ("--cache-dir:", "is a file")),
    Case("damaged run folder", "corrupt config.json on --resume", corrupt_config,
         ("config.json", "unreadable run config")),
    Case("damaged run folder", "config.json of the wrong shape", config_wrong_shape,
         ("config.json", "field 'policy'")),
    Case("damaged run folder", "row without scores (--resume)", row_without_scores,
         ("results.jsonl", "line 3", "no score for judge 'rules'")),
    Case("damaged run folder", "row without the judge's score (report)", row_without_primary_score,
         ("results.jsonl", "line 3", "no score for judge 'rules'")),
    Case("damaged run folder", "row with a wrong type (report)", row_wrong_type,
         ("results.jsonl", "line 2", "field 'scores.rules.label'")),
    Case("damaged run folder", "results.jsonl is a folder (report)", results_is_folder,
         ("results.jsonl", "is a folder")),
    Case("damaged run folder", "results.jsonl is a folder (--resume)", results_is_folder_resume,
         ("results.jsonl", "is a folder")),
    Case("protocol / plugin", "malformed imported protocol", malformed_protocol,
         ("--protocol:", "broken.json", "field 'prompts'")),
    Case("protocol / plugin", "protocol name escaping its folder", protocol_escapes,
         ("--protocol:", "invalid protocol name '../../x'")),
    Case("protocol / plugin", "--plugin with a syntax error", plugin_syntax_error,
         ("--plugin:", "broken_plugin_i11", "syntax error", "line 1")),
    Case("scenes render", "--size 0", render_size_zero, ("--size:", "got 0")),
    Case("disk full", "ENOSPC while appending", disk_full, ("results.jsonl", "disk full", "--resume")),
    Case("Ray", "Ray failing to start", ray_fails, ("--ray-address:", "cannot start a local Ray", "timed out")),
    Case("deep nesting", "YAML nested 2,000 levels", deep_yaml, ("zz_deep.yaml", "nested deeper than 32 levels")),
    Case("deep nesting", "JSON nested 100,000 levels", deep_json, ("zz_deep.json", "nested deeper than 32 levels")),
    Case("deep nesting", "YAML alias bomb", yaml_alias_bomb, ("zz_bomb.yaml", "alias bomb")),
    Case("bounds", "--rpm nan", flag("--rpm", "nan"), ("--rpm: must be positive and finite, got nan",)),
    Case("bounds", "--tpm nan", flag("--tpm", "nan"), ("--tpm: must be positive and finite, got nan",)),
    Case("bounds", "--price-in nan", flag("--price-in", "nan"), ("--price-in: must be a finite number",)),
    Case("bounds", "NaN in a prices file", nan_prices_file, ("prices.yaml", "'comply'", "finite")),
    Case("bounds", "timeout_s=-1", lambda env, mp: ["eval", "--policy", "openai:m", "--policy-opt", "timeout_s=-1",
                                                    "--scenes", str(env.scenes), "--out", str(env.tmp / "r")],
         ("--policy-opt:", "'timeout_s'", "greater than 0")),
    Case("bounds", "temperature=hot", lambda env, mp: ["eval", "--policy", "openai:m", "--policy-opt",
                                                       "temperature=hot", "--scenes", str(env.scenes), "--out",
                                                       str(env.tmp / "r")],
         ("--policy-opt:", "'temperature'", "valid number", "'hot'")),
    Case("bounds", "max_tokens=-1", lambda env, mp: ["eval", "--policy", "openai:m", "--policy-opt", "max_tokens=-1",
                                                     "--scenes", str(env.scenes), "--out", str(env.tmp / "r")],
         ("--policy-opt:", "'max_tokens'", "greater than or equal to 1")),
    Case("bounds", "openai without a model", lambda env, mp: ["eval", "--policy", "openai", "--scenes",
                                                              str(env.scenes), "--out", str(env.tmp / "r")],
         ("--policy:", "needs a model: openai:<model>")),
    Case("bounds", "comply given temperature", flag("--policy-opt", "temperature=0"),
         ("--policy-opt:", "unknown option 'temperature' for policy 'comply'", "takes no options")),
    Case("bounds", "rules given foo", flag("--judge-opt", "foo=1"),
         ("--judge-opt:", "unknown judge option 'foo'", "rules takes none")),
    Case("bounds", "task: [\"Place\"]", task_as_list, ("field 'task'", "valid string")),
    Case("bounds", "--max-errors 0", flag("--max-errors", "0"), ("--max-errors: must be at least 1",)),
]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    scenes = scene_subset(tmp_path_factory.mktemp("scenes"), 2)
    finished = tmp_path_factory.mktemp("finished") / "run"
    assert main(["eval", "--policy", "comply", "--scenes", str(scenes), "--out", str(finished), "--quiet"]) == 0
    return scenes, finished


@pytest.mark.parametrize("case", CASES, ids=[f"{c.klass}: {c.name}" for c in CASES])
def test_user_error_is_one_line(case: Case, shared: tuple[Path, Path], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env = Env(tmp_path, *shared)
    argv = case.setup(env, monkeypatch)
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert code == case.code, err
    assert len(lines) == 1 and lines[0].startswith("mss-embodied: error: "), err
    for piece in case.expect:
        assert piece in lines[0], (piece, lines[0])


def test_the_table_covers_every_class_of_the_audit() -> None:
    assert {c.klass for c in CASES} == {"non-UTF-8 data file", "image", "--out / --cache-dir", "damaged run folder",
                                        "protocol / plugin", "scenes render", "disk full", "Ray", "deep nesting",
                                        "bounds"}
    assert len(CASES) >= 35


def test_disk_full_leaves_no_torn_line_and_resumes(shared: tuple[Path, Path], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    env = Env(tmp_path, *shared)
    out = tmp_path / "run"
    with monkeypatch.context() as mp:
        fill_disk_after(mp, 5)
        assert main(env.eval("--concurrency", "1")) == 2
    assert "rerun with --resume" in capsys.readouterr().err
    data = (out / "results.jsonl").read_bytes()
    assert data.endswith(b"\n") and data.count(b"\n") == 5  # the half-written sixth line was cut back
    assert all(json.loads(line)["episode_id"] for line in data.splitlines())
    assert main(env.eval("--resume")) == 0
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len({r["episode_id"] for r in rows}) == 20
    clean = [json.loads(line) for line in (env.finished / "results.jsonl").read_text().splitlines()]
    strip = lambda rows: sorted((r["episode_id"], r["response"], r["scores"]) for r in rows)  # noqa: E731
    assert strip(rows) == strip(clean)
