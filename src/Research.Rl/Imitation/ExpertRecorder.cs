using Research.Abstractions.Environments;
using Research.Abstractions.Experts;
using Research.Abstractions.Imaging;
using Research.Abstractions.Spaces;
using Research.Rl.Evaluation;
using Research.Storage;
using Research.Tensors.Io;

namespace Research.Rl.Imitation;

/// <summary>
/// Plays an expert in an environment and records its transitions in Stable-Baselines' expert layout
/// (<c>generate_expert_traj</c>): observations before each action, the actions, rewards, <c>episode_starts</c> and
/// one return per episode, optionally saved as <c>.npz</c>.
/// </summary>
/// <remarks>
/// Observations that are RGB images (a uint8 Box of shape (H, W, 3)) are written as one PNG per step into
/// <see cref="ExpertRecorderOptions.ImageFolder"/> beside the archive and listed in its manifest (see <see cref="ExpertDataFile"/>);
/// greyscale and RGBA images stay in the archive, as Stable-Baselines does with images it cannot save.
/// </remarks>
public static class ExpertRecorder
{
    /// <summary>Records <paramref name="expert"/> (reset at each episode start) in <paramref name="env"/>; saves to <paramref name="savePath"/> when given.</summary>
    public static ExpertTrajectories Record(IExpert expert, IEnv env, ExpertRecorderOptions options, string? savePath = null, IProgress<RecordingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(expert);
        return Record((observation, action, _) => expert.Act(observation, action), expert.Reset, env, options, savePath, progress);
    }

    /// <summary>Records a policy delegate (for example <c>algorithm.Predict</c>, acting deterministically) in <paramref name="env"/>.</summary>
    public static ExpertTrajectories Record(PolicyFunction policy, IEnv env, ExpertRecorderOptions options, string? savePath = null, IProgress<RecordingProgress>? progress = null) =>
        Record(policy, () => { }, env, options, savePath, progress);

    private static ExpertTrajectories Record(PolicyFunction policy, Action onEpisodeStart, IEnv env, ExpertRecorderOptions options, string? savePath, IProgress<RecordingProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        if (options.NTimesteps <= 0 && options.NEpisodes <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"ExpertRecorder: NEpisodes = {options.NEpisodes} must be positive when NTimesteps is 0.");
        var (observationShape, observationDType) = StoredLayout(env.ObservationSpace, "observation");
        var (actionShape, actionDType) = StoredLayout(env.ActionSpace, "action");

        savePath = savePath is null ? null : Path.GetFullPath(ExpertDataFile.NormalizePath(savePath));
        string? imageDirectory = savePath is not null && IsRgbImage(env.ObservationSpace)
            ? Path.Combine(Path.GetDirectoryName(savePath)!, options.ImageFolder)
            : null;
        if (imageDirectory is not null) Directory.CreateDirectory(imageDirectory);

        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        var observations = new List<float>();
        var paths = imageDirectory is null ? null : new List<string>();
        var actions = new List<float>();
        var rewards = new List<double>();
        var starts = new List<bool>();
        var returns = new List<double>();
        var image = imageDirectory is null ? null : ImageFrame(env.ObservationSpace);

        long steps = 0;
        while (options.NTimesteps > 0 ? steps < options.NTimesteps : returns.Count < options.NEpisodes)
        {
            env.Reset(observation, returns.Count == 0 ? options.Seed : null);
            onEpisodeStart();
            double episodeReturn = 0;
            bool first = true;
            StepOutcome outcome;
            do
            {
                if (image is not null)
                {
                    string relative = $"{options.ImageFolder}/{steps}.png";
                    WritePng(observation, image, Path.Combine(imageDirectory!, $"{steps}.png"));
                    paths!.Add(relative);
                }
                else
                {
                    observations.AddRange(observation);
                }
                policy(observation, action, true);
                outcome = env.Step(action, observation);
                actions.AddRange(action);
                rewards.Add(outcome.Reward);
                starts.Add(first);
                episodeReturn += outcome.Reward;
                first = false;
                steps++;
            }
            while (!outcome.Done);
            returns.Add(episodeReturn);
            progress?.Report(new RecordingProgress(returns.Count, steps, episodeReturn));
        }

        var data = new ExpertTrajectories(
            savePath ?? "recorded trajectories",
            [.. observations], observationShape, [.. actions], actionShape, [.. starts], [.. returns], [.. rewards],
            observationDType, actionDType, paths, savePath is null ? "" : Path.GetDirectoryName(savePath)!);
        if (savePath is not null) ExpertDataFile.Write(savePath, data, options.Compression);
        return data;
    }

    /// <summary>The per-step shape and dtype Stable-Baselines stores a space's values with (Discrete as (1,) int64).</summary>
    private static (int[] Shape, NpyDType DType) StoredLayout(Space space, string what) => space switch
    {
        Discrete => ([1], NpyDType.Int64),
        Box or MultiDiscrete or MultiBinary => ([.. space.Shape], DTypeOf(space.DType, what)),
        _ => throw new ArgumentException($"ExpertRecorder: the {what} space {space} is not supported (Box, Discrete, MultiDiscrete or MultiBinary)."),
    };

    private static NpyDType DTypeOf(string dtype, string what) => dtype switch
    {
        "float32" => NpyDType.Float32,
        "float64" => NpyDType.Float64,
        "int64" => NpyDType.Int64,
        "int32" => NpyDType.Int32,
        "uint8" => NpyDType.UInt8,
        "int8" => NpyDType.Int8,
        "bool" => NpyDType.Bool,
        _ => throw new ArgumentException($"ExpertRecorder: the {what} dtype {dtype} cannot be stored."),
    };

    private static bool IsRgbImage(Space space) => space is Box { Shape: [_, _, 3], DType: "uint8" };

    private static RgbFrame ImageFrame(Space space) => new(space.Shape[1], space.Shape[0]);

    private static void WritePng(ReadOnlySpan<float> observation, RgbFrame frame, string path)
    {
        for (int i = 0; i < observation.Length; i++) frame.Pixels[i] = (byte)observation[i];
        AtomicFile.WriteAllBytes(path, PngEncoder.Encode(frame));
    }
}
