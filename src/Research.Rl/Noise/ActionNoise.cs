using Research.Tensors;

namespace Research.Rl.Noise;

/// <summary>
/// Exploration noise added to a deterministic action of one environment (Stable-Baselines' <c>ActionNoise</c>): a vector of
/// <see cref="Size"/> values per call, drawn from the algorithm's generator, with a <see cref="Reset"/> at episode ends.
/// </summary>
/// <remarks>Values are computed in double precision and rounded to float32, as SB3's NumPy noise is.</remarks>
public abstract class ActionNoise
{
    /// <summary>Noise of <paramref name="size"/> values per call.</summary>
    protected ActionNoise(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
    }

    /// <summary>Values per call (the action's size).</summary>
    public int Size { get; }

    /// <summary>Writes the next <see cref="Size"/> noise values.</summary>
    public abstract void Sample(Span<float> destination, Generator generator);

    /// <summary>Called at the end of an episode (returns a stateful process to its start).</summary>
    public virtual void Reset() { }

    /// <summary>A fresh copy with the same settings (one per environment of a vector env).</summary>
    public abstract ActionNoise Clone();

    /// <summary>Writes the process state (for checkpoints).</summary>
    public virtual void WriteState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public virtual void ReadState(BinaryReader reader) { }

    /// <summary>Checks that a per-dimension setting has <paramref name="size"/> values (or one, broadcast) and returns it at full length.</summary>
    protected static double[] PerDimension(IReadOnlyList<double> values, int size, string name)
    {
        if (values.Count == size) return [.. values];
        if (values.Count == 1) return Enumerable.Repeat(values[0], size).ToArray();
        throw new ArgumentException($"Action noise: {name} has {values.Count} values, expected 1 or {size} (one per action dimension).", name);
    }
}

/// <summary>Independent Gaussian noise N(mean, sigma²) per dimension (Stable-Baselines' <c>NormalActionNoise</c>).</summary>
public sealed class NormalActionNoise : ActionNoise
{
    private readonly double[] _mean, _sigma;

    /// <summary>Noise with <paramref name="mean"/> and standard deviation <paramref name="sigma"/> per dimension (one value broadcasts to <paramref name="size"/>).</summary>
    public NormalActionNoise(int size, IReadOnlyList<double> mean, IReadOnlyList<double> sigma) : base(size)
    {
        _mean = PerDimension(mean, size, nameof(mean));
        _sigma = PerDimension(sigma, size, nameof(sigma));
        if (_sigma.Any(s => !(s >= 0))) throw new ArgumentOutOfRangeException(nameof(sigma), "Action noise: sigma must be ≥ 0.");
    }

    /// <inheritdoc />
    public override void Sample(Span<float> destination, Generator generator)
    {
        for (int k = 0; k < Size; k++) destination[k] = (float)(_mean[k] + _sigma[k] * generator.NextNormal());
    }

    /// <inheritdoc />
    public override ActionNoise Clone() => new NormalActionNoise(Size, _mean, _sigma);
}

/// <summary>
/// An Ornstein–Uhlenbeck process (Stable-Baselines' <c>OrnsteinUhlenbeckActionNoise</c>):
/// x ← x + θ(μ − x)·dt + σ·√dt·N(0, 1), temporally correlated; <see cref="Reset"/> returns x to its initial value (0 by default).
/// </summary>
public sealed class OrnsteinUhlenbeckActionNoise : ActionNoise
{
    private readonly double[] _mean, _sigma, _initial, _previous;
    private readonly double _theta, _dt;

    /// <summary>The process with mean <paramref name="mean"/>, scale <paramref name="sigma"/>, mean reversion <paramref name="theta"/> and time step <paramref name="dt"/>.</summary>
    public OrnsteinUhlenbeckActionNoise(int size, IReadOnlyList<double> mean, IReadOnlyList<double> sigma, double theta = 0.15, double dt = 1e-2,
        IReadOnlyList<double>? initialNoise = null) : base(size)
    {
        _mean = PerDimension(mean, size, nameof(mean));
        _sigma = PerDimension(sigma, size, nameof(sigma));
        if (_sigma.Any(s => !(s >= 0))) throw new ArgumentOutOfRangeException(nameof(sigma), "Action noise: sigma must be ≥ 0.");
        if (!(theta >= 0) || !(dt > 0)) throw new ArgumentOutOfRangeException(nameof(theta), $"Ornstein-Uhlenbeck noise needs theta ≥ 0 and dt > 0, got theta {theta}, dt {dt}.");
        _theta = theta;
        _dt = dt;
        _initial = initialNoise is null ? new double[size] : PerDimension(initialNoise, size, nameof(initialNoise));
        _previous = new double[size];
        Reset();
    }

    /// <summary>The current value of the process (x).</summary>
    public ReadOnlySpan<double> Current => _previous;

    /// <inheritdoc />
    public override void Sample(Span<float> destination, Generator generator)
    {
        double scale = Math.Sqrt(_dt);
        for (int k = 0; k < Size; k++)
        {
            double x = _previous[k] + _theta * (_mean[k] - _previous[k]) * _dt + _sigma[k] * scale * generator.NextNormal();
            _previous[k] = x;
            destination[k] = (float)x;
        }
    }

    /// <inheritdoc />
    public override void Reset() => _initial.CopyTo(_previous, 0);

    /// <inheritdoc />
    public override ActionNoise Clone() => new OrnsteinUhlenbeckActionNoise(Size, _mean, _sigma, _theta, _dt, _initial);

    /// <inheritdoc />
    public override void WriteState(BinaryWriter writer)
    {
        foreach (double x in _previous) writer.Write(x);
    }

    /// <inheritdoc />
    public override void ReadState(BinaryReader reader)
    {
        for (int k = 0; k < Size; k++) _previous[k] = reader.ReadDouble();
    }
}

/// <summary>One copy of a noise process per environment (Stable-Baselines' <c>VectorizedActionNoise</c>), each reset on its own episode ends.</summary>
public sealed class VectorizedActionNoise
{
    private readonly ActionNoise[] _noises;

    /// <summary><paramref name="environments"/> independent copies of <paramref name="baseNoise"/>, each starting from its reset state.</summary>
    public VectorizedActionNoise(ActionNoise baseNoise, int environments)
    {
        ArgumentNullException.ThrowIfNull(baseNoise);
        if (environments < 1) throw new ArgumentOutOfRangeException(nameof(environments), environments, "Vectorized action noise needs n_envs ≥ 1.");
        BaseNoise = baseNoise;
        _noises = new ActionNoise[environments];
        for (int e = 0; e < environments; e++)
        {
            _noises[e] = baseNoise.Clone();
            _noises[e].Reset();
        }
    }

    /// <summary>The process every environment has a copy of.</summary>
    public ActionNoise BaseNoise { get; }

    /// <summary>Number of environments.</summary>
    public int Count => _noises.Length;

    /// <summary>The process of environment <paramref name="index"/>.</summary>
    public ActionNoise this[int index] => _noises[index];

    /// <summary>Writes one noise vector per environment, environment by environment (<c>Count × Size</c> values).</summary>
    public void Sample(Span<float> destination, Generator generator)
    {
        int size = BaseNoise.Size;
        for (int e = 0; e < _noises.Length; e++) _noises[e].Sample(destination.Slice(e * size, size), generator);
    }

    /// <summary>Resets the process of environment <paramref name="index"/> (its episode ended).</summary>
    public void Reset(int index) => _noises[index].Reset();

    /// <summary>Resets every environment's process.</summary>
    public void Reset()
    {
        foreach (var noise in _noises) noise.Reset();
    }

    /// <summary>Writes every environment's process state.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_noises.Length);
        foreach (var noise in _noises) noise.WriteState(writer);
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote; the number of environments must match.</summary>
    public void ReadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != _noises.Length) throw new InvalidDataException($"Action noise state is for {count} environments, this run has {_noises.Length}.");
        foreach (var noise in _noises) noise.ReadState(reader);
    }
}
