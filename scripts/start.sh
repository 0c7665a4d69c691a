#!/usr/bin/env bash
# Set up and start the dashboard on the embedded store (seed pages are loaded on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m dashboard.launch "$@"
