namespace Research.Plugins.Gymnasium;

/// <summary>A Python worker failed: it crashed (its output ended), did not answer in time, broke the protocol, or could not start.</summary>
public sealed class GymWorkerException(string message, Exception? inner = null) : IOException(message, inner);
