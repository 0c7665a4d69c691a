"""Compile the hot loaders modules to C with mypyc, once per change of their sources.

Extraction is mostly the interpreter's own work: no single function dominates, so the last large
gain is compiling the same typed Python (see issue 15's notes). The modules to compile are listed
in ``pyproject.toml`` (``[tool.gongjian-kanban] compiled``). The build lands beside the sources,
with a stamp of their hashes that ``loaders.compiled`` checks at import, so an edited source is
never shadowed by an old build: it runs as Python until this script is run again.

Without mypy or a C compiler the project runs as plain Python, slower, with the same rows.

    .venv/bin/python scripts/compile_loaders.py            # compile if the sources changed
    .venv/bin/python scripts/compile_loaders.py --strict   # fail when compiling fails (tests, CI)
    .venv/bin/python scripts/compile_loaders.py --remove   # back to plain Python
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["GONGJIAN_PURE_PYTHON"] = "1"  # importing loaders here must not judge the build being replaced

from loaders import compiled  # noqa: E402  (the guard's own names: stamp, suffix, library)

BUILD_DIR = ROOT / "build" / "mypyc"
BUILD_LOG = BUILD_DIR / "build.log"
MYPY_OPTIONS = ["--ignore-missing-imports", "--follow-imports=silent",
                "--cache-dir", str(BUILD_DIR / "mypy-cache")]


def modules_to_compile(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    with pyproject.open("rb") as f:
        return list(tomllib.load(f)["tool"]["gongjian-kanban"]["compiled"])


def wanted_stamp(modules: list[str], mypy_version: str) -> dict[str, object]:
    return {
        "suffix": compiled.EXTENSION_SUFFIX,
        "mypy": mypy_version,
        "modules": {
            f"loaders.{m}": compiled.source_hash((compiled.PACKAGE_DIR / f"{m}.py").read_bytes())
            for m in modules
        },
    }


def remove_build() -> None:
    """Delete every compiled extension and the stamp: the package is plain Python again."""
    (compiled.PACKAGE_DIR / compiled.STAMP_NAME).unlink(missing_ok=True)
    for path in compiled.PACKAGE_DIR.glob(f"*{compiled.EXTENSION_SUFFIX}"):
        path.unlink()
    for path in ROOT.glob(f"*__mypyc{compiled.EXTENSION_SUFFIX}"):
        path.unlink()  # the group's shared runtime, beside the package


def build(modules: list[str]) -> None:
    """Run mypyc and the C compiler; called in a child process whose chatter goes to the log."""
    from mypyc.build import mypycify
    from setuptools import setup

    os.chdir(ROOT)
    paths = [f"loaders/{m}.py" for m in modules]
    setup(
        name="gongjian-kanban-compiled",
        script_args=["--quiet", "build_ext", "--inplace", "--build-temp", str(BUILD_DIR / "temp")],
        ext_modules=mypycify(
            [*paths, *MYPY_OPTIONS], opt_level="3", group_name="loaders", target_dir=str(BUILD_DIR)
        ),
    )


def build_logged(modules: list[str], log: Path) -> bool:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [sys.executable, __file__, "--build", *modules], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    return done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when compiling fails")
    parser.add_argument("--remove", action="store_true", help="remove the build: run as plain Python")
    parser.add_argument("--build", nargs="+", metavar="MODULE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build(args.build)
        return 0
    if args.remove:
        remove_build()
        print("已删除 loaders 的编译版本：以纯 Python 运行")
        return 0
    try:
        import mypy.version
    except ImportError:
        print("未安装 mypy：loaders 以纯 Python 运行（结果相同，提取较慢）", file=sys.stderr)
        return 1 if args.strict else 0
    modules = modules_to_compile()
    stamp = wanted_stamp(modules, mypy.version.__version__)
    if compiled.read_stamp() == stamp and not compiled.stale_sources(stamp):
        return 0
    remove_build()
    print(f"正在用 mypyc 编译 loaders 的 {len(modules)} 个模块（约一两分钟，只在源文件改动后进行）…")
    started = time.perf_counter()
    if not build_logged(modules, BUILD_LOG):
        remove_build()
        print(BUILD_LOG.read_text(encoding="utf-8")[-3000:], file=sys.stderr)
        print(f"编译 loaders 失败（全文见 {BUILD_LOG.relative_to(ROOT)}）："
              "以纯 Python 运行，结果相同、提取较慢", file=sys.stderr)
        return 1 if args.strict else 0
    (compiled.PACKAGE_DIR / compiled.STAMP_NAME).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    print(f"编译完成，用时 {time.perf_counter() - started:.0f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
