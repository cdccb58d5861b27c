namespace Research.Tensors;

/// <summary>Whether operations record the graph for <see cref="Tensor.Backward"/> on the current thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int s_disabledDepth;

    /// <summary>True unless inside a <see cref="NoGrad"/> scope.</summary>
    public static bool IsEnabled => s_disabledDepth == 0;

    /// <summary>Stops recording until the returned scope is disposed (like <c>torch.no_grad()</c>).</summary>
    public static NoGradScope NoGrad()
    {
        s_disabledDepth++;
        return new NoGradScope(true);
    }

    internal static void Leave() => s_disabledDepth--;
}

/// <summary>Ends a <see cref="GradMode.NoGrad"/> region when disposed.</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly bool _active;

    internal NoGradScope(bool active) => _active = active;

    /// <summary>Re-enables recording (if no outer no-grad scope is open).</summary>
    public void Dispose()
    {
        if (_active) GradMode.Leave();
    }
}
