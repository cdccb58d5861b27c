using System.Runtime.CompilerServices;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Tests.Imitation;

/// <summary>Small deterministic environments and paths for the imitation tests.</summary>
internal static class ImitationFixtures
{
    /// <summary>The committed NumPy-written fixtures (found from this source file, so the test project needs no copy rule).</summary>
    public static string Fixture(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "fixtures", name);

    /// <summary>A fresh temporary directory for one test.</summary>
    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "research-imitation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>
/// Episodes of <c>length</c> steps; observation [seed-dependent start + step, step]; reward = action + 1; Discrete(2) actions.
/// </summary>
internal sealed class CountingEnv(int length) : IEnv
{
    private float _start;
    private int _step;
    private int _episodes;

    public Space ObservationSpace { get; } = new Box(-1000, 1000, [2]);
    public Space ActionSpace { get; } = new Discrete(2);
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;
    public List<int?> ResetSeeds { get; } = [];

    public void Reset(Span<float> observation, int? seed = null)
    {
        ResetSeeds.Add(seed);
        _start = seed is { } s ? s * 10 : _start + 100;
        _step = 0;
        _episodes++;
        Write(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        ActionSpace.EnsureContains(action, "CountingEnv", "action");
        _step++;
        Write(observation);
        return new StepOutcome(action[0] + 1, _step == length, false);
    }

    public RgbFrame Render() => new(1, 1);

    public void Dispose() { }

    private void Write(Span<float> observation)
    {
        observation[0] = _start + _step;
        observation[1] = _step;
    }
}

/// <summary>RGB image observations (4 × 5 × 3, uint8) whose pixels encode the episode and step; Discrete(3) actions; 3 steps per episode.</summary>
internal sealed class ImageEnv : IEnv
{
    public const int Height = 4, Width = 5, Length = 3;
    private int _episode = -1, _step;

    public Space ObservationSpace { get; } = new Box(0, 255, [Height, Width, 3], "uint8");
    public Space ActionSpace { get; } = new Discrete(3);
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

    public static float Pixel(int episode, int step, int i) => (episode * 31 + step * 7 + i * 3) % 256;

    public void Reset(Span<float> observation, int? seed = null)
    {
        _episode++;
        _step = 0;
        Write(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _step++;
        Write(observation);
        return new StepOutcome(1, _step == Length, false);
    }

    public RgbFrame Render() => new(Width, Height);

    public void Dispose() { }

    private void Write(Span<float> observation)
    {
        for (int i = 0; i < observation.Length; i++) observation[i] = Pixel(_episode, _step, i);
    }
}
