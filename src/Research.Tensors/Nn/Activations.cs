namespace Research.Tensors.Nn;

/// <summary>The elementwise nonlinearities available as layers.</summary>
public enum Activation
{
    /// <summary>No change.</summary>
    Identity,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>Leaky ReLU with slope 0.01.</summary>
    LeakyRelu,
    /// <summary>ELU with α = 1.</summary>
    Elu,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>log(1 + eˣ).</summary>
    Softplus,
}

/// <summary>An activation function as a layer.</summary>
public sealed class ActivationLayer : Layer
{
    private ActivationLayer(Activation kind) => Kind = kind;

    /// <summary>Which function this layer applies.</summary>
    public Activation Kind { get; }

    /// <summary>A layer applying <paramref name="kind"/>.</summary>
    public static ActivationLayer Create(Activation kind) => new(kind);

    /// <summary>Parses PyTorch-style names: "tanh", "relu", "leaky_relu", "elu", "sigmoid", "softplus", "identity".</summary>
    public static Activation Parse(string name) => name.Trim().ToLowerInvariant().Replace("_", "") switch
    {
        "tanh" => Activation.Tanh,
        "relu" => Activation.Relu,
        "leakyrelu" => Activation.LeakyRelu,
        "elu" => Activation.Elu,
        "sigmoid" => Activation.Sigmoid,
        "softplus" => Activation.Softplus,
        "identity" or "linear" => Activation.Identity,
        _ => throw new ArgumentException($"Unknown activation '{name}'; expected tanh, relu, leaky_relu, elu, sigmoid, softplus or identity.", nameof(name)),
    };

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Kind switch
    {
        Activation.Tanh => input.Tanh(),
        Activation.Relu => input.Relu(),
        Activation.LeakyRelu => input.LeakyRelu(),
        Activation.Elu => input.Elu(),
        Activation.Sigmoid => input.Sigmoid(),
        Activation.Softplus => input.Softplus(),
        _ => input,
    };
}
