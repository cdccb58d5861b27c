using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;

namespace ResearchPlugin;

/// <summary>The corridor's options.</summary>
public sealed record CorridorOptions
{
    /// <summary>Cells from the start to the goal.</summary>
    [Option("Cells from the start to the goal.", Min = 2)]
    public int Length { get; init; } = 5;
}

/// <summary>Walk left (0) or right (1) along a corridor; reaching the right end pays 1 and ends the episode.</summary>
[Environment("ResearchPlugin.Corridor-v0", MaxEpisodeSteps = 50, RewardThreshold = 1, Description = "Walk right to the end of a corridor.")]
public sealed class CorridorEnv(CorridorOptions options) : IEnv
{
    private int _position;
    private bool _running;

    public CorridorEnv() : this(new CorridorOptions()) { }

    public Space ObservationSpace { get; } = new Box(0, options.Length - 1, [1]);
    public Space ActionSpace { get; } = new Discrete(2);
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

    public void Reset(Span<float> observation, int? seed = null)
    {
        _position = 0;
        _running = true;
        observation[0] = _position;
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (!_running) throw new InvalidOperationException("ResearchPlugin.Corridor-v0: call Reset before Step.");
        ActionSpace.EnsureContains(action, "ResearchPlugin.Corridor-v0", "action");
        _position = Math.Max(0, _position + (action[0] == 1 ? 1 : -1));
        observation[0] = _position;
        bool atGoal = _position == options.Length - 1;
        _running = !atGoal;
        return new StepOutcome(atGoal ? 1 : 0, atGoal, false);
    }

    public RgbFrame Render()
    {
        const int cell = 8;
        var frame = new RgbFrame(options.Length * cell, cell);
        for (int x = 0; x < frame.Width; x++)
        for (int y = 0; y < cell; y++)
        {
            int i = (y * frame.Width + x) * 3;
            byte value = x / cell == _position ? (byte)255 : (byte)90;
            (frame.Pixels[i], frame.Pixels[i + 1], frame.Pixels[i + 2]) = (value, value, value);
        }
        return frame;
    }

    public void Dispose() { }
}
