using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers;

/// <summary>One finished episode as reported in <c>info["episode"]</c>: return, length and time in seconds.</summary>
public sealed record EpisodeStatistics(double Return, int Length, double Time);

/// <summary>
/// Tracks each episode's return and length and, when it ends, adds <c>"episode"</c> (an <see cref="EpisodeStatistics"/>)
/// to the info (Gymnasium's <c>RecordEpisodeStatistics</c>; the time is the episode's wall-clock duration).
/// </summary>
public class RecordEpisodeStatistics : EnvWrapper
{
    /// <summary>The info key of the finished episode's statistics.</summary>
    public const string InfoKey = "episode";

    private readonly Dictionary<string, object> _endInfo = [];
    private double _return;
    private int _length;
    private long _episodeStart;
    private bool _ended;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="time"/> (the system clock when null) measures durations.</summary>
    public RecordEpisodeStatistics(IEnv inner, TimeProvider? time = null) : base(inner)
    {
        Time = time ?? TimeProvider.System;
    }

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>The last finished episode, or null before the first one ends.</summary>
    public EpisodeStatistics? LastEpisode { get; private set; }

    /// <summary>Episodes finished so far (vector envs compare it around a step to see whether one ended).</summary>
    public int EpisodesEnded { get; private set; }

    /// <summary>Return of the last finished episode (0 before the first one ends).</summary>
    public double LastReturn => LastEpisode?.Return ?? 0;

    /// <summary>Length of the last finished episode (0 before the first one ends).</summary>
    public int LastLength => LastEpisode?.Length ?? 0;

    public override IReadOnlyDictionary<string, object> Info => _ended ? _endInfo : Inner.Info;

    public override void Reset(Span<float> observation, int? seed = null)
    {
        _return = 0;
        _length = 0;
        _ended = false;
        _episodeStart = Time.GetTimestamp();
        Inner.Reset(observation, seed);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, observation);
        _return += outcome.Reward;
        _length++;
        _ended = outcome.Done;
        if (_ended)
        {
            var episode = new EpisodeStatistics(_return, _length, EpisodeTime());
            LastEpisode = episode;
            EpisodesEnded++;
            _endInfo.Clear();
            foreach (var (key, value) in Inner.Info) _endInfo[key] = value;
            _endInfo[InfoKey] = episode;
            OnEpisodeCompleted(episode);
        }
        return outcome;
    }

    /// <summary>The time reported for an episode that just ended: its duration in seconds, rounded to microseconds.</summary>
    protected virtual double EpisodeTime() => Math.Round(Time.GetElapsedTime(_episodeStart).TotalSeconds, 6);

    /// <summary>Called when an episode ends, after <see cref="LastEpisode"/> is set.</summary>
    protected virtual void OnEpisodeCompleted(EpisodeStatistics episode) { }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_return);
        writer.Write(_length);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _return = reader.ReadDouble();
        _length = reader.ReadInt32();
        _ended = false;
        base.ReadState(reader);
    }
}
