using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers.Atari;

namespace Research.Rl.Tests.Atari;

/// <summary>
/// A scripted Atari console: RGB frames whose pixels encode the frame number, a life lost every <c>framesPerLife</c> frames,
/// game over (terminated) with the last life, raw rewards <see cref="RewardAt"/>, and a log of every action and reset.
/// </summary>
public sealed class FakeAtariEnv(int height = 210, int width = 160, string[]? meanings = null, int lives = 3, int framesPerLife = 20)
    : IAtariEnv
{
    private int _frame;
    private bool _over = true;

    public Space ObservationSpace { get; } = new Box(0, 255, [height, width, 3], "uint8");
    public Space ActionSpace { get; } = new Discrete((meanings ?? DefaultMeanings).Length);
    public IReadOnlyList<string> ActionMeanings { get; } = meanings ?? DefaultMeanings;
    public int Lives { get; private set; }
    public IReadOnlyDictionary<string, object> Info => new Dictionary<string, object> { ["lives"] = Lives };

    public static readonly string[] DefaultMeanings = ["NOOP", "FIRE", "RIGHT", "LEFT"];

    /// <summary>Every action stepped, in order; a reset is logged as −1.</summary>
    public List<int> Log { get; } = [];

    /// <summary>Frames since the game started.</summary>
    public int Frame => _frame;

    /// <summary>The raw reward of frame <paramref name="frame"/>: 0, 5, 0, −3, 0, 5, … (SB3 clips it to its sign).</summary>
    public static double RewardAt(int frame) => (frame % 4) switch { 1 => 5, 3 => -3, _ => 0 };

    /// <summary>Pixel k of frame f.</summary>
    public static float Pixel(int frame, int k) => (frame * 29 + k * 7 + k / 3 * 11) % 256;

    public void Reset(Span<float> observation, int? seed = null)
    {
        Log.Add(-1);
        _frame = 0;
        Lives = lives;
        _over = false;
        Draw(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_over) throw new InvalidOperationException("FakeAtariEnv: step after game over.");
        Log.Add((int)action[0]);
        _frame++;
        if (_frame % framesPerLife == 0) Lives--;
        _over = Lives == 0;
        Draw(observation);
        return new StepOutcome(RewardAt(_frame), _over, false);
    }

    private void Draw(Span<float> observation)
    {
        for (int k = 0; k < observation.Length; k++) observation[k] = Pixel(_frame, k);
    }

    public RgbFrame Render() => new(1, 1);

    public void Dispose() { }
}
