namespace Research.Rl.Buffers;

/// <summary>Configuration of a <see cref="ReplayBuffer"/>, with Stable-Baselines' names and defaults.</summary>
/// <param name="BufferSize">Transitions kept in total; each environment gets <c>max(BufferSize / NumEnvs, 1)</c> slots.</param>
/// <param name="ObservationSize">Floats per observation.</param>
/// <param name="ActionSize">Floats per action.</param>
/// <param name="NumEnvs">Environments adding one transition each per step.</param>
/// <param name="OptimizeMemoryUsage">Store each observation once: the next observation is the following slot's observation.</param>
/// <param name="HandleTimeoutTermination">Treat truncated (not terminated) transitions as not done, so the target bootstraps.</param>
/// <param name="ByteObservations">Store observations as bytes (for uint8 image spaces, whose values are whole numbers 0…255): a quarter of the memory, as SB3 keeps the space's dtype.</param>
public sealed record ReplayBufferOptions(
    int BufferSize,
    int ObservationSize,
    int ActionSize,
    int NumEnvs = 1,
    bool OptimizeMemoryUsage = false,
    bool HandleTimeoutTermination = true,
    bool ByteObservations = false);
