namespace Research.Rl.Buffers;

/// <summary>Consecutive slices of a shuffled index array, enumerable with <c>foreach</c> without allocating.</summary>
public readonly ref struct MinibatchIndices
{
    private readonly int[] _indices;
    private readonly int _batchSize;

    internal MinibatchIndices(int[] indices, int batchSize)
    {
        _indices = indices;
        _batchSize = batchSize;
    }

    /// <summary>Number of batches (the last may be shorter).</summary>
    public int Count => (_indices.Length + _batchSize - 1) / _batchSize;

    /// <summary>Returns the enumerator over the batches.</summary>
    public Enumerator GetEnumerator() => new(_indices, _batchSize);

    /// <summary>Walks the batches; <see cref="Current"/> is a view of the shared index array.</summary>
    public ref struct Enumerator
    {
        private readonly int[] _indices;
        private readonly int _batchSize;
        private int _start;
        private int _length;

        internal Enumerator(int[] indices, int batchSize)
        {
            _indices = indices;
            _batchSize = batchSize;
            _start = -batchSize;
            _length = 0;
        }

        /// <summary>The current batch of row indices.</summary>
        public readonly ReadOnlySpan<int> Current => _indices.AsSpan(_start, _length);

        /// <summary>Advances to the next batch.</summary>
        public bool MoveNext()
        {
            _start += _batchSize;
            if (_start >= _indices.Length) return false;
            _length = Math.Min(_batchSize, _indices.Length - _start);
            return true;
        }
    }
}
