#!/usr/bin/env bash
# A single-node Slurm cluster on this machine for tests and measurements, from Debian's slurmctld slurmd slurm-client munge
# (bash .ci/setup.d/50-slurm.sh installs them). No systemd: the daemons are started directly; configuration, state, spool and
# logs live in DIR, and every Slurm command must see SLURM_CONF=DIR/slurm.conf. Only one such cluster can run on a machine.
#
#   tools/slurm/cluster.sh up DIR      start munged (unless running), slurmctld, slurmd; wait until the node is idle
#   tools/slurm/cluster.sh restart DIR stop slurmctld (SIGTERM: it saves its state) and start it again
#   tools/slurm/cluster.sh down DIR    stop slurmd, slurmctld, and munged if `up` started it; by their PID files
set -euo pipefail
cmd="${1:?up|restart|down}"; dir="$(realpath -m "${2:?cluster directory}")"
export SLURM_CONF="$dir/slurm.conf"

stop() {  # SIGTERM the daemon in PID file $1 and wait until it is gone (a zombie counts as gone).
  [ -s "$1" ] || return 0
  local pid; pid="$(cat "$1")"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 300); do
    state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)"
    [ "$state" = gone ] || [ "$state" = Z ] && return 0
    sleep 0.1
  done
  echo "cluster.sh: $1 ($pid) did not stop" >&2; return 1
}

case "$cmd" in
  up)
    mkdir -p "$dir"/{state,spool,log}
    host="$(hostname -s)"
    mem=$(( $(awk '/MemAvailable/{print int($2/1024)}' /proc/meminfo) / 2 ))
    cat > "$SLURM_CONF" <<CONF
ClusterName=research
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
ReturnToService=2
MailProg=/bin/true
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    if ! { [ -s /run/munge/munged.pid ] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; }; then
      install -d -o munge -g munge -m 0755 /run/munge
      runuser -u munge -- /usr/sbin/munged
      touch "$dir/started-munged"
    fi
    /usr/sbin/slurmctld
    /usr/sbin/slurmd
    for _ in $(seq 600); do
      [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && exit 0
      sleep 0.1
    done
    echo "cluster.sh: the node is not idle after 60 s: $(sinfo -h -o %T 2>&1); see $dir/log" >&2; exit 1 ;;
  restart)
    stop "$dir/slurmctld.pid"
    sleep "${3:-0}"
    /usr/sbin/slurmctld ;;
  down)
    stop "$dir/slurmd.pid"
    stop "$dir/slurmctld.pid"
    if [ -e "$dir/started-munged" ]; then stop /run/munge/munged.pid; rm -f "$dir/started-munged"; fi ;;
  *) echo "usage: $0 up|restart|down DIR" >&2; exit 2 ;;
esac
