using Research.Tensors.Io;

namespace Research.Rl.Imitation;

/// <summary>What <see cref="ExpertRecorder"/> records (Stable-Baselines' <c>generate_expert_traj</c> arguments).</summary>
public sealed record ExpertRecorderOptions
{
    /// <summary>Episodes to record (used when <see cref="NTimesteps"/> is 0).</summary>
    public int NEpisodes { get; init; } = 100;

    /// <summary>When positive, record whole episodes until at least this many steps are recorded (overrides <see cref="NEpisodes"/>).</summary>
    public long NTimesteps { get; init; }

    /// <summary>Seed of the first reset; later episodes continue the environment's generator. Null leaves it unseeded.</summary>
    public int? Seed { get; init; }

    /// <summary>Folder (relative to the archive's directory) that receives one PNG per step for RGB image observations.</summary>
    public string ImageFolder { get; init; } = "recorded_images";

    /// <summary>Whether the archive is stored (as <c>np.savez</c>) or deflated (as <c>np.savez_compressed</c>).</summary>
    public NpzCompression Compression { get; init; } = NpzCompression.Stored;
}

/// <summary>Progress of a recording, reported after each episode.</summary>
public readonly record struct RecordingProgress(int Episodes, long Timesteps, double LastEpisodeReturn);
