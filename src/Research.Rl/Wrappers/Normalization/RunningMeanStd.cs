using System.Numerics;

namespace Research.Rl.Wrappers.Normalization;

/// <summary>
/// Element-wise running mean and (population) variance merged batch by batch with the parallel algorithm of Chan et al.,
/// as Stable-Baselines' <c>RunningMeanStd</c>: the mean starts at 0, the variance at 1 and the count at a small epsilon.
/// </summary>
public sealed class RunningMeanStd
{
    private readonly double[] _batchMean;
    private readonly double[] _batchVar;

    /// <summary>Statistics of vectors of <paramref name="size"/> elements, with the count starting at <paramref name="epsilon"/>.</summary>
    public RunningMeanStd(int size, double epsilon = 1e-4)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Mean = new double[size];
        Var = new double[size];
        Array.Fill(Var, 1.0);
        Count = epsilon;
        _batchMean = new double[size];
        _batchVar = new double[size];
    }

    /// <summary>Number of elements per vector.</summary>
    public int Size => Mean.Length;

    /// <summary>Running mean of each element.</summary>
    public double[] Mean { get; }

    /// <summary>Running population variance of each element.</summary>
    public double[] Var { get; }

    /// <summary>Number of vectors seen, plus the initial epsilon.</summary>
    public double Count { get; private set; }

    /// <summary>Merges a batch of vectors laid out row after row (<c>[rows × Size]</c>).</summary>
    public void Update<T>(ReadOnlySpan<T> batch) where T : INumberBase<T>
    {
        if (batch.Length == 0 || batch.Length % Size != 0)
            throw new ArgumentException($"RunningMeanStd: a batch of {batch.Length} values is not a whole number of rows of {Size}.", nameof(batch));
        int rows = batch.Length / Size;
        Array.Clear(_batchMean);
        Array.Clear(_batchVar);
        for (int r = 0; r < rows; r++)
        {
            var row = batch.Slice(r * Size, Size);
            for (int k = 0; k < Size; k++) _batchMean[k] += double.CreateTruncating(row[k]);
        }
        for (int k = 0; k < Size; k++) _batchMean[k] /= rows;
        for (int r = 0; r < rows; r++)
        {
            var row = batch.Slice(r * Size, Size);
            for (int k = 0; k < Size; k++)
            {
                double d = double.CreateTruncating(row[k]) - _batchMean[k];
                _batchVar[k] += d * d;
            }
        }
        for (int k = 0; k < Size; k++) _batchVar[k] /= rows;
        UpdateFromMoments(_batchMean, _batchVar, rows);
    }

    /// <summary>Merges a batch given by its mean, population variance and count.</summary>
    public void UpdateFromMoments(ReadOnlySpan<double> batchMean, ReadOnlySpan<double> batchVar, double batchCount)
    {
        double total = Count + batchCount;
        for (int k = 0; k < Size; k++)
        {
            double delta = batchMean[k] - Mean[k];
            double m2 = Var[k] * Count + batchVar[k] * batchCount + delta * delta * Count * batchCount / total;
            Mean[k] += delta * batchCount / total;
            Var[k] = m2 / total;
        }
        Count = total;
    }

    /// <summary>
    /// Writes <c>clip((x − mean) / sqrt(var + epsilon), ±clip)</c> for elements <paramref name="offset"/> …
    /// <paramref name="offset"/> + <paramref name="value"/>.Length − 1 of the statistics.
    /// </summary>
    public void Normalize(ReadOnlySpan<float> value, Span<float> destination, int offset, double clip, double epsilon)
    {
        for (int k = 0; k < value.Length; k++)
        {
            double z = (value[k] - Mean[offset + k]) / Math.Sqrt(Var[offset + k] + epsilon);
            destination[k] = (float)Math.Clamp(z, -clip, clip);
        }
    }

    /// <summary>Writes the mean, variance and count.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Size);
        foreach (double m in Mean) writer.Write(m);
        foreach (double v in Var) writer.Write(v);
        writer.Write(Count);
    }

    /// <summary>Reads what <see cref="Write"/> wrote, for statistics of the same size.</summary>
    public void Read(BinaryReader reader)
    {
        int size = reader.ReadInt32();
        if (size != Size) throw new InvalidDataException($"RunningMeanStd: the state has {size} elements, expected {Size}.");
        for (int k = 0; k < Size; k++) Mean[k] = reader.ReadDouble();
        for (int k = 0; k < Size; k++) Var[k] = reader.ReadDouble();
        Count = reader.ReadDouble();
    }

    /// <summary>Adds <c>{prefix}.mean</c>, <c>{prefix}.var</c> and <c>{prefix}.count</c> to <paramref name="arrays"/>.</summary>
    public void Export(IDictionary<string, double[]> arrays, string prefix)
    {
        arrays[prefix + ".mean"] = [.. Mean];
        arrays[prefix + ".var"] = [.. Var];
        arrays[prefix + ".count"] = [Count];
    }

    /// <summary>Loads what <see cref="Export"/> wrote; <paramref name="owner"/> names the caller in errors.</summary>
    public void Import(IReadOnlyDictionary<string, double[]> arrays, string prefix, string owner)
    {
        double[] Get(string name, int length)
        {
            string key = prefix + "." + name;
            if (!arrays.TryGetValue(key, out var array))
                throw new KeyNotFoundException($"{owner}: statistics array '{key}' is missing; present: {string.Join(", ", arrays.Keys)}.");
            if (array.Length != length)
                throw new ArgumentException($"{owner}: statistics array '{key}' has {array.Length} values, expected {length}.");
            return array;
        }

        var mean = Get("mean", Size);
        var variance = Get("var", Size);
        var count = Get("count", 1);
        mean.CopyTo(Mean, 0);
        variance.CopyTo(Var, 0);
        Count = count[0];
    }
}
