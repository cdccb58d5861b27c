namespace Research.Rl.Imitation;

/// <summary>Expert data that cannot be used; the message names the file (or source), the key or index, and the reason.</summary>
public sealed class ExpertDataException(string message, Exception? inner = null) : IOException(message, inner);
