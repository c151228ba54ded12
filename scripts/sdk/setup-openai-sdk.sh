#!/usr/bin/env bash
# Creates a venv with the official OpenAI Python SDK, for the test that checks the emulator against it.
# Usage: scripts/sdk/setup-openai-sdk.sh VENV_DIR   (idempotent)
set -euo pipefail
venv="$1"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import openai" 2>/dev/null; then
  exit 0
fi
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check openai
