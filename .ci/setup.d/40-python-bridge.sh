#!/usr/bin/env bash
# The Gymnasium bridge tests run Python workers: Debian's python3 with NumPy (no Gymnasium: the test envs are pure Python).
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/apt-install python3 python3-numpy
