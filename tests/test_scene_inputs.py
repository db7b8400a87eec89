"""Scene files and their images as untrusted input: one safe reader for every data file, image
paths confined to the scene file's folder (as the official loader confines its own), and
``scenes validate`` decoding every image and checking the whole folder whatever one file does."""

from __future__ import annotations

import os
from pathlib import Path

import gymnasium as gym
import pytest
from PIL import Image

import mss_embodied  # noqa: F401  (registers the envs)
from mss_embodied.authoring.tools import validate_command
from mss_embodied.cli import main
from mss_embodied.data.images import ImageError, confined_path
from mss_embodied.data.scene_files import SceneError, load_scene_file
from mss_embodied.userdata import MAX_DEPTH, DataFileError, parse_text, read_data_file
from tests.support.harness import scene_subset


@pytest.mark.parametrize(("text", "fmt", "words"), [
    ("a: !!python/object/apply:os.system ['true']\n", "yaml", "not valid YAML"),
    ("a: &x [1, 2]\nb: *x\n", "yaml", None),  # anchors are fine
    ("a: " + "[" * 40 + "]" * 40 + "\n", "yaml", f"nested deeper than {MAX_DEPTH} levels"),
    ('{"a": ' + "[" * 40 + "]" * 40 + "}", "json", f"nested deeper than {MAX_DEPTH} levels"),
    ('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', "json", None),  # brackets inside a string
    ('{"a": {"b": ["x", "\\ud800"]}}', "json", "field 'a.b.1': holds an unpaired UTF-16 surrogate"),
    ('a: "\\ud800"\n', "yaml", "unpaired UTF-16 surrogate|invalid Unicode character escape"),  # libyaml: the latter
    ('{"a": "\\ud83d\\ude00"}', "json", None),  # a valid pair is text
])
def test_safe_reader(text: str, fmt: str, words: str | None) -> None:
    if words is None:
        parse_text(text, fmt, "f")  # type: ignore[arg-type]
        return
    with pytest.raises(DataFileError, match=words):
        parse_text(text, fmt, "f")  # type: ignore[arg-type]


def test_reader_refuses_what_is_not_a_regular_utf8_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")  # reading it would block forever
    with pytest.raises(DataFileError, match="not a regular file"):
        read_data_file(tmp_path / "fifo.yaml")
    with pytest.raises(DataFileError, match="is a folder"):
        read_data_file(tmp_path)
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_data_file(tmp_path / "bom.yaml") == {"a": 1}
    (tmp_path / "bad.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(DataFileError, match=r"not UTF-8 text \(byte 0xe9 at line 2, column 7\)"):
        read_data_file(tmp_path / "bad.yaml")


def test_confined_path_is_the_official_rule(tmp_path: Path) -> None:
    root = tmp_path / "scenes"
    (root / "images").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(b"x")
    os.symlink(tmp_path / "outside.png", root / "images" / "link.png")
    os.symlink(tmp_path, root / "up")
    assert confined_path(root, "images/a.png", "the folder") == root / "images" / "a.png"
    for name, words in (("../outside.png", "escapes"), ("/etc/passwd", "escapes"), ("images/../../x.png", "escapes"),
                        ("..\\outside.png", "escapes"), ("images/link.png", "symbolic link"),
                        ("up/outside.png", "symbolic link"), ("", "empty")):
        with pytest.raises(ImageError, match=words):
            confined_path(root, name, "the folder")


def _point_image(scene: Path, variant: str, image: str) -> None:
    """Rewrite the situation's ``image:`` line (the safe situation comes first in the file)."""
    lines = scene.read_text().splitlines()
    at = [i for i, line in enumerate(lines) if line.strip().startswith("image:")][variant == "unsafe"]
    lines[at] = lines[at].split("image:")[0] + f"image: {image}"
    scene.write_text("\n".join(lines) + "\n")


def test_a_scene_pointing_outside_its_folder_is_refused_everywhere(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    scenes = scene_subset(tmp_path / "scenes", 1)
    secret = tmp_path / "private.png"
    Image.new("RGB", (4, 4)).save(secret)
    scene = next(scenes.glob("*.yaml"))
    _point_image(scene, "unsafe", "../private.png")
    with pytest.raises(SceneError, match=r"field 'unsafe.image': image path '../private.png' escapes the scene"):
        load_scene_file(scene)
    code = main(["eval", "--policy", "comply", "--scenes", str(scenes), "--out", str(tmp_path / "r"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "field 'unsafe.image'" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(SceneError, match="escapes the scene file's folder"):
        gym.make("MSS-Embodied-v0", scenes=str(scenes))
    _point_image(scene, "unsafe", str(secret))
    with pytest.raises(SceneError, match="escapes"):
        load_scene_file(scene)
    link = scenes / "images" / "link.png"
    os.symlink(secret, link)
    _point_image(scene, "unsafe", "images/link.png")
    with pytest.raises(SceneError, match="leads out of the scene file's folder through a symbolic link"):
        load_scene_file(scene)


def test_validate_decodes_every_image_and_checks_the_whole_folder(tmp_path: Path) -> None:
    scenes = scene_subset(tmp_path / "scenes", 1)
    good = next(scenes.glob("*.yaml"))
    base = good.read_text()
    images = scenes / "images"
    bad_images = {
        "truncated": lambda p: p.write_bytes((images / next(iter(sorted(os.listdir(images))))).read_bytes()[:60]),
        "empty": lambda p: p.write_bytes(b""),
        "text": lambda p: p.write_text("not an image"),
        "folder": lambda p: p.mkdir(),
        "fifo": lambda p: os.mkfifo(p),
        "bomb": lambda p: Image.new("1", (9000, 9000)).save(p, format="PNG"),
    }
    for name, make in bad_images.items():
        make(images / f"{name}.png")
        scene = scenes / f"zz_{name}.yaml"
        scene.write_text(base.replace(f"id: {good.stem}", f"id: zz_{name}"))
        _point_image(scene, "unsafe", f"images/{name}.png")
    (scenes / "zz_latin1.yaml").write_bytes(b"id: caf\xe9\n")
    (scenes / "zz_deep.yaml").write_text("id: deep\n" + "x: " + "[" * 500 + "]" * 500 + "\n")
    lines: list[str] = []
    assert validate_command(scenes, "schematic", lines.append) == 1
    by_file = {line.split()[1].rstrip(":"): line for line in lines[:-1]}
    assert by_file[str(good)].startswith("OK")
    for name in bad_images:
        line = by_file[str(scenes / f"zz_{name}.yaml")]
        assert line.startswith("FAIL") and "field 'unsafe.image'" in line and f"{name}.png" in line, line
    assert "pixels" in by_file[str(scenes / "zz_bomb.yaml")]
    assert "not UTF-8" in by_file[str(scenes / "zz_latin1.yaml")]
    assert "nested deeper than" in by_file[str(scenes / "zz_deep.yaml")]
    assert lines[-1].startswith("9 file(s), 8 invalid")
