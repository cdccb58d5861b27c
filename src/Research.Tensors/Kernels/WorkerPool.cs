using System.Diagnostics;

namespace Research.Tensors.Kernels;

/// <summary>
/// Persistent helper threads for kernels too short for <see cref="Parallel"/> (tens of microseconds): a call posts a
/// job without allocating, helpers that are polling pick it up within microseconds, and the caller claims parts too,
/// so a helper that is slow to wake (a busy machine) only means the caller runs more parts itself.
/// </summary>
/// <remarks>
/// One job at a time: a call made while another thread's job is running (or from inside a part) runs all its parts
/// on the calling thread. Helpers poll (yielding the core) for <see cref="SpinTicks"/> after their last part, then block.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>
    /// How long an idle helper keeps polling before it blocks: 1 ms, longer than the gaps between a training step's
    /// products, because waking a blocked helper takes longer than a product (it would arrive to find no part left).
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    /// <summary>A gap between two polls longer than this (50 µs) means the helper was preempted, not polling.</summary>
    private static readonly long PreemptedTicks = Stopwatch.Frequency / 20000;

    private static readonly object s_startLock = new();
    private static Helper[] s_helpers = [];
    private static int s_busy;

    private static IPartitionedWork? s_work;
    private static int s_parts;
    private static int s_helpersWanted;
    private static int s_pending;
    /// <summary>High 32 bits: the job's generation; low 32 bits: the next part to claim. One word, so a claim can never land on a newer job.</summary>
    private static long s_state;

    /// <summary>Runs parts 0…<paramref name="parts"/>−1 of <paramref name="work"/> on up to <paramref name="threads"/> threads (the caller included) and returns when all are done.</summary>
    public static void Run(IPartitionedWork work, int parts, int threads)
    {
        int helpers = Math.Min(threads, parts) - 1;
        if (helpers <= 0 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++) work.RunPart(part);
            return;
        }
        try
        {
            var pool = EnsureHelpers(helpers);
            s_work = work;
            s_parts = parts;
            s_helpersWanted = helpers;
            Volatile.Write(ref s_pending, parts);
            long generation = (Volatile.Read(ref s_state) >> 32) + 1;
            Volatile.Write(ref s_state, generation << 32);
            for (int h = 0; h < helpers; h++) pool[h].Wake();
            RunClaimedParts(work, parts, generation);
            var spinner = new SpinWait();
            while (Volatile.Read(ref s_pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
            s_work = null;
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="generation"/> until none are left (or a newer job replaced it).</summary>
    private static void RunClaimedParts(IPartitionedWork work, int parts, long generation)
    {
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            if (state >> 32 != generation) return;
            int part = (int)(state & 0xFFFFFFFF);
            if (part >= parts) return;
            if (Interlocked.CompareExchange(ref s_state, state + 1, state) != state) continue;
            work.RunPart(part);
            Interlocked.Decrement(ref s_pending);
        }
    }

    private static Helper[] EnsureHelpers(int count)
    {
        var helpers = s_helpers;
        if (helpers.Length >= count) return helpers;
        lock (s_startLock)
        {
            helpers = s_helpers;
            if (helpers.Length >= count) return helpers;
            var grown = new Helper[count];
            helpers.CopyTo(grown, 0);
            for (int h = helpers.Length; h < count; h++) grown[h] = new Helper(h);
            s_helpers = grown;
            return grown;
        }
    }

    /// <summary>One helper thread: polls for a new generation, runs claimed parts, blocks after <see cref="SpinTicks"/> of idling.</summary>
    private sealed class Helper
    {
        private readonly int _index;
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping;

        public Helper(int index)
        {
            _index = index;
            new Thread(Loop) { IsBackground = true, Name = $"Research.Tensors worker {index + 1}" }.Start();
        }

        /// <summary>Releases the helper if it is blocked (a spinning helper sees the new generation by itself).</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        private void Loop()
        {
            long seen = Volatile.Read(ref s_state) >> 32;
            while (true)
            {
                long generation = WaitForJob(seen);
                seen = generation;
                var work = s_work;
                int parts = s_parts;
                if (work is null || _index >= s_helpersWanted) continue;
                RunClaimedParts(work, parts, generation);
            }
        }

        private long WaitForJob(long seen)
        {
            long last = Stopwatch.GetTimestamp(), spun = 0;
            while (true)
            {
                long generation = Volatile.Read(ref s_state) >> 32;
                if (generation != seen) return generation;
                // Only time actually spent polling counts: on a busy machine a helper preempted mid-spin would otherwise
                // fall asleep at once and miss every job (measured: 11% of parts instead of 80%).
                long now = Stopwatch.GetTimestamp();
                if (now - last < PreemptedTicks) spun += now - last;
                last = now;
                if (spun < SpinTicks)
                {
                    // Yield rather than pause: on a busy machine the core goes to whoever is waiting for it (often the
                    // caller itself) instead of to a helper that has nothing to do.
                    Thread.Yield();
                    continue;
                }
                // A full fence, so the generation check below cannot be read before the flag is visible to posters.
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref s_state) >> 32 == seen) _wake.Wait();
                // Either a poster cleared the flag and released (take that release) or the job arrived before we slept.
                else if (Interlocked.Exchange(ref _sleeping, 0) == 0) _wake.Wait();
                last = Stopwatch.GetTimestamp();
                spun = 0;
            }
        }
    }
}
