using System.Diagnostics;

namespace Research.Tune.Tests;

/// <summary>
/// A real single-node Slurm cluster for the tests that need one, brought up and torn down by <c>tools/slurm/cluster.sh</c> (munged,
/// slurmctld and slurmd started directly, no systemd; configuration, state and logs in a temporary folder; the daemons stopped by
/// their PID files). <c>SLURM_CONF</c> is set for this process, so the executor's commands and the jobs find the cluster. Debian's
/// <c>slurmctld slurmd slurm-client munge</c> packages must be installed (CI: <c>.ci/setup.d/50-slurm.sh</c>).
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly string _script;

    public SlurmCluster()
    {
        foreach (var program in new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch" })
            if (!File.Exists(program))
                throw new InvalidOperationException($"{program} is missing: install Debian's slurmctld slurmd slurm-client munge (bash .ci/setup.d/50-slurm.sh).");
        _script = Path.Combine(RepositoryRoot(), "tools", "slurm", "cluster.sh");
        Directory = System.IO.Directory.CreateTempSubdirectory("slurm-cluster-").FullName;
        Environment.SetEnvironmentVariable("SLURM_CONF", Path.Combine(Directory, "slurm.conf"));
        Script("up");
    }

    /// <summary>The cluster's folder: slurm.conf, state, spool, logs.</summary>
    public string Directory { get; }

    /// <summary>The node's state as sinfo reports it (idle, mixed, allocated, drained…).</summary>
    public string NodeState() => Run("sinfo", "-h", "-o", "%T").Trim();

    /// <summary>Stops slurmctld (SIGTERM: it saves its state) and starts it again after <paramref name="down"/>, as a service restart does.</summary>
    public void RestartController(TimeSpan down) =>
        Script("restart", down.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Cancels a job as a user would.</summary>
    public void Cancel(string job) => Run("scancel", job);

    public void Dispose()
    {
        Script("down");
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

    /// <summary>Runs cluster.sh; its daemons detach, so their output is not piped (they could hold the pipe open for good).</summary>
    private void Script(params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        info.ArgumentList.Add(_script);
        info.ArgumentList.Add(arguments[0]);
        info.ArgumentList.Add(Directory);
        foreach (var argument in arguments.Skip(1)) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        if (!process.WaitForExit(TimeSpan.FromSeconds(120))) throw new TimeoutException($"cluster.sh {arguments[0]} did not finish");
        if (process.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {arguments[0]} failed ({process.ExitCode}); see {Directory}/log");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Research.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Research.sln above {AppContext.BaseDirectory}: the tests run from the repository's build");
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
