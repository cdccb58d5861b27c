using System.Diagnostics;

namespace Research.Tune.Tests;

/// <summary>
/// A real single-node Slurm cluster for the tests that need one: munged, slurmctld and slurmd started directly (no systemd), their
/// configuration, state and spool in a temporary folder named by <c>SLURM_CONF</c> (set for this process, so the executor's
/// commands and the jobs find it), torn down by their PID files. Debian's <c>slurmctld slurmd slurm-client munge</c> packages must be
/// installed (CI: <c>.ci/setup.d/50-slurm.sh</c>).
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private const string Munged = "/usr/sbin/munged";
    private const string MungePid = "/run/munge/munged.pid";
    private readonly bool _startedMunge;

    public SlurmCluster()
    {
        foreach (var daemon in new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd", Munged, "/usr/bin/sbatch" })
            if (!File.Exists(daemon))
                throw new InvalidOperationException($"{daemon} is missing: install Debian's slurmctld slurmd slurm-client munge (bash .ci/setup.d/50-slurm.sh).");
        Directory = System.IO.Directory.CreateTempSubdirectory("slurm-cluster-").FullName;
        foreach (var sub in new[] { "state", "spool", "log" }) System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        Host = Run("hostname", "-s").Trim();
        File.WriteAllText(Conf, Configuration());
        Environment.SetEnvironmentVariable("SLURM_CONF", Conf);

        if (!Alive(MungePid))
        {
            Run("install", "-d", "-o", "munge", "-g", "munge", "-m", "0755", "/run/munge");
            Launch("runuser", "-u", "munge", "--", Munged);
            _startedMunge = true;
        }
        StartController();
        Launch("/usr/sbin/slurmd");
        WaitForIdleNode(TimeSpan.FromSeconds(60));
    }

    /// <summary>The cluster's folder: slurm.conf, state, spool, logs.</summary>
    public string Directory { get; }

    /// <summary>The node's name.</summary>
    public string Host { get; }

    /// <summary>The configuration file (also in <c>SLURM_CONF</c>).</summary>
    public string Conf => Path.Combine(Directory, "slurm.conf");

    private string ControllerPid => Path.Combine(Directory, "slurmctld.pid");

    private string NodePid => Path.Combine(Directory, "slurmd.pid");

    /// <summary>The node's state as sinfo reports it (idle, mixed, allocated, drained…).</summary>
    public string NodeState() => Run("sinfo", "-h", "-o", "%T").Trim();

    /// <summary>Stops slurmctld (SIGTERM: it saves its state) and starts it again, as an administrator's restart does.</summary>
    public void RestartController(TimeSpan down)
    {
        Stop(ControllerPid);
        Thread.Sleep(down);
        StartController();
    }

    /// <summary>Cancels a job as a user would.</summary>
    public void Cancel(string job) => Run("scancel", job);

    private static void StartController() => Launch("/usr/sbin/slurmctld");

    /// <summary>Starts a daemon and waits for its launcher to return (it forks and detaches); its output is not piped, since the
    /// daemon could keep the pipe open for good.</summary>
    private static void Launch(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException($"{command} did not detach");
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} exited with {process.ExitCode}");
    }

    private void WaitForIdleNode(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (NodeState() != "idle")
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the Slurm node is not idle after {patience.TotalSeconds:F0} s: '{NodeState()}'; see {Directory}/log");
            Thread.Sleep(200);
        }
    }

    private string Configuration()
    {
        long memory = Math.Max(2000, (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024) * 0.5));
        return $"""
            ClusterName=research-tests
            SlurmctldHost={Host}(127.0.0.1)
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
            SlurmctldPidFile={ControllerPid}
            SlurmdPidFile={NodePid}
            SlurmctldLogFile={Directory}/log/slurmctld.log
            SlurmdLogFile={Directory}/log/slurmd.log
            StateSaveLocation={Directory}/state
            SlurmdSpoolDir={Directory}/spool
            AccountingStorageType=accounting_storage/none
            JobAcctGatherType=jobacct_gather/none
            JobCompType=jobcomp/filetxt
            JobCompLoc={Directory}/log/jobcomp.txt
            MinJobAge=600
            NodeName={Host} NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} RealMemory={memory} State=UNKNOWN
            PartitionName=debug Nodes={Host} Default=YES MaxTime=INFINITE State=UP

            """;
    }

    public void Dispose()
    {
        Stop(NodePid);
        Stop(ControllerPid);
        if (_startedMunge) Stop(MungePid);
        Environment.SetEnvironmentVariable("SLURM_CONF", null);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A daemon still closing a log file; the temp cleaner gets it.
        }
    }

    /// <summary>Ends the daemon named by <paramref name="pidFile"/> with SIGTERM (slurmctld then saves its state, as on a service
    /// restart) and waits until it is gone.</summary>
    private static void Stop(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid) || !Running(pid)) return;
        Run("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Not a child of this process, so it may linger as a zombie until init reaps it: wait until it is no longer running.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Running(pid) && DateTime.UtcNow < deadline) Thread.Sleep(100);
    }

    private static bool Alive(string pidFile) =>
        File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid) && Running(pid);

    private static bool Running(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException($"{command} did not finish");
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)}: exit {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}

/// <summary>The tests that share the one cluster this machine can have; they run one at a time.</summary>
[CollectionDefinition("slurm")]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>;
