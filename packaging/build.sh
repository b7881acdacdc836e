#!/usr/bin/env bash
# Build the FireCase onedir bundle with PyInstaller and run the frozen program's self-check.
# Usage: packaging/build.sh            (uses .venv, created by the README's commands)
#        PYTHON=/path/to/python packaging/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m pip install -q 'pyinstaller>=6'
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/firecase.spec
echo "== self-check of the frozen bundle"
dist/firecase/firecase selfcheck
echo "bundle: dist/firecase ($(du -sh dist/firecase | cut -f1))"
