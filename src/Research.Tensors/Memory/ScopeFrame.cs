namespace Research.Tensors.Memory;

/// <summary>The tensors one open <see cref="TensorScope"/> has handed out; recycled together when the scope ends.</summary>
internal sealed class ScopeFrame
{
    [ThreadStatic] private static List<ScopeFrame>? s_frames;
    [ThreadStatic] private static int s_depth;

    private readonly List<Tensor> _tensors = new();

    public int Depth { get; private set; }

    /// <summary>The innermost open frame on this thread, or null outside any scope.</summary>
    public static ScopeFrame? Innermost => s_depth == 0 ? null : s_frames![s_depth - 1];

    public static ScopeFrame Push()
    {
        var frames = s_frames ??= new List<ScopeFrame>();
        if (frames.Count == s_depth) frames.Add(new ScopeFrame());
        var frame = frames[s_depth];
        frame.Depth = ++s_depth;
        return frame;
    }

    public static void Pop(ScopeFrame frame)
    {
        if (s_depth == 0 || s_frames![s_depth - 1] != frame || frame.Depth != s_depth)
            throw new InvalidOperationException("TensorScope disposed out of order: scopes must end innermost first, on the thread that began them.");
        frame.Release();
        s_depth--;
    }

    public void Track(Tensor tensor) => _tensors.Add(tensor);

    private void Release()
    {
        var pool = TensorPool.Current;
        // Reverse order so views are released before (or with) the storage they look at.
        for (int i = _tensors.Count - 1; i >= 0; i--)
        {
            var tensor = _tensors[i];
            tensor.Recycle(pool);
            pool.ReturnTensor(tensor);
        }
        _tensors.Clear();
    }
}
