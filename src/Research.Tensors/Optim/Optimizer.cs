namespace Research.Tensors.Optim;

/// <summary>
/// Updates parameters from their gradients. Per-parameter state lives in named slots ("exp_avg", …) that
/// <see cref="StateDict"/> exposes as "{index}.{slot}" plus "step", so checkpoints restore it exactly.
/// </summary>
public abstract class Optimizer
{
    private readonly List<KeyValuePair<string, Tensor[]>> _slots = new();
    private double _learningRate;

    /// <summary>An optimizer over <paramref name="parameters"/> (each needs RequiresGrad).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("An optimizer needs at least one parameter.", nameof(parameters));
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (!Parameters[i].IsLeaf || !Parameters[i].IsContiguous || Parameters[i].IsScoped)
                throw new ArgumentException($"Parameter {i} (shape {Tensor.FormatShape(Parameters[i].Shape)}) must be a contiguous leaf created outside any TensorScope.", nameof(parameters));
        }
        LearningRate = learningRate;
    }

    /// <summary>The parameters, in the order their state is indexed.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The step size used by the next <see cref="Step"/>; set it from a schedule between steps.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Learning rate must be a finite number ≥ 0.");
            _learningRate = value;
        }
    }

    /// <summary>How many steps have been taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            Update(i, p.AsSpan(), p.Grad.AsSpan());
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        // Indexed: enumerating the interface would allocate on every training step.
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();
    }

    /// <summary>"step" ([2]: count = high·2²⁴ + low, exact in float32) and a copy of each "{index}.{slot}".</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        var step = Tensor.PersistentZeros(2);
        step.AsSpan()[0] = StepCount >> 24;
        step.AsSpan()[1] = StepCount & 0xFFFFFF;
        state.Add("step", step);
        for (int i = 0; i < Parameters.Count; i++)
        foreach (var (name, tensors) in _slots)
        {
            var copy = Tensor.PersistentZeros(tensors[i].Shape);
            tensors[i].AsSpan().CopyTo(copy.AsSpan());
            state.Add($"{i}.{name}", copy);
        }
        return state;
    }

    /// <summary>Restores what <see cref="StateDict"/> produced; names and shapes must match exactly.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var expected = new List<string> { "step" };
        for (int i = 0; i < Parameters.Count; i++) expected.AddRange(_slots.Select(s => $"{i}.{s.Key}"));
        var missing = expected.Where(k => !state.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"Optimizer state is missing {string.Join(", ", missing)}.", nameof(state));
        var extra = state.Keys.Except(expected).ToList();
        if (extra.Count > 0) throw new ArgumentException($"Optimizer state has unexpected {string.Join(", ", extra)}.", nameof(state));
        if (state["step"].Count != 2) throw new ArgumentException($"Optimizer state 'step' must have shape [2], got {Tensor.FormatShape(state["step"].Shape)}.", nameof(state));
        for (int i = 0; i < Parameters.Count; i++)
        foreach (var (name, tensors) in _slots)
        {
            var source = state[$"{i}.{name}"];
            if (!source.Shape.SequenceEqual(tensors[i].Shape))
                throw new ArgumentException($"Optimizer state {i}.{name} has shape {Tensor.FormatShape(source.Shape)} but parameter {i} has {Tensor.FormatShape(tensors[i].Shape)}.", nameof(state));
        }
        var step = state["step"].Contiguous().AsSpan();
        StepCount = ((long)step[0] << 24) + (long)step[1];
        for (int i = 0; i < Parameters.Count; i++)
        foreach (var (name, tensors) in _slots)
            tensors[i].CopyFrom(state[$"{i}.{name}"].Contiguous().AsSpan());
    }

    /// <summary>Creates a named per-parameter state slot filled with <paramref name="initial"/>.</summary>
    protected Tensor[] AddSlot(string name, float initial)
    {
        var tensors = Parameters.Select(p =>
        {
            var t = Tensor.PersistentZeros(p.Shape);
            if (initial != 0) t.AsSpan().Fill(initial);
            return t;
        }).ToArray();
        _slots.Add(new(name, tensors));
        return tensors;
    }

    /// <summary>Updates parameter <paramref name="index"/> in place; <see cref="StepCount"/> already counts this step.</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);
}
