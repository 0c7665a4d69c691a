#!/usr/bin/env bash
# Set up and run the whole test suite: lint, unit and page tests, and the real-browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "安装浏览器测试所需的 chromium 和中文字体 …"
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null
    else
        echo "未找到 chromium：请以 root 运行 apt-get install -y chromium fonts-noto-cjk，否则浏览器测试将被跳过" >&2
    fi
fi
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
