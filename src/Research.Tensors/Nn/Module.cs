namespace Research.Tensors.Nn;

/// <summary>
/// A container of named parameters, buffers and child modules (PyTorch's <c>nn.Module</c> without <c>forward</c>;
/// see <see cref="Layer"/>). Names are hierarchical: a child registered as "policy_net" contributes "policy_net.0.weight".
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = new();
    private readonly List<KeyValuePair<string, Tensor>> _buffers = new();
    private readonly List<KeyValuePair<string, Module>> _children = new();

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var child in _children) child.Value.Train(training);
    }

    /// <summary>Switches to evaluation mode (<c>Train(false)</c>).</summary>
    public void Eval() => Train(false);

    /// <summary>Every parameter with its full dotted name, in registration order (depth first).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters() => Named(prefix: "", buffers: false);

    /// <summary>Every buffer (non-trained state) with its full dotted name.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers() => Named(prefix: "", buffers: true);

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>The direct children with their names.</summary>
    public IReadOnlyList<KeyValuePair<string, Module>> Children => _children;

    /// <summary>Zeros the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in NamedParameters()) p.Value.ZeroGrad();
    }

    /// <summary>A copy of every parameter then every buffer, by full name (an independent snapshot).</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (name, tensor) in NamedParameters()) state.Add(name, Snapshot(tensor));
        foreach (var (name, tensor) in NamedBuffers()) state.Add(name, Snapshot(tensor));
        return state;
    }

    /// <summary>Copies <paramref name="state"/> into the parameters and buffers; every name must match and every shape agree.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = NamedParameters().Concat(NamedBuffers()).ToList();
        var missing = own.Where(p => !state.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        if (missing.Count > 0) throw new ArgumentException($"State dict is missing {string.Join(", ", missing)}.", nameof(state));
        var names = own.Select(p => p.Key).ToHashSet();
        var extra = state.Keys.Where(k => !names.Contains(k)).ToList();
        if (extra.Count > 0) throw new ArgumentException($"State dict has unexpected {string.Join(", ", extra)}.", nameof(state));
        foreach (var (name, tensor) in own)
        {
            var source = state[name];
            if (!source.Shape.SequenceEqual(tensor.Shape))
                throw new ArgumentException($"State dict entry {name} has shape {Tensor.FormatShape(source.Shape)} but the module expects {Tensor.FormatShape(tensor.Shape)}.", nameof(state));
        }
        foreach (var (name, tensor) in own) tensor.CopyFrom(state[name].Contiguous().AsSpan());
    }

    /// <summary>Registers a trainable tensor under <paramref name="name"/> and marks it as requiring grad.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        EnsureRegistrable(name, parameter);
        parameter.RequiresGrad = true;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers state that is saved with the module but not trained.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        EnsureRegistrable(name, buffer);
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Registers a child whose parameters appear under "<paramref name="name"/>.".</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        EnsureNameFree(name);
        _children.Add(new(name, module));
        return module;
    }

    private static Tensor Snapshot(Tensor tensor)
    {
        var copy = Tensor.PersistentZeros(tensor.Shape);
        tensor.CopyTo(copy.AsSpan());
        return copy;
    }

    private void EnsureRegistrable(string name, Tensor tensor)
    {
        EnsureNameFree(name);
        if (tensor.IsScoped)
            throw new InvalidOperationException($"Cannot register '{name}': it was created inside a TensorScope and would be recycled. Create module state outside scopes.");
    }

    private void EnsureNameFree(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"Module member name '{name}' must be non-empty and contain no dots.", nameof(name));
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(p => p.Key == name) || _children.Any(p => p.Key == name))
            throw new ArgumentException($"Module member name '{name}' is already registered.", nameof(name));
    }

    private IEnumerable<KeyValuePair<string, Tensor>> Named(string prefix, bool buffers)
    {
        foreach (var (name, tensor) in buffers ? _buffers : _parameters) yield return new(prefix + name, tensor);
        foreach (var (name, child) in _children)
        foreach (var entry in child.Named(prefix + name + ".", buffers))
            yield return entry;
    }
}

/// <summary>A module with a single-input forward pass, so it can be chained in a <see cref="Sequential"/>.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);
}
