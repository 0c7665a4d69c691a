#!/usr/bin/env bash
# Start the dashboard on the embedded store (seed pages are loaded on first start).
# Installs into .venv only when .venv is missing or pyproject.toml changed since the last install
# (the stamp .venv/.installed); otherwise it starts at once and needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
STAMP=.venv/.installed
WANT=$(sha256sum pyproject.toml | cut -d' ' -f1)
ready() {
    .venv/bin/python -c "import dashboard.launch, streamlit, duckdb, loaders" >/dev/null 2>&1
}
if [ ! -x .venv/bin/python ]; then
    bash scripts/setup.sh
elif [ ! -f "$STAMP" ]; then
    # a .venv from before the stamp existed: trust it if the project imports, else install
    if ready; then echo "$WANT" > "$STAMP"; else bash scripts/setup.sh; fi
elif [ "$(cat "$STAMP")" != "$WANT" ]; then
    if ! bash scripts/setup.sh; then
        if ready; then
            echo "pyproject.toml 已改动，但安装依赖失败（可能连不上软件包源）：先用现有的 .venv 启动；" \
                 "联网后请运行 bash scripts/setup.sh" >&2
        else
            echo "安装依赖失败，且现有的 .venv 不能运行看板：请联网后运行 bash scripts/setup.sh" >&2
            exit 1
        fi
    fi
fi
# loaders sources edited since the last compile: compile again (offline; plain Python if it fails)
.venv/bin/python scripts/compile_loaders.py || true
exec .venv/bin/python -m dashboard.launch "$@"
