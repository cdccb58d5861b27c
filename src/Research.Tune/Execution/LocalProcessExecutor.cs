using System.Diagnostics;

namespace Research.Tune;

/// <summary>The command that runs one trial; <c>{trial_dir}</c> in an argument is replaced by the trial's directory.</summary>
public sealed record TrialCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The placeholder for the trial directory.</summary>
    public const string TrialDirPlaceholder = "{trial_dir}";

    /// <summary>Environment variables set for the trial process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>research trial run {trial_dir}</c> through the running executable (or <c>dotnet research.dll</c>).</summary>
    public static TrialCommand CurrentExecutable(params string[] arguments)
    {
        string process = System.Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        bool viaDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        string? entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return viaDotnet && !string.IsNullOrEmpty(entry)
            ? new TrialCommand(process, [entry, .. arguments])
            : new TrialCommand(process, arguments);
    }
}

/// <summary>Runs each trial as a child process on this machine, its output appended to the trial's <c>stdout.log</c>/<c>stderr.log</c>.</summary>
public sealed class LocalProcessExecutor(TrialCommand command) : ITrialExecutor
{
    public ITrialHandle Start(string trialDir)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string full = Path.GetFullPath(trialDir);
        foreach (var argument in command.Arguments)
            info.ArgumentList.Add(argument.Replace(TrialCommand.TrialDirPlaceholder, full, StringComparison.Ordinal));
        foreach (var (key, value) in command.Environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{command.FileName}'.");
        return new LocalTrialHandle(process, full);
    }

    private sealed class LocalTrialHandle : ITrialHandle
    {
        private readonly Process _process;

        public LocalTrialHandle(Process process, string trialDir)
        {
            _process = process;
            var stdout = PumpAsync(process.StandardOutput.BaseStream, Path.Combine(trialDir, TrialFiles.Stdout));
            var stderr = PumpAsync(process.StandardError.BaseStream, Path.Combine(trialDir, TrialFiles.Stderr));
            Exited = WaitAsync(stdout, stderr);
        }

        public Task<int> Exited { get; }

        public void Kill()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }
        }

        public void Dispose() => _process.Dispose();

        private async Task<int> WaitAsync(Task stdout, Task stderr)
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            return _process.ExitCode;
        }

        private static async Task PumpAsync(Stream source, string path)
        {
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            var buffer = new byte[4096];
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                await file.FlushAsync().ConfigureAwait(false);
            }
        }
    }
}
