#!/usr/bin/env bash
# Slurm executor tests (tests/Research.Tune.Tests/Slurm): Debian's Slurm daemons, client commands and munge. The tests start and
# stop the daemons themselves (SlurmCluster: munged, slurmctld, slurmd with state in a temporary folder, no systemd).
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/apt-install slurmctld slurmd slurm-client munge
