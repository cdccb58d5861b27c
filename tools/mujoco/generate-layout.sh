#!/usr/bin/env bash
# Regenerates plugins/Research.Plugins.MuJoCo/Native/MjLayout.g.cs from the installed MuJoCo headers
# (apt-get install libmujoco-dev gcc). Run after changing Native/layout.c or moving to another MuJoCo version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
native="$root/plugins/Research.Plugins.MuJoCo/Native"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${CC:-cc}" -std=c11 -O0 -o "$work/layout" "$native/layout.c" -I/usr/include
"$work/layout" > "$native/MjLayout.g.cs"
echo "wrote $native/MjLayout.g.cs"
