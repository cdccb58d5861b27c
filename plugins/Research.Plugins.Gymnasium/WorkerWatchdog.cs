using System.Diagnostics;

namespace Research.Plugins.Gymnasium;

/// <summary>
/// Kills workers that do not answer in time: one background thread checks every worker's deadline every 20 ms. Setting and
/// clearing a deadline is two volatile writes, and the thread walks a copy-on-write array, so a step allocates nothing.
/// </summary>
internal static class WorkerWatchdog
{
    private static readonly Lock Gate = new();
    private static PythonWorker[] s_workers = [];
    private static Thread? s_thread;

    public static void Register(PythonWorker worker)
    {
        lock (Gate)
        {
            s_workers = [.. s_workers, worker];
            if (s_thread is null)
            {
                s_thread = new Thread(Watch) { IsBackground = true, Name = "Gymnasium bridge watchdog" };
                s_thread.Start();
            }
        }
    }

    public static void Unregister(PythonWorker worker)
    {
        lock (Gate) s_workers = [.. s_workers.Where(w => w != worker)];
    }

    private static void Watch()
    {
        while (true)
        {
            Thread.Sleep(20);
            long now = Stopwatch.GetTimestamp();
            foreach (var worker in Volatile.Read(ref s_workers)) worker.KillIfOverdue(now);
        }
    }
}
