using Research.Tune.TrialWorker;

namespace Research.Tune.Tests;

/// <summary>A fresh directory, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tune-tests-").FullName;

    public string File(string name, string text)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A straggling trial process may still hold a file; the OS temp cleaner gets it.
        }
    }
}

internal static class Specs
{
    /// <summary>A spec for the fake algorithm, written to <paramref name="dir"/>; <paramref name="body"/> adds config, stop and settings.</summary>
    public static string Write(TempDir dir, string body, string name = "exp") => dir.File($"{name}.yaml", $"""
        name: {name}
        algorithm: Fake
        env: FakeEnv-v0
        output: {dir.Path}
        seed: 7
        {body}
        """);

    public static SweepSpec Load(TempDir dir, string body, string name = "exp") => SpecLoader.LoadFile(Write(dir, body, name));

    /// <summary>Every row's training_iteration in a trial's result.json.</summary>
    public static List<int> Iterations(string trialDir) =>
        ResultLine.ReadAll(trialDir).Select(r => (int)r["training_iteration"]).ToList();
}

internal static class Worker
{
    /// <summary>The TrialWorker fixture, copied next to the tests by the project reference.</summary>
    public static string Dll => typeof(FakeAlgorithm).Assembly.Location;

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static TrialCommand TrialCommand => new(Dotnet, [Dll, "trial", Research.Tune.TrialCommand.TrialDirPlaceholder]);

    public static SweepRunner InProcessRunner(SweepRunnerOptions? options = null) =>
        new(new FakeTrialFactory(), new InProcessExecutor(new FakeTrialFactory()), options ?? Fast);

    public static SweepRunner ProcessRunner(SweepRunnerOptions? options = null) =>
        new(new FakeTrialFactory(), new LocalProcessExecutor(TrialCommand), options ?? Fast);

    public static readonly SweepRunnerOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(20) };
}
