using System.Text.Json.Nodes;
using Research.Plugins.Gymnasium;

namespace Research.Plugins.Gymnasium.Tests;

/// <summary>How the tests reach Python and the fixture envs.</summary>
internal static class Bridge
{
    /// <summary>The interpreter: $RESEARCH_TEST_PYTHON, else Debian's /usr/bin/python3 (with NumPy), else python3 on the PATH.</summary>
    public static string Python { get; } =
        Environment.GetEnvironmentVariable("RESEARCH_TEST_PYTHON") is { Length: > 0 } p ? p
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static string Fixtures { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "python");

    public static GymnasiumOptions Options(int workers = 1, double timeout = 30) =>
        new() { Python = Python, PythonPath = Fixtures, Workers = workers, Timeout = timeout, StartupTimeout = 120, RenderMode = "none" };

    /// <summary>A vector env of fixture <paramref name="env"/> (a class in bridge_fixtures.py).</summary>
    public static GymVectorEnv Vector(string env, int count, int workers = 1, JsonObject? kwargs = null, double timeout = 30) =>
        new($"bridge_fixtures:{env}", count, kwargs ?? [], Options(workers, timeout), GymnasiumFamily.BridgePath);
}
