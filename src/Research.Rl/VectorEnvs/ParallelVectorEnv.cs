using System.Runtime.ExceptionServices;
using Research.Abstractions.Environments;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// Steps contiguous slices of the environments on persistent worker threads, the caller's thread taking the first slice.
/// Results are identical to <see cref="SyncVectorEnv"/>'s: each environment is stepped by exactly one thread into its own rows.
/// </summary>
/// <remarks>
/// Hand-off: the caller advances a start signal, steps its own slice, then waits for the last worker to advance the done
/// signal. Waiters spin briefly before blocking, so back-to-back steps rarely pay for a kernel wake-up and an idle vector
/// env costs no CPU. A step allocates nothing.
/// </remarks>
public sealed class ParallelVectorEnv : VectorEnvBase
{
    private readonly int[] _sliceStarts;
    private readonly Thread[] _workers;
    private readonly SpinThenBlockSignal _start;
    private readonly SpinThenBlockSignal _done;
    private readonly Exception?[] _errors;
    private VectorOperation _operation;
    private int _remaining;
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
        _start = new SpinThenBlockSignal(options.SpinCount);
        _done = new SpinThenBlockSignal(options.SpinCount);
        _workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++)
        {
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
        long done = _done.Value;
        if (_workers.Length > 0)
        {
            Volatile.Write(ref _remaining, _workers.Length);
            _start.Advance();
        }
        RunSlice(0);
        if (_workers.Length > 0) _done.WaitForChange(done);
        foreach (var error in _errors)
            if (error is not null) ExceptionDispatchInfo.Throw(error);
    }

    private void WorkerLoop(int slice)
    {
        long seen = _start.Value;
        while (true)
        {
            _start.WaitForChange(seen);
            seen++;
            if (_stopping) return;
            RunSlice(slice);
            if (Interlocked.Decrement(ref _remaining) == 0) _done.Advance();
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
        _start.Advance();
        foreach (var worker in _workers) worker.Join();
    }
}
