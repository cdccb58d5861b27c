#!/usr/bin/env bash
# Builds the native shim for the reference tools, against Debian's Box2D 2.4.1 or against the Box2D 2.3 sources that
# pybox2d (and Gymnasium 0.29.1's box2d-py) bundle, so Gymnasium's own environments can run on either engine.
#
#   tools/box2d/build_shim.sh 2.4 OUT.so                      # Debian's libbox2d-dev
#   tools/box2d/build_shim.sh 2.3 OUT.so [PYBOX2D_GIT_DIR]    # pybox2d's sources (default: the git mirror below)
#
# For 2.3 the sources are taken from the git repository as they are, except that b2Settings.h's USE_EXCEPTIONS (which
# turns Box2D's assertions into Python exceptions and needs Python.h) is switched off; with -DNDEBUG the assertions then
# compile to nothing, as in pybox2d's release builds, which raise only on invalid input these tools never give.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shim="$here/../../plugins/Research.Plugins.Box2D/Native/research_box2d.cpp"
version="${1:?2.4 or 2.3}"
out="${2:?output .so}"
case "$version" in
  2.4)
    g++ -std=c++17 -O2 -fPIC -shared -fvisibility=hidden "$shim" -lbox2d -o "$out" ;;
  2.3)
    repo="${3:-/work/.mirror/pybox2d+pybox2d/repo}"
    src="$(mktemp -d)"
    trap 'rm -rf "$src"' EXIT
    git --git-dir="$repo" archive HEAD Box2D | tar -x -C "$src"
    sed -i 's|^#define USE_EXCEPTIONS|// #define USE_EXCEPTIONS|' "$src/Box2D/Common/b2Settings.h"
    g++ -std=c++17 -O2 -fPIC -shared -fvisibility=hidden -DNDEBUG -DRB2_BOX2D_23 -w -I"$src" "$shim" $(find "$src/Box2D" -name '*.cpp') -o "$out" ;;
  *) echo "build_shim.sh: version '$version' is not 2.4 or 2.3" >&2; exit 2 ;;
esac
echo "built $out (Box2D $version)"
