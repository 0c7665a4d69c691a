"""Whether the hot loaders modules run as mypyc-compiled C or as their Python sources.

``scripts/compile_loaders.py`` compiles the modules named in ``pyproject.toml`` to C extensions
beside their sources and records each source's hash in a stamp. Python imports an extension in
preference to the ``.py`` of the same name, so a build older than its sources would silently run
old rules. ``activate`` runs when ``loaders`` is first imported, before any compiled module: it
loads the build only when every source still matches its stamp; otherwise — an edited file, a
missing stamp, or ``GONGJIAN_PURE_PYTHON=1`` — every compiled module is imported from its source,
all of them together, since compiled modules call each other directly.

The sources stay the reference: the build gives the same rows, only faster (a test compares them).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
STAMP_NAME = "compiled-build.json"
# The C runtime all compiled modules share (mypyc's group library). It lies where mypyc puts it,
# beside the package, which each compiled module's ``__file__`` is worked out from; that folder
# need not be on sys.path, so ``activate`` loads it by its path.
LIBRARY_NAME = "loaders__mypyc"
PURE_ENV = "GONGJIAN_PURE_PYTHON"
EXTENSION_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def source_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def stale_sources(stamp: Mapping[str, object], package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The compiled modules whose build no longer matches its source (or is missing or foreign).

    A stamp written for another Python or another platform counts as stale as a whole: its
    extensions cannot be what this interpreter loads.
    """
    modules = stamp.get("modules")
    if not isinstance(modules, dict) or not modules or stamp.get("suffix") != EXTENSION_SUFFIX:
        return ["(stamp)"]
    built = built_modules(package_dir)  # an extension with its source beside it
    stale = [name for name, digest in modules.items() if name not in built or source_hash(
        (package_dir / f"{name.rpartition('.')[2]}.py").read_bytes()) != digest]
    stale += [name for name in built if name not in modules]  # left from another build
    if not (package_dir.parent / f"{LIBRARY_NAME}{EXTENSION_SUFFIX}").is_file():
        stale.append(LIBRARY_NAME)
    return stale


def built_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Every loaders module that has a compiled extension beside its source."""
    return sorted(
        f"loaders.{path.name[: -len(EXTENSION_SUFFIX)]}"
        for path in package_dir.glob(f"*{EXTENSION_SUFFIX}")
        if (package_dir / f"{path.name[: -len(EXTENSION_SUFFIX)]}.py").is_file()
    )


def read_stamp(package_dir: Path = PACKAGE_DIR) -> dict[str, object] | None:
    try:
        stamp = json.loads((package_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Imports the named modules from their ``.py`` files, ahead of any extension beside them."""

    def __init__(self, sources: Mapping[str, Path]) -> None:
        self.sources = dict(sources)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source else None


def _run_from_source(names: Iterable[str], package_dir: Path) -> None:
    sources = {name: package_dir / f"{name.rpartition('.')[2]}.py" for name in names}
    if sources and not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(sources))


def _load_library(package_dir: Path) -> None:
    if LIBRARY_NAME in sys.modules:
        return
    path = package_dir.parent / f"{LIBRARY_NAME}{EXTENSION_SUFFIX}"
    spec = importlib.util.spec_from_file_location(LIBRARY_NAME, path)
    assert spec is not None and spec.loader is not None
    library = importlib.util.module_from_spec(spec)
    sys.modules[LIBRARY_NAME] = library
    spec.loader.exec_module(library)


def activate(package_dir: Path = PACKAGE_DIR) -> str:
    """Choose, once per process, between the compiled build and the sources; say which.

    Returns ``"compiled"``, ``"pure"`` (no build, or pure Python asked for) or ``"stale"`` (a
    build that no longer matches its sources, which is then not used).
    """
    built = built_modules(package_dir)
    if not built:
        return "pure"
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        _run_from_source(built, package_dir)
        return "pure"
    stamp = read_stamp(package_dir)
    stale = stale_sources(stamp, package_dir) if stamp is not None else ["(stamp)"]
    if stale:
        _run_from_source(built, package_dir)
        warnings.warn(
            f"loaders 的编译版本与源文件不一致（{'、'.join(stale[:3])}），"
            "本次以纯 Python 运行，结果不变、速度较慢；运行 bash scripts/setup.sh 重新编译",
            RuntimeWarning,
            stacklevel=2,
        )
        return "stale"
    _load_library(package_dir)
    return "compiled"


def running_compiled() -> list[str]:
    """The loaders modules imported so far that run as compiled C (for benchmarks and tests)."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.startswith("loaders.") and str(getattr(module, "__file__", "")).endswith(EXTENSION_SUFFIX)
    )
