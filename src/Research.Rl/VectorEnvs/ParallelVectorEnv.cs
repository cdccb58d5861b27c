using System.Runtime.ExceptionServices;
using Research.Abstractions.Environments;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// Steps contiguous slices of the environments on persistent worker threads, the caller's thread taking the first slice.
/// Results are identical to <see cref="SyncVectorEnv"/>'s: each environment is stepped by exactly one thread into its own rows.
/// </summary>
/// <remarks>
/// Hand-off uses one event per worker and one for completion; each waiter spins briefly before blocking, so
/// back-to-back steps rarely pay for a kernel wake-up, and an idle vector env costs no CPU. A step allocates nothing.
/// </remarks>
public sealed class ParallelVectorEnv : VectorEnvBase
{
    private readonly int[] _sliceStarts;
    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done;
    private readonly Exception?[] _errors;
    private VectorOperation _operation;
    private int _pending;
    private volatile bool _stopping;

    /// <summary>Takes ownership of <paramref name="envs"/>.</summary>
    public ParallelVectorEnv(IReadOnlyList<IEnv> envs, ParallelVectorEnvOptions? options = null) : base(envs)
    {
        options ??= new ParallelVectorEnvOptions();
        int threads = options.ThreadsFor(NumEnvs);
        ThreadCount = threads;
        _sliceStarts = new int[threads + 1];
        for (int t = 0; t <= threads; t++) _sliceStarts[t] = (int)((long)t * NumEnvs / threads);
        _errors = new Exception?[threads];
        _done = new ManualResetEventSlim(false, options.SpinCount);
        _start = new ManualResetEventSlim[threads];
        _workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++)
        {
            _start[w] = new ManualResetEventSlim(false, options.SpinCount);
            int slice = w;
            _workers[w - 1] = new Thread(() => WorkerLoop(slice)) { IsBackground = true, Name = $"ParallelVectorEnv worker {w}" };
            _workers[w - 1].Start();
        }
    }

    /// <summary>Builds <paramref name="count"/> environments with <paramref name="factory"/>.</summary>
    public ParallelVectorEnv(Func<int, IEnv> factory, int count, ParallelVectorEnvOptions? options = null)
        : this(BuildEnvs(factory, count), options) { }

    /// <summary>Threads stepping environments, the caller's included.</summary>
    public int ThreadCount { get; }

    protected override void Run(VectorOperation operation)
    {
        _operation = operation;
        Array.Clear(_errors);
        if (_workers.Length > 0)
        {
            Volatile.Write(ref _pending, _workers.Length);
            _done.Reset();
            for (int w = 1; w < ThreadCount; w++) _start[w].Set();
        }
        RunSlice(0);
        if (_workers.Length > 0) _done.Wait();
        foreach (var error in _errors)
            if (error is not null) ExceptionDispatchInfo.Throw(error);
    }

    private void WorkerLoop(int slice)
    {
        var start = _start[slice];
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_stopping) return;
            RunSlice(slice);
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
        }
    }

    private void RunSlice(int slice)
    {
        try
        {
            RunRange(_operation, _sliceStarts[slice], _sliceStarts[slice + 1]);
        }
        catch (Exception e)
        {
            // Kept for the caller's thread: slices are in env order, so the first error found is the lowest env index.
            _errors[slice] = e;
        }
    }

    protected override void Dispose(bool disposing)
    {
        _stopping = true;
        for (int w = 1; w < ThreadCount; w++) _start[w].Set();
        foreach (var worker in _workers) worker.Join();
        for (int w = 1; w < ThreadCount; w++) _start[w].Dispose();
        _done.Dispose();
    }
}
