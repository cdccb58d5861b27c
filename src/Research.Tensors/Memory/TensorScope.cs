using Research.Tensors.Memory;

namespace Research.Tensors;

/// <summary>
/// A region whose tensors (values, gradients of intermediates, graph nodes) return to a per-thread pool when it ends.
/// After the first pass through the same shapes, code inside a scope allocates nothing.
/// </summary>
/// <remarks>
/// Tensors created inside the scope must not be used after it ends: copy results out first
/// (<see cref="Tensor.CopyTo"/>, <see cref="Tensor.Item"/>). Parameters, their gradients and optimizer state are
/// never scoped. Scopes nest; each must be disposed on the thread that began it, innermost first.
/// </remarks>
public readonly struct TensorScope : IDisposable
{
    private readonly ScopeFrame _frame;

    private TensorScope(ScopeFrame frame) => _frame = frame;

    /// <summary>Opens a scope on the current thread.</summary>
    public static TensorScope Begin() => new(ScopeFrame.Push());

    /// <summary>True while any scope is open on the current thread.</summary>
    public static bool IsActive => ScopeFrame.Innermost is not null;

    /// <summary>Recycles every tensor created since <see cref="Begin"/>.</summary>
    public void Dispose()
    {
        if (_frame is not null) ScopeFrame.Pop(_frame);
    }
}
