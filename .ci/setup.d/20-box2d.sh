#!/usr/bin/env bash
# Box2D plugin: the build compiles plugins/Research.Plugins.Box2D/Native/research_box2d.cpp against Box2D 2.4, so the
# C++ compiler and Box2D's headers and library must be there before `dotnet test` builds the solution.
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/apt-install g++ libbox2d-dev
