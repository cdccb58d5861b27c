using System.Diagnostics;
using System.Globalization;

namespace Research.Tune;

/// <summary>A job as <c>squeue</c> lists it.</summary>
public sealed record SlurmQueuedJob(string Id, string Name, string State, string Reason, string Nodes);

/// <summary>How a job ended, as <c>scontrol</c> (or <c>sacct</c>) reports it: its state, exit code and the signal that ended it.</summary>
public sealed record SlurmJobEnd(string State, int ExitCode, int Signal)
{
    /// <summary>Whether the state is final (the job will not run again).</summary>
    public bool Final => State is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "PREEMPTED" or "OUT_OF_MEMORY"
        or "BOOT_FAIL" or "DEADLINE" or "SPECIAL_EXIT";
}

/// <summary>A Slurm command that failed; the message is Slurm's own.</summary>
public sealed class SlurmException(string message) : InvalidOperationException(message);

/// <summary>The Slurm commands the executor needs — <c>sbatch</c>, <c>squeue</c>, <c>scontrol</c>, <c>sacct</c>, <c>scancel</c> — behind one typed layer.</summary>
/// <remarks>Accounting may be off (no slurmdbd): <c>sacct</c> is only a last resort after <c>scontrol</c>, which knows a finished job until
/// <c>MinJobAge</c> passes. Every command has a timeout, so a hung controller cannot hang the driver.</remarks>
public sealed class SlurmCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Whether <c>sbatch</c> is on the PATH.</summary>
    public static bool Installed => FindOnPath("sbatch") is not null;

    /// <summary>Submits <paramref name="script"/> with <paramref name="arguments"/> before it; returns the job id.</summary>
    /// <exception cref="SlurmException">sbatch refused the job (its message, for example an unknown partition).</exception>
    public string Submit(string script, IEnumerable<string> arguments)
    {
        var (code, stdout, stderr) = Run("sbatch", ["--parsable", .. arguments, script]);
        string id = stdout.Trim().Split(';')[0];
        if (code != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new SlurmException(Message(stderr, stdout, code, "sbatch"));
        return id;
    }

    /// <summary>The user's queued and running jobs, or null when the controller cannot be reached (the caller tries again later).</summary>
    public IReadOnlyList<SlurmQueuedJob>? Queue()
    {
        var (code, stdout, _) = Run("squeue", ["--me", "-h", "-o", "%i|%j|%T|%r|%N"]);
        if (code != 0) return null;
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .Where(f => f.Length >= 5)
            .Select(f => new SlurmQueuedJob(f[0], f[1], f[2], f[3], f[4]))
            .ToList();
    }

    /// <summary>How job <paramref name="id"/> stands or ended by <c>scontrol</c>, then <c>sacct</c>; null when neither knows it.</summary>
    public SlurmJobEnd? Show(string id)
    {
        var (code, stdout, _) = Run("scontrol", ["show", "job", "-o", id]);
        if (code == 0 && Field(stdout, "JobState") is { } state)
        {
            var (exit, signal) = ExitCode(Field(stdout, "ExitCode"));
            return new SlurmJobEnd(state, exit, signal);
        }
        if (FindOnPath("sacct") is null) return null;
        (code, stdout, _) = Run("sacct", ["-j", id, "-X", "-n", "-P", "-o", "State,ExitCode"]);
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Split('|');
        if (code != 0 || line is not [var accounted, var exitCode, ..]) return null;
        var (e, s) = ExitCode(exitCode);
        return new SlurmJobEnd(accounted.Split(' ')[0], e, s);
    }

    /// <summary>Cancels job <paramref name="id"/>; a job that has already ended is no error.</summary>
    public void Cancel(string id) => Run("scancel", [id]);

    private static string? Field(string text, string key)
    {
        foreach (var token in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            if (token.StartsWith(key + "=", StringComparison.Ordinal)) return token[(key.Length + 1)..];
        return null;
    }

    private static (int Exit, int Signal) ExitCode(string? text)
    {
        var parts = (text ?? "").Split(':');
        int exit = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) ? e : -1;
        int signal = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        return (exit, signal);
    }

    private static string Message(string stderr, string stdout, int code, string command)
    {
        var text = (stderr.Trim().Length > 0 ? stderr : stdout).Trim();
        return text.Length > 0 ? text.Replace('\n', ' ') : $"{command} exited with code {code}";
    }

    private static (int Code, string Stdout, string Stderr) Run(string command, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(FindOnPath(command) ?? command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{command} did not answer within {Timeout.TotalSeconds:F0} s");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{command}: {e.Message}");
        }
    }

    /// <summary>The full path of <paramref name="command"/> on the PATH, or null.</summary>
    public static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
}
