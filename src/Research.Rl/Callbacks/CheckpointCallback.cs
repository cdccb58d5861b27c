using Research.Abstractions.Algorithms;

namespace Research.Rl.Callbacks;

/// <summary>Saves the model every <c>saveFreq</c> calls to <c>&lt;savePath&gt;/&lt;namePrefix&gt;_&lt;timesteps&gt;_steps.zip</c>, as Stable-Baselines' <c>CheckpointCallback</c>.</summary>
public sealed class CheckpointCallback : TrainingCallback
{
    private readonly TextWriter _output;
    private long _calls;

    /// <summary>Creates the callback; <paramref name="saveFreq"/> counts vector steps (so timesteps between saves are <c>saveFreq × n_envs</c>).</summary>
    public CheckpointCallback(int saveFreq, string savePath, string namePrefix = "rl_model", int verbose = 0, TextWriter? output = null)
    {
        if (saveFreq <= 0) throw new ArgumentOutOfRangeException(nameof(saveFreq), saveFreq, "CheckpointCallback: save_freq must be positive.");
        ArgumentException.ThrowIfNullOrEmpty(savePath);
        ArgumentException.ThrowIfNullOrEmpty(namePrefix);
        SaveFreq = saveFreq;
        SavePath = savePath;
        NamePrefix = namePrefix;
        Verbose = verbose;
        _output = output ?? Console.Out;
    }

    /// <summary>Vector steps between saves.</summary>
    public int SaveFreq { get; }

    /// <summary>Folder of the saved models.</summary>
    public string SavePath { get; }

    /// <summary>Start of each file name.</summary>
    public string NamePrefix { get; }

    /// <summary>1 prints each save.</summary>
    public int Verbose { get; }

    /// <summary>The file a save at <paramref name="numTimesteps"/> goes to.</summary>
    public string ModelPath(long numTimesteps) => Path.Combine(SavePath, $"{NamePrefix}_{numTimesteps}_steps.zip");

    /// <inheritdoc />
    public override void OnTrainingStart(IAlgorithm algorithm) => Directory.CreateDirectory(SavePath);

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        _calls++;
        if (_calls % SaveFreq == 0)
        {
            var path = ModelPath(algorithm.NumTimesteps);
            algorithm.Save(path);
            if (Verbose >= 2) _output.WriteLine($"Saving model checkpoint to {path}");
        }
        return true;
    }
}
