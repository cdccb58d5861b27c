namespace Research.Tensors.Nn;

/// <summary>Layers applied in order, named "0", "1", … as PyTorch's <c>nn.Sequential</c>.</summary>
public class Sequential : Layer
{
    private readonly List<Layer> _layers = new();

    /// <summary>A chain of <paramref name="layers"/>.</summary>
    public Sequential(params IEnumerable<Layer> layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Appends a layer under the next index.</summary>
    public void Add(Layer layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }
}

/// <summary>
/// A multilayer perceptron: Linear layers between consecutive <c>sizes</c> with the activation after each hidden one
/// (and after the last when <c>activateOutput</c>), as SB3's <c>create_mlp</c>. Parameter names: "0.weight", "2.weight", ….
/// With <c>layerNorm</c> a <see cref="LayerNorm"/> sits between each activated Linear and its activation (SB3's
/// <c>post_linear_modules=[nn.LayerNorm]</c>, the layer normalisation of Stable-Baselines 2's <c>LnMlpPolicy</c>).
/// </summary>
public sealed class Mlp : Sequential
{
    /// <summary>Builds the layers, drawing initial weights from <paramref name="generator"/>.</summary>
    public Mlp(IReadOnlyList<int> sizes, Activation activation, Generator generator, bool activateOutput = false, bool layerNorm = false)
    {
        if (sizes.Count < 2) throw new ArgumentException($"Mlp needs at least an input and an output size, got {sizes.Count} sizes.", nameof(sizes));
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            Add(new Linear(sizes[i], sizes[i + 1], generator));
            if (i + 2 < sizes.Count || activateOutput)
            {
                if (layerNorm) Add(new LayerNorm(sizes[i + 1]));
                Add(ActivationLayer.Create(activation));
            }
        }
    }
}
