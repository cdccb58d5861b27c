using System.Text.Json.Nodes;
using Research.Rl.Bridge;

namespace Research.Plugins.Gymnasium;

/// <summary>Starts the workers of an env: all processes first, then every handshake, so Python starts in parallel.</summary>
internal static class GymWorkers
{
    public static PythonWorker[] Start(string env, int count, JsonObject kwargs, GymnasiumOptions options, string bridgePath, out BridgeReady ready)
    {
        var plan = WorkerLayout.Plan(count, options);
        var workers = new List<PythonWorker>(plan.Length);
        string? renderMode = options.RenderMode is "" or "none" or "None" ? null : options.RenderMode;
        try
        {
            var hellos = new List<BridgeHello>();
            for (int w = 0; w < plan.Length; w++)
            {
                var (first, n) = plan[w];
                var worker = new PythonWorker(w, first, n, bridgePath, options);
                workers.Add(worker);
                var hello = new BridgeHello(env, kwargs, n, first, renderMode);
                hellos.Add(hello);
                worker.Call("HELLO", () =>
                {
                    worker.Client.SendHello(hello);
                    return 0;
                });
            }
            BridgeReady? firstReady = null;
            for (int w = 0; w < workers.Count; w++)
            {
                var worker = workers[w];
                var hello = hellos[w];
                BridgeReady answer;
                try
                {
                    answer = worker.Hello(hello, sent: true);
                }
                catch (BridgeRemoteException e)
                {
                    throw new GymWorkerException($"Gymnasium: {worker.Describe()} could not create '{env}': {e.Message}", e);
                }
                if (firstReady is null) firstReady = answer;
                else if (answer.ObservationWire.ToJson() != firstReady.ObservationWire.ToJson() || answer.ActionWire.ToJson() != firstReady.ActionWire.ToJson())
                    throw new GymWorkerException($"Gymnasium: {worker.Describe()} reports other spaces than worker 0 for '{env}'.");
            }
            ready = firstReady!;
            return [.. workers];
        }
        catch
        {
            foreach (var worker in workers) worker.Dispose();
            throw;
        }
    }
}
