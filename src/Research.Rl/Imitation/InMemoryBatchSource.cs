namespace Research.Rl.Imitation;

/// <summary>Batches gathered from observations held in memory into one reused <see cref="ExpertBatch"/> (no allocation per batch).</summary>
internal sealed class InMemoryBatchSource : IBatchSource
{
    private readonly EpochOrder _order;
    private readonly ExpertTrajectories _data;
    private readonly int[] _epochIndices;
    private readonly ExpertBatch _batch;
    private long _epoch;
    private int _cursor;

    public InMemoryBatchSource(EpochOrder order, ExpertTrajectories data)
    {
        _order = order;
        _data = data;
        _epochIndices = new int[order.Length];
        _batch = new ExpertBatch(order.BatchSize, data.ObservationSize, data.ActionSize);
    }

    public ExpertBatch Next()
    {
        if (_cursor == 0) _order.Fill(_epoch, _epochIndices);
        int count = Math.Min(_order.BatchSize, _epochIndices.Length - _cursor);
        int observationSize = _data.ObservationSize, actionSize = _data.ActionSize;
        for (int row = 0; row < count; row++)
        {
            int index = _epochIndices[_cursor + row];
            _data.Observations.AsSpan(index * observationSize, observationSize).CopyTo(_batch.ObservationBuffer.AsSpan(row * observationSize));
            _data.Actions.AsSpan(index * actionSize, actionSize).CopyTo(_batch.ActionBuffer.AsSpan(row * actionSize));
        }
        _batch.Count = count;
        _cursor += count;
        if (_cursor == _epochIndices.Length)
        {
            _cursor = 0;
            _epoch++;
        }
        return _batch;
    }

    public void Dispose() { }
}
