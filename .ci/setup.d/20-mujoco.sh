#!/usr/bin/env bash
# MuJoCo plugin: the MuJoCo 2.2.2 runtime and headers (the tests recompile Native/layout.c against the headers with gcc
# and check the committed offsets), and Mesa's EGL and software OpenGL for offscreen rendering without a display.
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/apt-install libmujoco2.2.2 libmujoco-dev gcc libc6-dev libegl1 libegl-mesa0 libgl1-mesa-dri
