#!/usr/bin/env bash
# Interop: `research plot` needs a font (ScottPlot draws no text without one, silently). Idempotent.
set -euo pipefail
"$(dirname "$0")/../apt-install" fonts-dejavu-core
