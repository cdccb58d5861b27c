namespace Research.Rl.Algorithms;

/// <summary>Stable-Baselines' advantage normalization: <c>(a − mean) / (std + 1e-8)</c> with PyTorch's unbiased std.</summary>
public static class AdvantageNormalization
{
    /// <summary>Writes <paramref name="advantages"/> into <paramref name="destination"/>, normalized when <paramref name="normalize"/>.</summary>
    public static void Write(ReadOnlySpan<float> advantages, bool normalize, Span<float> destination)
    {
        if (!normalize)
        {
            advantages.CopyTo(destination);
            return;
        }
        double mean = 0;
        foreach (float a in advantages) mean += a;
        mean /= advantages.Length;
        double squares = 0;
        foreach (float a in advantages) squares += (a - mean) * (a - mean);
        float std = (float)Math.Sqrt(squares / (advantages.Length - 1));
        for (int k = 0; k < advantages.Length; k++) destination[k] = (float)((advantages[k] - mean) / (std + 1e-8f));
    }
}
