"""The mypyc build of the hot loaders modules: same rows as the sources, never older than them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from loaders import compiled

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = compiled.EXTENSION_SUFFIX

DUMP_ROWS = """
import json, sys
from pathlib import Path
import loaders
from loaders import compiled
from loaders.pipeline import extract_file, extract_text
from loaders.records import as_row
from loaders.synth import generate_pages

results = [extract_file(p) for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
results += [extract_text(text, source=name) for name, text in generate_pages(150)]
rows = [[r.source, r.error, [as_row(x) for x in (*r.articles, *r.facts, *r.campaigns)]] for r in results]
print(json.dumps({"build": loaders.BUILD, "compiled": compiled.running_compiled(), "rows": rows},
                 ensure_ascii=False, default=str, sort_keys=True))
"""


STATE = """
import importlib, json, sys
import loaders
from loaders import compiled
module = importlib.import_module(sys.argv[1])
print(json.dumps([loaders.BUILD, compiled.running_compiled(), hasattr(module, "EDITED"), module.__file__]))
"""


def _run(code: str, *args: str, pythonpath: Path = ROOT, pure: bool = False) -> object:
    environment = {k: v for k, v in os.environ.items() if k != compiled.PURE_ENV}
    environment["PYTHONPATH"] = str(pythonpath)
    if pure:
        environment[compiled.PURE_ENV] = "1"
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=environment, cwd=pythonpath, check=True)
    return json.loads(done.stdout)


def _fake_package(folder: Path, modules: dict[str, str]) -> dict[str, object]:
    """A package folder with sources, empty stand-ins for their extensions and for the shared
    runtime beside the package, and a matching stamp."""
    folder.mkdir()
    for name, source in modules.items():
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
        (folder / f"{name}{SUFFIX}").write_bytes(b"")
    (folder.parent / f"{compiled.LIBRARY_NAME}{SUFFIX}").write_bytes(b"")
    return {"suffix": SUFFIX, "mypy": "2.4.1",
            "modules": {f"loaders.{n}": compiled.source_hash(s.encode()) for n, s in modules.items()}}


def test_a_build_matching_its_sources_is_current(tmp_path):
    package = tmp_path / "loaders"
    stamp = _fake_package(package, {"numbers": "X = 1\n", "facts": "Y = 2\n"})
    assert compiled.stale_sources(stamp, package) == []
    assert compiled.built_modules(package) == ["loaders.facts", "loaders.numbers"]


def test_an_edited_source_makes_its_build_stale(tmp_path):
    package = tmp_path / "loaders"
    stamp = _fake_package(package, {"numbers": "X = 1\n", "facts": "Y = 2\n"})
    (package / "facts.py").write_text("Y = 3  # 规则改了\n", encoding="utf-8")
    assert compiled.stale_sources(stamp, package) == ["loaders.facts"]


def test_an_extension_the_stamp_does_not_list_makes_the_build_stale(tmp_path):
    package = tmp_path / "loaders"
    stamp = _fake_package(package, {"numbers": "X = 1\n"})
    (package / "dates.py").write_text("Z = 1\n", encoding="utf-8")
    (package / f"dates{SUFFIX}").write_bytes(b"")
    assert compiled.stale_sources(stamp, package) == ["loaders.dates"]


def test_a_build_for_another_python_or_without_its_runtime_is_stale(tmp_path):
    package = tmp_path / "loaders"
    stamp = _fake_package(package, {"numbers": "X = 1\n"})
    assert compiled.stale_sources({**stamp, "suffix": ".cpython-312-x86_64-linux-gnu.so"}, package)
    (tmp_path / f"{compiled.LIBRARY_NAME}{SUFFIX}").unlink()
    assert compiled.stale_sources(stamp, package) == [compiled.LIBRARY_NAME]


def test_the_guard_itself_is_never_compiled():
    with (ROOT / "pyproject.toml").open("rb") as f:
        names = tomllib.load(f)["tool"]["gongjian-kanban"]["compiled"]
    assert names and "compiled" not in names and "__init__" not in names
    assert all((ROOT / "loaders" / f"{name}.py").is_file() for name in names)


needs_build = pytest.mark.skipif(not compiled.built_modules(),
                                 reason="loaders 未编译（scripts/compile_loaders.py）")


@needs_build
@pytest.mark.slow
def test_compiled_and_pure_loaders_give_the_same_rows():
    built = _run(DUMP_ROWS, str(ROOT / "seeds"))
    pure = _run(DUMP_ROWS, str(ROOT / "seeds"), pure=True)
    assert built["build"] == "compiled" and built["compiled"], "the current build was not used"
    assert pure["build"] == "pure" and pure["compiled"] == []
    assert sum(len(rows) for _, _, rows in built["rows"]) > 1000
    assert built["rows"] == pure["rows"]


@needs_build
def test_an_edited_source_runs_as_python_until_compiled_again(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "loaders", copy / "loaders", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / f"{compiled.LIBRARY_NAME}{SUFFIX}", copy)
    module = compiled.built_modules(copy / "loaders")[0]
    short = module.rpartition(".")[2]
    state, running, edited, file = _run(STATE, module, pythonpath=copy)
    assert state == "compiled" and module in running and not edited
    assert file == str(copy / "loaders" / f"{short}{SUFFIX}")  # where data files are looked up from
    with (copy / "loaders" / f"{short}.py").open("a", encoding="utf-8") as source:
        source.write("\nEDITED = True  # 规则改了，尚未重新编译\n")
    assert _run(STATE, module, pythonpath=copy) == ["stale", [], True, str(copy / "loaders" / f"{short}.py")]
