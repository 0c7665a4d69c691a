#!/usr/bin/env bash
# Create .venv and install the project into it (with the test tools when given "test").
# Afterwards .venv/.installed records pyproject.toml's hash: scripts/start.sh installs again only
# when that file changes, so a restart needs no package index. Then the hot loaders modules are
# compiled with mypyc (scripts/compile_loaders.py); for the tests a failed compile is an error,
# for the dashboard it only means plain Python, slower, with the same rows.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# the pure-Python OpenCC port used before installs into the same "opencc" folder: remove it first
if .venv/bin/python -m pip show -q opencc-python-reimplemented >/dev/null 2>&1; then
    .venv/bin/python -m pip uninstall -q -y opencc-python-reimplemented
fi
if [ "${1:-}" = "test" ]; then
    EXTRAS="test,compile" COMPILE_ARGS="--strict"
else
    EXTRAS="compile" COMPILE_ARGS=""
fi
.venv/bin/python -m pip install -q -e ".[$EXTRAS]"
sha256sum pyproject.toml | cut -d' ' -f1 > .venv/.installed
.venv/bin/python scripts/compile_loaders.py $COMPILE_ARGS
