namespace Research.Tensors.Autograd;

/// <summary>Runs the recorded graph backwards from a root: topological order, then each node once.</summary>
internal static class Backprop
{
    [ThreadStatic] private static List<Tensor>? s_order;
    [ThreadStatic] private static Stack<(Tensor Tensor, int NextInput)>? s_stack;
    private static int s_visitCounter;

    /// <summary>True when an op on these inputs should record a node.</summary>
    public static bool Needed(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    public static bool Needed(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    public static bool Needed(Tensor a, Tensor b, Tensor c) => (a.RequiresGrad || b.RequiresGrad || c.RequiresGrad) && GradMode.IsEnabled;

    public static void Run(Tensor root, Tensor? seed)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward() called on a tensor that does not require grad (no input had RequiresGrad set, or it was computed under NoGrad).");
        if (seed is null && root.CountValue != 1)
            throw new InvalidOperationException($"Backward() without a gradient needs a one-element result, but the shape is {Tensor.FormatShape(root.Shape)}.");
        if (seed is not null && !seed.Shape.SequenceEqual(root.Shape))
            throw new ArgumentException($"The seed gradient has shape {Tensor.FormatShape(seed.Shape)} but the tensor has shape {Tensor.FormatShape(root.Shape)}.", nameof(seed));

        var rootGrad = GradBuffer(root);
        if (seed is null) rootGrad.AsSpan()[0] += 1f;
        else Kernels.Elementwise.AddInto(rootGrad, seed);
        if (root.GradFn is null) return;

        var order = TopologicalOrder(root);
        using (GradMode.NoGrad())
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var tensor = order[i];
                var grad = tensor.GradAccumulator;
                if (grad is null || tensor.GradFn is null) continue;
                tensor.GradFn.Backward(grad);
                tensor.GradAccumulator = null;
            }
        }
        order.Clear();
    }

    /// <summary>The gradient buffer of <paramref name="tensor"/>: <see cref="Tensor.Grad"/> for leaves, a scoped accumulator otherwise.</summary>
    public static Tensor GradBuffer(Tensor tensor)
    {
        if (tensor.GradFn is null)
        {
            var grad = tensor.Grad;
            if (grad is null || !grad.Shape.SequenceEqual(tensor.Shape))
                tensor.Grad = grad = tensor.IsScoped ? Tensor.Zeros(tensor.Shape) : Tensor.PersistentZeros(tensor.Shape);
            return grad;
        }
        return tensor.GradAccumulator ??= Tensor.Zeros(tensor.Shape);
    }

    /// <summary>Tensors reachable from <paramref name="root"/> through recorded nodes, inputs before outputs.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = s_order ??= new List<Tensor>();
        var stack = s_stack ??= new Stack<(Tensor, int)>();
        int mark = Interlocked.Increment(ref s_visitCounter);
        root.VisitMark = mark;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            var node = tensor.GradFn;
            int inputs = node?.InputCount ?? 0;
            bool descended = false;
            for (int i = next; i < inputs; i++)
            {
                var input = node!.Input(i);
                if (input is null || input.VisitMark == mark || !input.RequiresGrad) continue;
                input.VisitMark = mark;
                stack.Push((tensor, i + 1));
                stack.Push((input, 0));
                descended = true;
                break;
            }
            if (!descended) order.Add(tensor);
        }
        return order;
    }
}
