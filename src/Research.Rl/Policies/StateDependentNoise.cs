using Research.Tensors;
using Research.Tensors.Distributions;

namespace Research.Rl.Policies;

/// <summary>
/// The sampling side of gSDE for a policy (Stable-Baselines' <c>StateDependentNoiseDistribution</c> state): the exploration
/// matrices drawn by <see cref="Reset"/> and the span-level actions, noise and probabilities that prediction and rollouts use
/// without allocating. The differentiable log-probability lives in <see cref="StateDependentNoiseDistribution"/>.
/// </summary>
/// <remarks>
/// As SB3, <see cref="Reset"/> draws one matrix W [latent, actions] and then one per environment; a batch whose size equals the
/// number of per-environment matrices (and is not 1) gets a matrix per row, any other batch (one observation, say) gets W.
/// </remarks>
public sealed class StateDependentNoise
{
    private readonly Tensor _logStd;
    private readonly int _latent, _actions;
    private readonly float[] _matrix, _std;
    private float[] _matrices = [];

    /// <summary>Noise for <paramref name="actions"/> action dimensions driven by <paramref name="latent"/> features, with std from <paramref name="logStd"/> ([latent, actions or 1]).</summary>
    public StateDependentNoise(Tensor logStd, int latent, int actions, bool useExpln)
    {
        _logStd = logStd;
        _latent = latent;
        _actions = actions;
        UseExpln = useExpln;
        _matrix = new float[latent * actions];
        _std = new float[latent * actions];
    }

    /// <summary>Whether the std is expln(log std) rather than exp(log std).</summary>
    public bool UseExpln { get; }

    /// <summary>Per-environment matrices drawn by the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>SB3's <c>sample_weights</c>: draws W, then <paramref name="count"/> per-environment matrices, each element N(0, std²) in row-major order.</summary>
    public void Reset(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        WriteStd(_std);
        Draw(_matrix, generator);
        if (_matrices.Length < count * _matrix.Length) _matrices = new float[count * _matrix.Length];
        for (int i = 0; i < count; i++) Draw(_matrices.AsSpan(i * _matrix.Length, _matrix.Length), generator);
        Count = count;
    }

    /// <summary>Actions per row: the mean, plus latent·W (W per row or shared, see the remarks) unless <paramref name="deterministic"/>.</summary>
    public void WriteActions(ReadOnlySpan<float> mean, ReadOnlySpan<float> latent, int batch, bool deterministic, Span<float> actions)
    {
        mean[..(batch * _actions)].CopyTo(actions);
        if (deterministic) return;
        bool perRow = batch != 1 && batch == Count;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> w = perRow ? _matrices.AsSpan(b * _matrix.Length, _matrix.Length) : _matrix;
            var row = latent.Slice(b * _latent, _latent);
            for (int a = 0; a < _actions; a++)
            {
                float noise = 0;
                for (int l = 0; l < _latent; l++) noise += row[l] * w[l * _actions + a];
                actions[b * _actions + a] += noise;
            }
        }
    }

    /// <summary>Per row: the mean, then the action's standard deviation √((latent²)·(std²) + ε).</summary>
    public void WriteProbabilities(ReadOnlySpan<float> mean, ReadOnlySpan<float> latent, int batch, Span<float> destination)
    {
        Span<float> std = _std;
        WriteStd(std);
        for (int b = 0; b < batch; b++)
        {
            var row = latent.Slice(b * _latent, _latent);
            for (int a = 0; a < _actions; a++)
            {
                float variance = 0;
                for (int l = 0; l < _latent; l++) variance += row[l] * row[l] * std[l * _actions + a] * std[l * _actions + a];
                destination[b * 2 * _actions + a] = mean[b * _actions + a];
                destination[b * 2 * _actions + _actions + a] = MathF.Sqrt(variance + StateDependentNoiseDistribution.Epsilon);
            }
        }
    }

    /// <summary>Writes the matrices (for checkpoints: a restored run continues with the same exploration).</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Count);
        foreach (float v in _matrix) writer.Write(v);
        for (int k = 0; k < Count * _matrix.Length; k++) writer.Write(_matrices[k]);
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException($"gSDE state: negative matrix count {count}.");
        for (int k = 0; k < _matrix.Length; k++) _matrix[k] = reader.ReadSingle();
        if (_matrices.Length < count * _matrix.Length) _matrices = new float[count * _matrix.Length];
        for (int k = 0; k < count * _matrix.Length; k++) _matrices[k] = reader.ReadSingle();
        Count = count;
    }

    /// <summary>std per matrix element, [latent, actions] row-major (a [latent, 1] log std broadcast over actions).</summary>
    private void WriteStd(Span<float> destination)
    {
        var logStd = _logStd.AsSpan();
        bool full = logStd.Length == destination.Length;
        for (int l = 0; l < _latent; l++)
        for (int a = 0; a < _actions; a++)
            destination[l * _actions + a] = StateDependentNoiseDistribution.StdOf(logStd[full ? l * _actions + a : l], UseExpln);
    }

    private void Draw(Span<float> matrix, Generator generator)
    {
        for (int k = 0; k < matrix.Length; k++) matrix[k] = _std[k] * (float)generator.NextNormal();
    }
}
