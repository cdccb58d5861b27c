using System.Collections.Concurrent;

namespace Research.Rl.Imitation;

/// <summary>
/// Batches of image observations decoded from PNG files on background workers, so a dataset larger than memory still trains.
/// </summary>
/// <remarks>
/// Batch g (counting across epochs) is built by worker g mod W and handed over in order, so batches are the same for any
/// timing. Each worker owns <c>MaxQueueLength + 2</c> batch buffers (one being filled, up to MaxQueueLength ready, one
/// held by the consumer), which bounds memory; a worker waits when its buffers are all in use.
/// </remarks>
internal sealed class ImageBatchSource : IBatchSource
{
    private readonly record struct Item(ExpertBatch? Batch, Exception? Error);

    private readonly EpochOrder _order;
    private readonly ExpertTrajectories _data;
    private readonly int _observationSize;
    private readonly BlockingCollection<Item>[] _ready;
    private readonly BlockingCollection<ExpertBatch>[] _free;
    private readonly Task[] _workers;
    private readonly CancellationTokenSource _cancel = new();
    private ExpertBatch? _held;
    private int _heldWorker;
    private long _next;
    private Exception? _failure;

    public ImageBatchSource(EpochOrder order, ExpertTrajectories data, int observationSize, int workers, int maxQueueLength)
    {
        _order = order;
        _data = data;
        _observationSize = observationSize;
        workers = Math.Max(1, Math.Min(workers, order.BatchesPerEpoch));
        _ready = new BlockingCollection<Item>[workers];
        _free = new BlockingCollection<ExpertBatch>[workers];
        _workers = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            _ready[w] = new BlockingCollection<Item>(maxQueueLength);
            _free[w] = [];
            for (int i = 0; i < maxQueueLength + 2; i++) _free[w].Add(new ExpertBatch(order.BatchSize, observationSize, data.ActionSize));
        }
        for (int w = 0; w < workers; w++)
        {
            int worker = w;
            _workers[w] = Task.Factory.StartNew(() => Run(worker), _cancel.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    public ExpertBatch Next()
    {
        if (_failure is not null) throw Wrap(_failure);
        if (_held is not null) _free[_heldWorker].Add(_held);
        _held = null;
        int worker = (int)(_next % _ready.Length);
        var item = _ready[worker].Take();
        if (item.Error is not null)
        {
            _failure = item.Error;
            throw Wrap(item.Error);
        }
        _held = item.Batch;
        _heldWorker = worker;
        _next++;
        return _held!;
    }

    public void Dispose()
    {
        _cancel.Cancel();
        try
        {
            Task.WaitAll(_workers);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // Workers stop by cancellation while waiting for a buffer or for room in their queue.
        }
        foreach (var queue in _ready) queue.Dispose();
        foreach (var queue in _free) queue.Dispose();
        _cancel.Dispose();
    }

    private void Run(int worker)
    {
        var token = _cancel.Token;
        var order = _order.Clone();
        var epochIndices = new int[order.Length];
        long cachedEpoch = -1;
        int workers = _ready.Length;
        for (long g = worker; ; g += workers)
        {
            long epoch = g / order.BatchesPerEpoch;
            int start = (int)(g % order.BatchesPerEpoch) * order.BatchSize;
            if (epoch != cachedEpoch)
            {
                order.Fill(epoch, epochIndices);
                cachedEpoch = epoch;
            }
            var batch = _free[worker].Take(token);
            Item item;
            try
            {
                Fill(batch, epochIndices.AsSpan(start, Math.Min(order.BatchSize, epochIndices.Length - start)));
                item = new Item(batch, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                item = new Item(null, e);
            }
            _ready[worker].Add(item, token);
            if (item.Error is not null) return;
        }
    }

    private void Fill(ExpertBatch batch, ReadOnlySpan<int> indices)
    {
        int actionSize = _data.ActionSize;
        for (int row = 0; row < indices.Length; row++)
        {
            int index = indices[row];
            ImageLoader.Load(_data, index, batch.ObservationBuffer.AsSpan(row * _observationSize, _observationSize));
            _data.Actions.AsSpan(index * actionSize, actionSize).CopyTo(batch.ActionBuffer.AsSpan(row * actionSize));
        }
        batch.Count = indices.Length;
    }

    private static Exception Wrap(Exception error) => error is ExpertDataException
        ? new ExpertDataException(error.Message, error)
        : new ExpertDataException($"loading an image batch failed: {error.Message}", error);
}
