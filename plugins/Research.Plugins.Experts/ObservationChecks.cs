namespace Research.Plugins.Experts;

/// <summary>Argument checks shared by the experts, so a wrong environment fails with a clear message instead of an index error.</summary>
internal static class ObservationChecks
{
    /// <summary>Throws unless the observation has exactly <paramref name="length"/> elements.</summary>
    public static void RequireLength(ReadOnlySpan<float> observation, int length, string expert)
    {
        if (observation.Length != length)
            throw new ArgumentException($"{expert}: expected an observation of {length} elements, got {observation.Length} (is this the right environment?).", nameof(observation));
    }
}
