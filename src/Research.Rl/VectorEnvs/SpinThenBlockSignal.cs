namespace Research.Rl.VectorEnvs;

/// <summary>
/// A counter threads wait on to change: a waiter spins (yielding once spinning stops paying) for a bounded number of
/// rounds, then blocks on a monitor. Unlike <see cref="ManualResetEventSlim"/>, nothing is created lazily, so waiting
/// never allocates.
/// </summary>
internal sealed class SpinThenBlockSignal(int spinCount)
{
    private readonly object _gate = new();
    private long _value;
    private int _sleepers;

    /// <summary>The current value.</summary>
    public long Value => Volatile.Read(ref _value);

    /// <summary>Increments the value and wakes every waiter.</summary>
    public void Advance()
    {
        Interlocked.Increment(ref _value);
        // Interlocked operations are full fences on both sides, so either the waiter sees the new value or we see it sleeping.
        if (Volatile.Read(ref _sleepers) == 0) return;
        lock (_gate) Monitor.PulseAll(_gate);
    }

    /// <summary>Returns once the value differs from <paramref name="seen"/>.</summary>
    public void WaitForChange(long seen)
    {
        var spinner = new SpinWait();
        for (int i = 0; i < spinCount; i++)
        {
            if (Volatile.Read(ref _value) != seen) return;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);
            while (Volatile.Read(ref _value) == seen) Monitor.Wait(_gate);
            Interlocked.Decrement(ref _sleepers);
        }
    }
}
