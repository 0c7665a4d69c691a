"""Records built once per figure write their ``__init__`` out (mypyc compiles a written one; a
dataclass's generated one stays interpreted). The written one must take exactly the fields, in
order, with the default a field declares — else a new field would be silently left unset."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LOADERS = Path(__file__).resolve().parent.parent / "loaders"


def _dataclasses_with_written_init() -> list[tuple[str, ast.ClassDef]]:
    found = []
    for path in sorted(LOADERS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dataclass"
                and any(k.arg == "init" and getattr(k.value, "value", True) is False for k in d.keywords)
                for d in node.decorator_list
            ):
                found.append((f"{path.stem}.{node.name}", node))
    return found


def _fields(cls: ast.ClassDef) -> list[tuple[str, str | None]]:
    """(name, default as source) of each field the constructor takes."""
    fields = []
    for item in cls.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        if "ClassVar" in ast.unparse(item.annotation):
            continue
        default = item.value
        if isinstance(default, ast.Call) and getattr(default.func, "id", "") == "field":
            if any(k.arg == "init" and getattr(k.value, "value", True) is False for k in default.keywords):
                continue
            default = next((k.value for k in default.keywords if k.arg == "default"), None)
        fields.append((item.target.id, None if default is None else ast.unparse(default)))
    return fields


def _parameters(cls: ast.ClassDef) -> list[tuple[str, str | None]]:
    init = next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
    args = init.args.args[1:]
    defaults = [None] * (len(args) - len(init.args.defaults)) + [ast.unparse(d) for d in init.args.defaults]
    return [(a.arg, d) for a, d in zip(args, defaults, strict=True)]


WRITTEN = _dataclasses_with_written_init()


def test_the_per_figure_records_are_found():
    names = {name for name, _ in WRITTEN}
    assert {"records.Fact", "facts.Located", "numbers.Quantity", "places.PlaceMention"} <= names


@pytest.mark.parametrize(("name", "cls"), WRITTEN, ids=[n for n, _ in WRITTEN])
def test_a_written_init_takes_exactly_its_fields(name, cls):
    parameters, fields = _parameters(cls), _fields(cls)
    assert [p for p, _ in parameters] == [f for f, _ in fields]
    for (_, given), (_, declared) in zip(parameters, fields, strict=True):
        assert declared is None or declared == given
