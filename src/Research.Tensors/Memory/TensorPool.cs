namespace Research.Tensors.Memory;

/// <summary>Per-thread free lists of tensor objects and storage arrays, refilled when a <see cref="TensorScope"/> ends.</summary>
/// <remarks>Storage is keyed by exact length, so a training loop that repeats the same shapes stops allocating after its first pass.</remarks>
internal sealed class TensorPool
{
    [ThreadStatic] private static TensorPool? s_current;

    private readonly Dictionary<int, Stack<float[]>> _storage = new();
    private readonly Stack<Tensor> _tensors = new();

    public static TensorPool Current => s_current ??= new TensorPool();

    public float[] RentStorage(int length)
    {
        if (length == 0) return [];
        if (_storage.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
        return GC.AllocateUninitializedArray<float>(length);
    }

    public void ReturnStorage(float[] array)
    {
        if (array.Length == 0) return;
        if (!_storage.TryGetValue(array.Length, out var stack))
        {
            stack = new Stack<float[]>();
            _storage.Add(array.Length, stack);
        }
        stack.Push(array);
    }

    public Tensor RentTensor() => _tensors.Count > 0 ? _tensors.Pop() : new Tensor();

    public void ReturnTensor(Tensor tensor) => _tensors.Push(tensor);
}
