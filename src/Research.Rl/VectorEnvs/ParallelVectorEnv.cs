using System.Runtime.ExceptionServices;
using Research.Abstractions.Environments;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// Steps contiguous chunks of the environments on persistent worker threads and the caller's thread.
/// Results are identical to <see cref="SyncVectorEnv"/>'s: each environment is stepped by exactly one thread into its own rows,
/// and environments do not interact, so which thread steps which chunk does not matter.
/// </summary>
/// <remarks>
/// Hand-off: the caller publishes the operation, advances a start signal and claims chunks itself alongside the workers;
/// whoever completes the last chunk advances the done signal. Claiming chunks rather than owning fixed slices means a worker
/// that the OS schedules late costs nothing: the caller does its share. Waiters spin briefly before blocking, so
/// back-to-back steps rarely pay for a kernel wake-up and an idle vector env costs no CPU. A step allocates nothing.
/// </remarks>
public sealed class ParallelVectorEnv : VectorEnvBase
{
    // Several chunks per thread balance uneven env costs; few enough that claiming one stays negligible.
    private const int ChunksPerThread = 4;

    private readonly int[] _chunkStarts;
    private readonly Thread[] _workers;
    private readonly SpinThenBlockSignal _start;
    private readonly SpinThenBlockSignal _done;
    private readonly Exception?[] _errors;
    private VectorOperation _operation;
    private int _nextChunk;
    private int _completedChunks;
    private volatile bool _stopping;

    /// <summary>Takes ownership of <paramref name="envs"/>.</summary>
    public ParallelVectorEnv(IReadOnlyList<IEnv> envs, ParallelVectorEnvOptions? options = null) : base(envs)
    {
        options ??= new ParallelVectorEnvOptions();
        ThreadCount = options.ThreadsFor(NumEnvs);
        if (options.Groups is { } groups)
        {
            _chunkStarts = new int[groups.Count + 1];
            for (int c = 0; c < groups.Count; c++) _chunkStarts[c + 1] = _chunkStarts[c] + groups[c];
        }
        else
        {
            int chunks = ThreadCount == 1 ? 1 : Math.Min(NumEnvs, ThreadCount * ChunksPerThread);
            _chunkStarts = new int[chunks + 1];
            for (int c = 0; c <= chunks; c++) _chunkStarts[c] = (int)((long)c * NumEnvs / chunks);
        }
        int chunkCount = _chunkStarts.Length - 1;
        _errors = new Exception?[chunkCount];
        _nextChunk = chunkCount;
        _completedChunks = chunkCount;
        _start = new SpinThenBlockSignal(options.SpinCount);
        _done = new SpinThenBlockSignal(options.SpinCount);
        _workers = new Thread[ThreadCount - 1];
        for (int w = 0; w < _workers.Length; w++)
        {
            _workers[w] = new Thread(WorkerLoop) { IsBackground = true, Name = $"ParallelVectorEnv worker {w + 1}" };
            _workers[w].Start();
        }
    }

    /// <summary>Builds <paramref name="count"/> environments with <paramref name="factory"/>.</summary>
    public ParallelVectorEnv(Func<int, IEnv> factory, int count, ParallelVectorEnvOptions? options = null)
        : this(BuildEnvs(factory, count), options) { }

    /// <summary>Threads stepping environments, the caller's included.</summary>
    public int ThreadCount { get; }

    private int ChunkCount => _errors.Length;

    protected override void Run(VectorOperation operation)
    {
        _operation = operation;
        Array.Clear(_errors);
        long done = _done.Value;
        Volatile.Write(ref _completedChunks, 0);
        // Publishing the first chunk last makes the operation and actions visible to any thread that claims one.
        Interlocked.Exchange(ref _nextChunk, 0);
        if (_workers.Length > 0) _start.Advance();
        RunChunks();
        if (Volatile.Read(ref _completedChunks) < ChunkCount) _done.WaitForChange(done);
        foreach (var error in _errors)
            if (error is not null) ExceptionDispatchInfo.Throw(error);
    }

    private void WorkerLoop()
    {
        long seen = _start.Value;
        while (true)
        {
            _start.WaitForChange(seen);
            seen = _start.Value;
            if (_stopping) return;
            RunChunks();
        }
    }

    private void RunChunks()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk) - 1) < ChunkCount)
        {
            try
            {
                RunRange(_operation, _chunkStarts[chunk], _chunkStarts[chunk + 1]);
            }
            catch (Exception e)
            {
                // Kept for the caller's thread, which reports the lowest chunk's error: chunks are in env order.
                _errors[chunk] = e;
            }
            if (Interlocked.Increment(ref _completedChunks) == ChunkCount) _done.Advance();
        }
    }

    protected override void StopWorkers()
    {
        _stopping = true;
        _start.Advance();
        foreach (var worker in _workers) worker.Join();
    }
}
